import Glibc
import Testing

@testable import AutoscaledSystem

struct SystemErrorTests {
    @Test("an errno is told in the C library's words, with the subject the call was made on")
    func description() {
        #expect(SystemError(call: "open", subject: "/x", errno: ENOENT).description == "open(/x): no such file or directory (errno 2)")
        #expect(SystemError(call: "open", subject: "/x", errno: ENOENT).description(omitting: "/x") == "open: no such file or directory (errno 2)")
    }

    @Test("an inotify limit is named, not left to read as a full disk or the descriptor limit alone")
    func inotifyLimits() {
        #expect(SystemError(call: "inotify_init1", errno: EMFILE).description == "inotify_init1: too many open files: the process's "
            + "descriptors (LimitNOFILE=) or the user's inotify instances (sysctl fs.inotify.max_user_instances) are used up (errno 24)")
        #expect(SystemError(call: "inotify_add_watch", subject: "/d", errno: ENOSPC).description == "inotify_add_watch(/d): no space "
            + "left on device: the user's inotify watches are used up (sysctl fs.inotify.max_user_watches) (errno 28)")
        #expect(SystemError(call: "write", subject: "/d/f", errno: ENOSPC).description == "write(/d/f): no space left on device (errno 28)")
    }
}

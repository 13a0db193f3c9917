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

    @Test("a permission denied on the way to a path names the directory that denied it, and the user it denied")
    func unsearchableDirectory() {
        var error = SystemError(call: "mkdir", subject: "/srv/locked/state", errno: EACCES)
        error.obstacle = .unsearchable(directory: "/srv/locked", uid: 61234)
        #expect(error.description == "mkdir(/srv/locked/state): permission denied: uid 61234 may not search /srv/locked, "
            + "a directory on its path (errno 13)")
        error.obstacle = .unwritable(directory: "/srv/locked", uid: 61234)
        #expect(error.reason == "permission denied: uid 61234 may not write /srv/locked, the directory it would be made in")
        // Any other errno names no directory, whatever the path.
        #expect(SystemError(call: "open", subject: "/proc/1/root/x", errno: ENOENT).obstacle == nil)
    }

    @Test("the directory that denies a path is the first one on its way, from the root down, that may not be searched")
    func firstUnsearchableDirectory() {
        func first(_ path: String, denied: Set<String> = [], missing: Set<String> = []) -> (found: String?, asked: [String]) {
            var asked: [String] = []
            let found = SystemError.firstBlockOnPath(of: path) { directory in
                asked.append(directory)
                return missing.contains(directory) ? nil : denied.contains(directory)
            }
            return (found, asked)
        }
        #expect(first("/a/b/c", denied: ["/a/b"]) == ("/a/b", ["/", "/a", "/a/b"]))
        #expect(first("/a/b/c", denied: ["/a", "/a/b"]).found == "/a")
        #expect(first("/a/b/c", denied: ["/"]) == ("/", ["/"]))
        #expect(first("/a/b/c") == (nil, ["/", "/a", "/a/b"]))
        #expect(first("/a//b/", denied: ["/a/b"]).found == nil, "the path's last component is not on its way")
        #expect(first("/a//b/c", denied: ["/a/b"]).found == "/a/b")
        #expect(first("/x", denied: ["/"]).found == "/")
        // Not there: nothing below it can be what denied the call.
        #expect(first("/a/b/c", denied: ["/a/b"], missing: ["/a"]) == (nil, ["/", "/a"]))
        #expect(first("/", denied: ["/"]) == (nil, []))
        #expect(first("a/b", denied: ["/", "a"]) == (nil, []))
        #expect(first("", denied: ["/"]) == (nil, []))
    }

    @Test("a path that goes through a file, not a directory, names that file and what it is")
    func notDirectoryOnPath() throws {
        var template = Array("/tmp/autoscaled-notdir-XXXXXX".utf8CString)
        let directory = String(cString: try #require(mkdtemp(&template)))
        defer { unlink(directory + "/file"); rmdir(directory) }
        close(creat(directory + "/file", 0o644))
        let error = SystemError(call: "open", subject: directory + "/file/sub/loads.json", errno: ENOTDIR)
        #expect(error.obstacle == .notDirectory(path: directory + "/file", kind: .regularFile))
        #expect(error.description == "open(\(directory)/file/sub/loads.json): not a directory: \(directory)/file, on its path, "
            + "is a regular file (errno 20)")
        // The path's own last component is what the call was made on, not a step on its way.
        #expect(SystemError(call: "open", subject: directory + "/file", errno: ENOTDIR).obstacle == nil)
        #expect(SystemError(call: "open", subject: directory + "/nothing/x/y", errno: ENOTDIR).obstacle == nil)
        // A device, socket or FIFO on the way, met by a real call.
        #expect(mkfifo(directory + "/fifo", 0o600) == 0)
        defer { unlink(directory + "/fifo") }
        for (through, subject) in [(directory + "/fifo", directory + "/fifo/loads.json"), ("/dev/null", "/dev/null/a/b")] {
            do {
                try FileDescriptor.open(subject, O_RDONLY).close()
                Issue.record("\(subject) was opened")
            } catch {
                #expect(error.errno == ENOTDIR)
                #expect(error.obstacle == .notDirectory(path: through, kind: .other))
                #expect(error.reason == "not a directory: \(through), on its path, is a device, socket or FIFO")
            }
        }
    }
}

import Glibc

/// A failed system call: which call, on what, and the errno it returned.
///
/// Shape: `connect(/run/haproxy.sock): connection refused (errno 111)`.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call that failed, e.g. `open`.
    public var call: String
    /// What it was called on (a path, an address), or empty.
    public var subject: String
    public var errno: Int32

    public init(call: String, subject: String = "", errno: Int32) {
        self.call = call
        self.subject = subject
        self.errno = errno
    }

    /// The C library's text for the errno, lower-cased as in the rest of the logs; where the call
    /// gives the errno a meaning of its own (an inotify limit that reads as a full disk), that too.
    public var reason: String {
        guard let text = strerror(errno) else { return "unknown error" }
        let message = String(cString: text)
        guard let first = message.first else { return message }
        let reason = first.lowercased() + message.dropFirst()
        return limit.map { "\(reason): \($0)" } ?? reason
    }

    /// The limit an errno of this call stands for, where `strerror` names another.
    private var limit: String? {
        switch (call, errno) {
        case ("inotify_init1", EMFILE):
            "the process's descriptors (LimitNOFILE=) or the user's inotify instances (sysctl fs.inotify.max_user_instances) are used up"
        case ("inotify_add_watch", ENOSPC):
            "the user's inotify watches are used up (sysctl fs.inotify.max_user_watches)"
        default:
            nil
        }
    }

    /// `true` for `ENOENT`: the file or a directory on its path does not exist.
    public var isNoSuchFile: Bool { errno == ENOENT }

    /// `true` for `EAGAIN` (`EWOULDBLOCK`): no room now, as in a full socket queue.
    public var wouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK }

    /// `true` for `ENOENT` or `ENOTDIR`: nothing exists at the path (a component is missing, or is
    /// not a directory).
    public var isNoSuchPath: Bool { errno == ENOENT || errno == ENOTDIR }

    /// `true` for `EACCES`: permission denied (also what `execve` says of a directory).
    public var isPermissionDenied: Bool { errno == EACCES }

    /// `true` for `EPIPE`: the reading end of a pipe or socket is closed.
    public var isBrokenPipe: Bool { errno == EPIPE }

    public var description: String { description(omitting: nil) }

    /// The description without the subject when it is `named`, for a message that already names it
    /// (`/run/haproxy.sock: connect: connection refused (errno 111)`); with any other subject, whole.
    public func description(omitting named: String?) -> String {
        let target = subject.isEmpty || subject == named ? call : "\(call)(\(subject))"
        return "\(target): \(reason) (errno \(errno))"
    }
}

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
    /// For `EACCES` on an absolute path: the first directory on the way to it that this process may
    /// not search, which denied the call whether or not the file is there. `nil` otherwise, and when
    /// every directory on the way may be searched (the file itself, or a directory's other
    /// permissions, denied it).
    public var unsearchable: Unsearchable?

    /// A directory this process (`uid`, its effective user) may not search (its `x` bit).
    public struct Unsearchable: Sendable, Equatable {
        public var directory: String
        public var uid: uid_t
    }

    /// Looks, for `EACCES` on an absolute path, for the directory on its way that denied the call
    /// (``unsearchable``): `faccessat(X_OK, AT_EACCESS)` on each, from `/` down.
    public init(call: String, subject: String = "", errno: Int32) {
        self.call = call
        self.subject = subject
        self.errno = errno
        guard errno == EACCES else { return }
        unsearchable = Self.firstUnsearchableDirectory(on: subject) { directory in
            if faccessat(AT_FDCWD, directory, X_OK, AT_EACCESS) == 0 { return true }
            return Glibc.errno == EACCES ? false : nil
        }.map { Unsearchable(directory: $0, uid: geteuid()) }
    }

    /// The first directory on the way to the absolute `path` (`/`, then each directory that holds
    /// the next component, the path's own parent last) that `searchable` says may not be searched
    /// (`false`). The walk ends at the first that cannot be looked at (`nil`: not there, not a
    /// directory), and gives `nil` for a relative path or for `/` itself.
    static func firstUnsearchableDirectory(on path: String, searchable: (String) -> Bool?) -> String? {
        guard path.hasPrefix("/") else { return nil }
        let components = path.split(separator: "/")
        var directory = "/"
        for component in components.dropLast() {
            switch searchable(directory) {
            case false?: return directory
            case nil: return nil
            case true?: directory += directory == "/" ? component : "/" + component
            }
        }
        return components.isEmpty || searchable(directory) != false ? nil : directory
    }

    /// The C library's text for the errno, lower-cased as in the rest of the logs; where the call
    /// gives the errno a meaning of its own (an inotify limit that reads as a full disk), that too,
    /// and for a permission denied on the way to a path, the directory that denied it.
    public var reason: String {
        guard let text = strerror(errno) else { return "unknown error" }
        let message = String(cString: text)
        guard let first = message.first else { return message }
        let reason = first.lowercased() + message.dropFirst()
        if let unsearchable {
            return "\(reason): uid \(unsearchable.uid) may not search \(unsearchable.directory), a directory on its path"
        }
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

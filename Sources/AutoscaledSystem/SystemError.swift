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
    /// For `EACCES` on an absolute path or `ENOTDIR` on any, what on the way to it failed the call, whether
    /// or not the file is there: ``PathObstacle``. `nil` otherwise, and when nothing on the way did
    /// (the file itself failed it).
    public var obstacle: PathObstacle?

    /// What on the way to a path failed a call on it.
    public enum PathObstacle: Sendable, Equatable {
        /// A directory this process (`uid`, its effective user) may not search (its `x` bit).
        case unsearchable(directory: String, uid: uid_t)
        /// The directory a path that is not there would be made in, which this process (`uid`) may
        /// not write (its `w` bit): what denies creating a file, a directory or a new name there.
        case unwritable(directory: String, uid: uid_t)
        /// Something there that is not a directory, where the path goes through one.
        case notDirectory(path: String, kind: Directory.EntryKind)
    }

    /// Looks, for `EACCES` or `ENOTDIR` on a path, for what on its way failed the call
    /// (``obstacle``): from `/` down, the first directory `faccessat(X_OK, AT_EACCESS)` refuses,
    /// else, when nothing is at the path, its directory if `faccessat(W_OK, AT_EACCESS)` refuses
    /// it (a call denied on a path that is not there was making it); or what stands where a
    /// directory must be (``nonDirectory(onPath:)`` of the path's parent).
    public init(call: String, subject: String = "", errno: Int32) {
        self.call = call
        self.subject = subject
        self.errno = errno
        switch errno {
        case EACCES:
            func denied(_ directory: String, _ mode: Int32) -> Bool? {
                if faccessat(AT_FDCWD, directory, mode, AT_EACCESS) == 0 { return false }
                return Glibc.errno == EACCES ? true : nil
            }
            if let directory = Self.firstBlockOnPath(of: subject, blocks: { denied($0, X_OK) }) {
                obstacle = .unsearchable(directory: directory, uid: geteuid())
            } else if subject.hasPrefix("/"), faccessat(AT_FDCWD, subject, F_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) != 0,
                      Glibc.errno == ENOENT, denied(parentDirectory(of: subject), W_OK) == true {
                obstacle = .unwritable(directory: parentDirectory(of: subject), uid: geteuid())
            }
        case ENOTDIR where !subject.isEmpty:
            // Nothing exists below what is not a directory: the nearest thing there above the
            // path's parent, when that is not a directory, is the first one on the way.
            obstacle = nonDirectory(onPath: parentDirectory(of: subject)).map { .notDirectory(path: $0.path, kind: $0.kind) }
        default:
            break
        }
    }

    /// The first step on the way to the absolute `path` (`/`, then each directory that holds the
    /// next component, the path's own parent last) that `blocks` says stops it (`true`). The walk
    /// ends at the first that cannot be looked at (`nil`: not there), and gives `nil` for a relative
    /// path or for `/` itself.
    static func firstBlockOnPath(of path: String, blocks: (String) -> Bool?) -> String? {
        guard path.hasPrefix("/") else { return nil }
        let components = path.split(separator: "/")
        var step = "/"
        for component in components.dropLast() {
            switch blocks(step) {
            case true?: return step
            case nil: return nil
            case false?: step += step == "/" ? component : "/" + component
            }
        }
        return !components.isEmpty && blocks(step) == true ? step : nil
    }

    /// The C library's text for the errno, lower-cased as in the rest of the logs; where the call
    /// gives the errno a meaning of its own (an inotify limit that reads as a full disk), that too,
    /// and what on the way to a path failed the call (``obstacle``).
    public var reason: String {
        guard let text = strerror(errno) else { return "unknown error" }
        let message = String(cString: text)
        guard let first = message.first else { return message }
        let reason = first.lowercased() + message.dropFirst()
        switch obstacle {
        case let .unsearchable(directory, uid)?: return "\(reason): uid \(uid) may not search \(directory), a directory on its path"
        case let .unwritable(directory, uid)?: return "\(reason): uid \(uid) may not write \(directory), the directory it would be made in"
        case let .notDirectory(path, kind)?: return "\(reason): \(path), on its path, is \(kind)"
        case nil: break
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

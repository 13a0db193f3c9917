/// Why a file the daemon writes (state file, metrics textfile, `file` actuator's path, lock file)
/// was not written.
///
/// Shape: `/var/lib/autoscaled/state.json: is a symbolic link (to /etc/shadow); refusing to write
/// through it (set the path to the real location)`.
public enum FileWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    case system(SystemError)
    /// A symlink stands at the path; `target` is what it points to, as written in the link.
    case symbolicLink(path: String, target: String?)
    /// Something other than a regular file (a directory, a device, a FIFO) stands at the path.
    case notRegularFile(path: String, kind: Directory.EntryKind)
    /// The temporary file a write goes through could not be created in the path's directory:
    /// `cause` is that `openat`'s failure (permission denied, a read-only file system, a full disk).
    case cannotCreate(path: String, cause: SystemError)

    public var description: String { description(omitting: nil) }

    /// The description without the path when it is `named` (see ``SubjectNamingError``).
    public func description(omitting named: String?) -> String {
        switch self {
        case let .system(error):
            error.description(omitting: named)
        case let .symbolicLink(path, target):
            (path == named ? "" : "\(path): ") + "is a symbolic link\(target.map { " (to \($0))" } ?? ""); "
                + "refusing to write through it (set the path to the real location)"
        case let .notRegularFile(path, kind):
            (path == named ? "" : "\(path): ") + "is \(kind), not a regular file; refusing to replace it"
        case let .cannotCreate(path, cause):
            (path == named ? "" : "\(path): ") + "cannot be written: no file can be created in \(parentDirectory(of: path)) "
                + "(\(cause.reason), errno \(cause.errno))"
        }
    }
}

extension FileWriteError {
    /// Runs `body`, turning a ``SystemError`` into ``system(_:)``.
    static package func wrapping<T>(_ body: () throws(SystemError) -> T) throws(FileWriteError) -> T {
        do { return try body() } catch { throw .system(error) }
    }
}

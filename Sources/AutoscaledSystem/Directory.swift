import Glibc

/// An open directory, and the `*at` calls made relative to it: names inside it are looked up
/// without walking the path again, and never through a symlink where the call says so.
///
/// Symlinks in the directory's own path are followed when it is opened (the operator chose that
/// location); only the last component, the file itself, is checked.
public struct Directory: Sendable {
    /// What stands at a name, as `fstatat(…, AT_SYMLINK_NOFOLLOW)` sees it.
    public enum EntryKind: Sendable, Equatable, CustomStringConvertible {
        case regularFile, directory, symbolicLink, other

        public var description: String {
            switch self {
            case .regularFile: "a regular file"
            case .directory: "a directory"
            case .symbolicLink: "a symbolic link"
            case .other: "a device, socket or FIFO"
            }
        }
    }

    public let descriptor: FileDescriptor

    /// Opens the directory at `path` (`O_DIRECTORY`, `O_CLOEXEC`).
    public static func open(_ path: String) throws(SystemError) -> Directory {
        Directory(descriptor: try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY))
    }

    public var path: String { descriptor.subject }

    public func close() { descriptor.close() }

    /// `path/name`, for messages; in the current directory (`.`) the name alone, as it was given.
    public func pathOf(_ name: String) -> String {
        switch path {
        case "/": "/" + name
        case ".": name
        default: "\(path)/\(name)"
        }
    }

    /// What stands at `name` (a symlink is reported as one, not followed); `nil` when nothing does.
    public func kind(of name: String) throws(SystemError) -> EntryKind? {
        var info = Glibc.stat()
        if fstatat(descriptor.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == -1 {
            let code = errno
            if code == ENOENT { return nil }
            throw SystemError(call: "fstatat", subject: pathOf(name), errno: code)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Where the symlink at `name` points, as written in the link; `nil` when it cannot be read.
    public func linkTarget(of name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(descriptor.rawValue, name, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Opens `name` inside the directory; `O_NOFOLLOW` and `O_CLOEXEC` are always added.
    public func openFile(_ name: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> FileDescriptor {
        let fd = try syscall("openat", pathOf(name)) {
            openat(descriptor.rawValue, name, flags | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        return FileDescriptor(rawValue: fd, subject: pathOf(name))
    }

    /// Opens `name` inside the directory for reading.
    public func openForReading(_ name: String) throws(SystemError) -> FileDescriptor {
        try openFile(name, O_RDONLY)
    }

    /// Creates `name` inside the directory, which must not exist yet, for appending, with permission
    /// bits `mode`.
    public func createForAppending(_ name: String, mode: mode_t) throws(SystemError) -> FileDescriptor {
        try openFile(name, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, mode: mode)
    }

    /// Renames `from` to `to`, both inside this directory (replacing what stands at `to`, never following it).
    public func rename(_ from: String, to: String) throws(SystemError) {
        _ = try syscall("renameat", pathOf(to)) { renameat(descriptor.rawValue, from, descriptor.rawValue, to) }
    }

    /// Removes the entry `name` (a symlink itself, never its target).
    public func unlink(_ name: String) throws(SystemError) {
        _ = try syscall("unlinkat", pathOf(name)) { unlinkat(descriptor.rawValue, name, 0) }
    }

    /// The names in the directory at `path`, without `.` and `..`; none when it cannot be read.
    public static func names(at path: String) -> [String] {
        guard let directory = try? Directory.open(path) else { return [] }
        defer { directory.close() }
        return (try? directory.names()) ?? []
    }

    /// The names in the directory, without `.` and `..`.
    public func names() throws(SystemError) -> [String] {
        let copy = try syscall("fcntl(F_DUPFD_CLOEXEC)", path) { fcntl(descriptor.rawValue, F_DUPFD_CLOEXEC, 0) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            _ = Glibc.close(copy)
            throw SystemError(call: "fdopendir", subject: path, errno: code)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while true {
            // readdir returns nil both at the end and on an error; only errno tells them apart.
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw SystemError(call: "readdir", subject: path, errno: errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
    }

    /// Makes the directory's entries durable (after a rename).
    public func sync() throws(SystemError) { try descriptor.sync() }
}

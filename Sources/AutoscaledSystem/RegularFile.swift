import Glibc

/// The contents of a regular file and its modification time, read in one go.
public struct RegularFileContents: Sendable {
    public var bytes: [UInt8]
    /// Modification time in seconds since the Unix epoch (wall clock).
    public var modifiedAt: Double
}

/// Why a file could not be read whole.
public enum FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case system(SystemError)
    /// `found`: what is there instead, as "a directory", "a FIFO", "a character device" ….
    case notRegularFile(path: String, found: String)
    case tooLarge(path: String, limit: Int)
    /// The file changed while it was read (size or time differ before and after).
    case changedWhileReading(path: String)
    /// The file's size, the same before and after, is not what it reads as (`/proc`: 0 yet data;
    /// `/sys`: 4096 yet a few bytes), its time unchanged: a file the kernel makes as it is read,
    /// whose size is never known.
    case noStatedSize(path: String, stated: Int, read: Int)
    /// A symlink at the path belongs to a user other than root and the one this process runs as.
    case untrustedSymlink(path: String, owner: UInt32)

    public var description: String { description(omitting: nil) }

    /// The description without the path when it is `named`, for a message that already names the
    /// file (`/run/loads.json: not a regular file`); with any other path, whole.
    public func description(omitting named: String?) -> String {
        switch self {
        case let .system(error): error.description(omitting: named)
        case let .notRegularFile(path, found): Self.prefixed(path, omitting: named, "is \(found), not a regular file")
        case let .tooLarge(path, limit): Self.prefixed(path, omitting: named, "larger than the \(limit)-byte limit")
        case let .changedWhileReading(path): Self.prefixed(path, omitting: named, "changed while being read")
        case let .noStatedSize(path, stated, read):
            Self.prefixed(path, omitting: named, "has a size of \(stated) but reads as \(read) bytes (a file the kernel makes, "
                + "as in /proc or /sys), not a regular file of known size")
        case let .untrustedSymlink(path, owner):
            Self.prefixed(path, omitting: named,
                          "is a symbolic link owned by uid \(owner), neither root nor this process's user; not followed")
        }
    }

    private static func prefixed(_ path: String, omitting named: String?, _ text: String) -> String {
        path == named ? text : "\(path): \(text)"
    }
}

/// Reads whole regular files with a size cap.
public enum RegularFile {
    /// What a file of `mode` is, as a message says it: "a directory", "a FIFO", ….
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "a file of another kind"
        }
    }

    /// Reads `path` whole. Follows a symlink at the path, or on the way to it (a directory of the
    /// path, or of a link's target), only when root or this process's user owns the link (as the
    /// kernel's `fs.protected_symlinks` does in shared directories): another user's link could
    /// otherwise make the daemon read a file that user cannot, and quote it in an error. A loop
    /// fails with `ELOOP`. Refuses anything that is not a regular file (directories, FIFOs, devices)
    /// without blocking, refuses files over `limit` bytes, and refuses a file whose size or
    /// modification time changed while it was read.
    public static func read(_ path: String, limit: Int) throws(FileReadError) -> RegularFileContents {
        let fd = try openTrusted(path)
        defer { fd.close() }
        let before = try system { () throws(SystemError) in try fd.stat() }
        guard before.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path, found: Self.kind(of: before.st_mode)) }
        guard before.st_size <= limit else { throw .tooLarge(path: path, limit: limit) }
        guard let bytes = try system({ () throws(SystemError) in try fd.readToEnd(limit: limit) }) else {
            throw .tooLarge(path: path, limit: limit)
        }
        let after = try system { () throws(SystemError) in try fd.stat() }
        if after.st_size == before.st_size, after.st_size != bytes.count,
           after.st_mtim.tv_sec == before.st_mtim.tv_sec, after.st_mtim.tv_nsec == before.st_mtim.tv_nsec,
           isKernelMade(fd) {
            throw .noStatedSize(path: path, stated: Int(after.st_size), read: bytes.count)
        }
        guard after.st_size == before.st_size, after.st_size == bytes.count,
              after.st_mtim.tv_sec == before.st_mtim.tv_sec, after.st_mtim.tv_nsec == before.st_mtim.tv_nsec
        else { throw .changedWhileReading(path: path) }
        let modifiedAt = Double(after.st_mtim.tv_sec) + Double(after.st_mtim.tv_nsec) / 1e9
        return RegularFileContents(bytes: bytes, modifiedAt: modifiedAt)
    }
}

extension RegularFile {
    /// Whether the open file is under `/proc` or `/sys` (where it really is, links resolved),
    /// whose files the kernel makes as they are read.
    static func isKernelMade(_ fd: FileDescriptor) -> Bool {
        guard let path = realPath(of: fd) else { return false }
        return path.hasPrefix("/proc/") || path.hasPrefix("/sys/")
    }

    /// Opens `path` for reading, following symlinks only when each is trusted: at its end, and on
    /// the way to it (checked first by ``resolveTrusted(_:)``). The file opened must then be in the
    /// directory that walk found, or a link was swapped in between. (Its name there may have
    /// changed: a writer renames files in place, and one renamed over is ` (deleted)`.)
    static func openTrusted(_ path: String) throws(FileReadError) -> FileDescriptor {
        let resolved = try resolveTrusted(path)
        let fd = try openTrustedEnd(path)
        if let resolved, let opened = realPath(of: fd), directory(of: opened) != directory(of: resolved) {
            fd.close()
            throw .changedWhileReading(path: path)
        }
        return fd
    }

    /// `/a/b` of `/a/b/c`: the text before the last `/`.
    private static func directory(of path: String) -> Substring {
        path[..<(path.lastIndex(of: "/") ?? path.startIndex)]
    }

    /// The most links a path is resolved through, as the kernel's own limit (`ELOOP` past it).
    static let maxLinksFollowed = 40

    /// Walks `path` one component at a time, as the kernel resolves it, and refuses a symlink met on
    /// the way that neither root nor this process's user owns.
    /// - Returns: the path with every link resolved, or `nil` when the walk cannot go on (a component
    ///   missing or unreadable, too many links): opening the path then says why, in the kernel's words.
    static func resolveTrusted(_ path: String) throws(FileReadError) -> String? {
        var pending: [Substring] = []
        if !path.hasPrefix("/") {
            guard let cwd = currentDirectory() else { return nil }
            pending = cwd.split(separator: "/")
        }
        pending += path.split(separator: "/")
        pending.reverse()  // popped from the end
        var resolved: [Substring] = []
        var linksFollowed = 0
        while let name = pending.popLast() {
            if name == "." { continue }
            if name == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [name]).joined(separator: "/")
            var info = Glibc.stat()
            guard lstat(candidate, &info) == 0 else { return nil }
            guard info.st_mode & S_IFMT == S_IFLNK else {
                resolved.append(name)
                continue
            }
            guard info.st_uid == 0 || info.st_uid == geteuid() else {
                throw .untrustedSymlink(path: candidate, owner: info.st_uid)
            }
            linksFollowed += 1
            guard linksFollowed <= maxLinksFollowed, let target = linkTarget(candidate) else { return nil }
            if target.hasPrefix("/") { resolved = [] }
            pending += target.split(separator: "/").reversed()
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// What the symlink at `path` points to, or `nil` when it cannot be read.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Where an open file really is, from `/proc/self/fd`; `nil` when `/proc` cannot say.
    static func realPath(of fd: FileDescriptor) -> String? {
        linkTarget("/proc/self/fd/\(fd.rawValue)")
    }

    private static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Opens `path` for reading, following a symlink at its end only when the link is trusted.
    private static func openTrustedEnd(_ path: String) throws(FileReadError) -> FileDescriptor {
        let flags = O_RDONLY | O_NONBLOCK | O_NOCTTY
        do {
            return try FileDescriptor.open(path, flags | O_NOFOLLOW)
        } catch where error.errno == ELOOP {
            // A symlink (or a loop) at the last component: check who made the link, then follow it.
        } catch {
            throw openFailure(error, path)
        }
        let link = try system { () throws(SystemError) in try linkStatus(path) }
        guard link.st_uid == 0 || link.st_uid == geteuid() else {
            throw .untrustedSymlink(path: path, owner: link.st_uid)
        }
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(path, flags) } catch { throw openFailure(error, path) }
        let after = try? linkStatus(path)
        guard let after, after.st_ino == link.st_ino, after.st_dev == link.st_dev else {
            fd.close()
            throw .changedWhileReading(path: path)
        }
        return fd
    }

    /// An `open` of `path` that failed: a socket there (which `open` refuses with `ENXIO`, "no such
    /// device or address") is told as what it is, as a directory or a FIFO is.
    private static func openFailure(_ error: SystemError, _ path: String) -> FileReadError {
        var info = Glibc.stat()
        if error.errno == ENXIO, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK {
            return .notRegularFile(path: path, found: kind(of: info.st_mode))
        }
        return .system(error)
    }

    /// `lstat(path)`: what stands at `path` itself, a symlink not followed.
    static func linkStatus(_ path: String) throws(SystemError) -> Glibc.stat {
        var info = Glibc.stat()
        _ = try syscall("lstat", path) { lstat(path, &info) }
        return info
    }
}

private func system<T>(_ body: () throws(SystemError) -> T) throws(FileReadError) -> T {
    do { return try body() } catch { throw .system(error) }
}

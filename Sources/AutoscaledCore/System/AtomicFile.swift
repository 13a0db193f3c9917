import Glibc

/// Replaces files atomically: a reader sees the old contents or the new, never a mix,
/// and after a crash or power loss the file holds one of the two.
///
/// Steps: write a temporary file in the same directory (`O_EXCL`, explicit mode), `fsync` it,
/// `rename` it over the target, then `fsync` the directory so the rename itself is durable.
/// A symlink at `path` is kept: the file it points to is replaced.
public enum AtomicFile {
    /// With `durable: false` the two `fsync`s are skipped: readers still see the old contents or
    /// the new, but after a power loss the file may hold neither (for files that are rewritten
    /// often and need not survive, like metrics).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = true) throws(SystemError) {
        let target = resolvedTarget(path)
        let directory = parentDirectory(of: target)
        let temporary = "\(directory)/.\(baseName(of: target)).tmp-\(getpid())"
        _ = unlink(temporary)
        let fd = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        do throws(SystemError) {
            _ = try syscall("fchmod", temporary) { fchmod(fd.rawValue, mode) }
            try bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try fd.writeAll(buffer) } }.get()
            if durable { try fd.sync() }
            fd.close()
            _ = try syscall("rename", target) { rename(temporary, target) }
        } catch {
            fd.close()
            _ = unlink(temporary)
            throw error
        }
        guard durable else { return }
        let dirFD = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
        defer { dirFD.close() }
        try dirFD.sync()
    }

    /// Creates `path` and its missing parents with `mode` (like `mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) == -1, errno != EEXIST {
                throw SystemError(call: "mkdir", subject: prefix, errno: errno)
            }
        }
    }

    /// The path to replace: the end of a symlink chain, or `path` itself.
    static func resolvedTarget(_ path: String) -> String {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK,
              let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// The directory part of `path` (`"."` when there is none).
public func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
}

/// The last component of `path`.
public func baseName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}

/// `true` when `path` names a directory (following symlinks).
public func directoryExists(_ path: String) -> Bool {
    var info = Glibc.stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
}

import Glibc

/// The current directory, or `nil` when `getcwd` fails (it was removed, or is too long).
public func currentDirectory() -> String? {
    guard let cwd = getcwd(nil, 0) else { return nil }
    defer { free(cwd) }
    return String(cString: cwd)
}

/// `path` made absolute against the current directory (without resolving symlinks).
public func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let base = currentDirectory() else { return path }
    let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    return base == "/" ? "/" + trimmed : base + "/" + trimmed
}

/// The permission bits of `path` (following symlinks), or `nil` if it cannot be stat'ed.
public func permissionBits(of path: String) -> UInt32? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt32(info.st_mode) & 0o7777
}

/// `path` with every symbolic link along it resolved (`realpath(3)`): the file a write through the
/// path lands in.
/// - Throws: ``SystemError`` when a part of it is missing, a loop, or cannot be searched.
public func resolvedPath(_ path: String) throws(SystemError) -> String {
    guard let resolved = realpath(path, nil) else { throw SystemError(call: "realpath", subject: path, errno: errno) }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// Where a write to `path` that follows symbolic links lands: `path`, or, while it names a symbolic
/// link, what the link points to (resolved against the link's directory), also when that does not
/// exist yet. Links in the directories along the way are left as they are; at most 40 links are
/// followed (then the last one reached is returned, as the write would fail on the loop).
public func writeDestination(of path: String) -> String {
    var current = path
    for _ in 0..<40 {
        var info = stat()
        guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(current, &buffer, buffer.count - 1)
        guard count > 0 else { return current }
        let target = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        current = target.hasPrefix("/") ? target : parentDirectory(of: current) + "/" + target
    }
    return current
}

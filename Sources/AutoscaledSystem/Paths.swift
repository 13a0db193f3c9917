import Glibc

/// `path` made absolute against the current directory (without resolving symlinks).
public func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let cwd = getcwd(nil, 0) else { return path }
    defer { free(cwd) }
    let base = String(cString: cwd)
    let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    return base == "/" ? "/" + trimmed : base + "/" + trimmed
}

/// The permission bits of `path` (following symlinks), or `nil` if it cannot be stat'ed.
public func permissionBits(of path: String) -> UInt32? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt32(info.st_mode) & 0o7777
}

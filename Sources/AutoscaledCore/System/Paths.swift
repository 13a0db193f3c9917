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

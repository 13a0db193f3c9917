import Glibc

/// One regular file of a directory: its name, size and modification time.
public struct DirectoryFile: Sendable, Equatable {
    public var name: String
    public var size: Int
    /// Modification time in seconds since the Unix epoch (wall clock).
    public var modifiedAt: Double
}

extension Directory {
    /// The regular files whose names satisfy `include`, sorted by name. Entries are looked at with
    /// `fstatat(AT_SYMLINK_NOFOLLOW)`: a symlink or anything else is left out, as is a file removed
    /// while the directory is listed.
    public func regularFiles(where include: (String) -> Bool) throws(SystemError) -> [DirectoryFile] {
        var files: [DirectoryFile] = []
        for name in try names() where include(name) {
            var info = Glibc.stat()
            if fstatat(descriptor.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == -1 {
                let code = errno
                if code == ENOENT { continue }
                throw SystemError(call: "fstatat", subject: pathOf(name), errno: code)
            }
            guard info.st_mode & S_IFMT == S_IFREG else { continue }
            files.append(DirectoryFile(
                name: name, size: Int(info.st_size),
                modifiedAt: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9))
        }
        return files.sorted { $0.name < $1.name }
    }
}

/// What stands at `path`: a symbolic link there is told as one, not followed (links in the
/// directories above are); `nil` when nothing is there, or it cannot be looked at.
public func entryKind(at path: String, followingLinks: Bool = false) -> Directory.EntryKind? {
    var info = stat()
    guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: return .directory
    case S_IFREG: return .regularFile
    case S_IFLNK: return .symbolicLink
    default: return .other
    }
}

/// Where a directory at `path` cannot be: the path itself or, when nothing is there, the nearest
/// existing directory above it, when that is not a directory (symbolic links followed), and what it is.
/// - Returns: `nil` when the path or its nearest existing parent is a directory, or cannot be looked at.
public func nonDirectory(onPath path: String) -> (path: String, kind: Directory.EntryKind)? {
    var current = path
    while true {
        var info = stat()
        if stat(current, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: return nil
            case S_IFREG: return (current, .regularFile)
            default: return (current, .other)
            }
        }
        let code = errno
        guard code == ENOENT || code == ENOTDIR else { return nil }
        let parent = parentDirectory(of: current)
        guard parent != current, !parent.isEmpty else { return nil }
        current = parent
    }
}

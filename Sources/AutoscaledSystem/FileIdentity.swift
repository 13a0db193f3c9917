import Glibc

/// What makes a file one file under all of its names: the device and inode `stat` gives.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The identity of the file at `path` (symbolic links followed).
    public init(path: String) throws(SystemError) {
        var info = Glibc.stat()
        _ = try syscall("stat", path) { stat(path, &info) }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The identity of the file open at `descriptor`.
    public init(of descriptor: FileDescriptor) throws(SystemError) {
        let info = try descriptor.stat()
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// One file as it stood when looked at: its identity, its inode's change time (`st_ctim`, moved
/// by every write, rename and change of its metadata) and its size. A file made where another was removed can
/// take the freed inode number, but not its change time.
public struct FileVersion: Sendable, Equatable {
    public var identity: FileIdentity
    public var changedSeconds: Int
    public var changedNanoseconds: Int
    /// Its size: a truncation and the write after it can fall within one tick of the change time.
    public var size: Int

    /// The file at `path` now (symbolic links followed).
    public init(path: String) throws(SystemError) {
        var info = Glibc.stat()
        _ = try syscall("stat", path) { stat(path, &info) }
        identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        changedSeconds = Int(info.st_ctim.tv_sec)
        changedNanoseconds = Int(info.st_ctim.tv_nsec)
        size = Int(info.st_size)
    }
}

/// Whether an open file is still the file its path names.
public enum FilePlacement: Sendable, Equatable {
    /// The path names the open file.
    case inPlace
    /// The file has no name left (`st_nlink` 0): it was removed, alone or with its directory.
    case removed
    /// The file still has a name, but nothing is at the path: it or a directory above it was moved.
    case moved
    /// Another file stands at the path.
    case replaced
}

extension FileDescriptor {
    /// Where the open file stands against `path`, the path it was opened at (symbolic links in
    /// the path are followed).
    /// - Throws: when the descriptor or the path cannot be looked at (other than nothing being there).
    public func placement(at path: String) throws(SystemError) -> FilePlacement {
        try placement(of: try stat(), at: path)
    }

    /// ``placement(at:)`` from `own`, this descriptor's `stat` as the caller took it (and reads
    /// more of, such as the size).
    public func placement(of own: Glibc.stat, at path: String) throws(SystemError) -> FilePlacement {
        if own.st_nlink == 0 { return .removed }
        var info = Glibc.stat()
        if fstatat(AT_FDCWD, path, &info, 0) == -1 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return .moved }
            throw SystemError(call: "stat", subject: path, errno: code)
        }
        return info.st_dev == own.st_dev && info.st_ino == own.st_ino ? .inPlace : .replaced
    }
}

/// Where a path leads, so that two names of one file are seen as one: the file, when it exists;
/// else the directory it would be made in (by identity, so a symlinked directory is the directory)
/// and its name there.
public enum FilePlace: Sendable, Hashable {
    case file(FileIdentity)
    case entry(directory: FileIdentity, name: String)

    /// Where `path` leads, from the identities `identity` gives (symbolic links followed); `nil`
    /// when neither the file nor its directory can be looked at.
    public static func of(_ path: String, identity: (String) -> FileIdentity? = { try? FileIdentity(path: $0) }) -> FilePlace? {
        if let file = identity(path) { return .file(file) }
        return identity(parentDirectory(of: path)).map { .entry(directory: $0, name: baseName(of: path)) }
    }

    /// Whether `a` and `b`, found at one place, still are at each of `looks` more looks, both
    /// looked at each time. A file replaced between two looks can free its inode for the other
    /// path's file to take (a load file renamed over while another file is written), which is no
    /// alias; two names of one file stay one at every look.
    public static func stillOne(_ a: String, _ b: String, looks: Int = 3, place: (String) -> FilePlace?) -> Bool {
        (0..<looks).allSatisfy { _ in
            let first = place(a)
            return first != nil && first == place(b)
        }
    }
}

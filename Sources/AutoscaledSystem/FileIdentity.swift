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
}

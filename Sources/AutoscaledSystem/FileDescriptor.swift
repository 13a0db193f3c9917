import Glibc

/// An owned file descriptor with the few operations the daemon needs.
/// Every call goes through ``syscall(_:_:_:)``: `EINTR` is retried, errors name the call and path.
public struct FileDescriptor: Sendable {
    public let rawValue: Int32
    /// The path or address the descriptor was opened on, for error messages.
    public let subject: String

    public init(rawValue: Int32, subject: String) {
        self.rawValue = rawValue
        self.subject = subject
    }

    /// Opens `path` with `O_CLOEXEC` added to `flags`.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> FileDescriptor {
        let fd = try syscall("open", path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
        return FileDescriptor(rawValue: fd, subject: path)
    }

    public func close() {
        _ = Glibc.close(rawValue)
    }

    public func stat() throws(SystemError) -> Glibc.stat {
        var info = Glibc.stat()
        _ = try syscall("fstat", subject) { fstat(rawValue, &info) }
        return info
    }

    /// Reads into `buffer`; returns 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try syscall("read", subject) { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Writes all of `bytes`, looping over short writes.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = try syscall("write", subject) {
                Glibc.write(rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            }
            offset += written
        }
    }

    public func sync() throws(SystemError) {
        _ = try syscall("fsync", subject) { fsync(rawValue) }
    }

    /// Reads until end of file, failing once more than `limit` bytes have arrived. A regular file
    /// already larger than `limit` is refused by its size, before a byte is read (every caller reads
    /// from the start, where the size is what is left to read).
    /// - Returns: the bytes, or `nil` when the data is larger than `limit`.
    public func readToEnd(limit: Int) throws(SystemError) -> [UInt8]? {
        var bytes: [UInt8] = []
        let info = try stat()
        if info.st_mode & S_IFMT == S_IFREG {
            guard info.st_size <= limit else { return nil }
            bytes.reserveCapacity(Int(info.st_size))
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemError) in try read(into: buffer) }
            }.get()
            if count == 0 { return bytes }
            if bytes.count + count > limit { return nil }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

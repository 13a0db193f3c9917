import Glibc

/// A pipe for tests, both ends close-on-exec (a child gets an end only through an explicit dup2).
public struct TestPipe {
    public let readEnd: Int32
    public let writeEnd: Int32

    /// - Parameter capacity: the pipe's buffer size (`F_SETPIPE_SZ`), e.g. 4096 for one page.
    public init(capacity: Int32? = nil) {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0, "pipe failed: \(errno)")
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        if let capacity {
            let setPipeSize: Int32 = 1031 // F_SETPIPE_SZ, Linux-only and not exported by Glibc's module
            precondition(fcntl(ends[1], setPipeSize, capacity) >= capacity, "F_SETPIPE_SZ failed: \(errno)")
        }
        (readEnd, writeEnd) = (ends[0], ends[1])
    }

    /// Reads whatever is in the pipe now, without waiting.
    public func drain() -> String {
        let flags = fcntl(readEnd, F_GETFL)
        _ = fcntl(readEnd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(readEnd, F_SETFL, flags) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

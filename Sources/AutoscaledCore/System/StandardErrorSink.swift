import Glibc

/// Writes each log line to stderr with a single `write(2)`: no buffering (lines reach journald at
/// once) and no interleaving of two lines.
public struct StandardErrorSink: LogSink {
    public init() {}

    public func write(line: String) {
        StandardStream.write(line + "\n", to: 2)
    }
}

/// Unbuffered writes to stdout and stderr (`print` is block-buffered on a pipe).
public enum StandardStream {
    public static let output: Int32 = 1
    public static let error: Int32 = 2

    /// Writes all of `text` to `fd`, looping over short writes; errors are dropped (there is
    /// nowhere left to report them).
    public static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written == -1 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

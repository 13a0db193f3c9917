import Glibc

/// Writes each log line to stderr in one piece, never blocking the caller: a line that cannot be
/// written at once (a full pipe nobody reads, a reader that is gone) is dropped whole and counted,
/// and the count is written as its own line once writing works again.
///
/// No buffering: lines reach journald at once. Lines from several threads never interleave.
public final class StandardErrorSink: LogSink {
    private let output: NonBlockingOutput
    private let writer = Locked(LossyLineWriter())

    public init(fd: Int32 = StandardStream.error) {
        output = NonBlockingOutput(inherited: fd)
    }

    public func write(line: String) {
        write(line: line, dropReport: { _ in nil })
    }

    public func write(line: String, dropReport: (Int) -> String?) {
        writer.withLock { writer in
            writer.write(Array((line + "\n").utf8), report: { count in dropReport(count).map { Array(($0 + "\n").utf8) } },
                         attempt: output.attempt)
        }
    }

    public var droppedLines: Int { writer.withLock { $0.droppedTotal } }
}

/// Unbuffered writes to stdout and stderr (`print` is block-buffered on a pipe), for the one-shot
/// commands; the daemon's log goes through ``StandardErrorSink``.
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

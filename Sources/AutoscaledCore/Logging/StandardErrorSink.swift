import AutoscaledSystem

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

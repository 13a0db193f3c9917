/// Where encoded log lines go. A sink writes each line whole, in one piece, or not at all.
public protocol LogSink: Sendable {
    /// Writes `line` followed by a newline.
    func write(line: String)

    /// Writes `line` followed by a newline. A sink that drops lines (its reader is slow or gone)
    /// first writes `dropReport(n)` — the line saying that `n` lines were lost — once writing works
    /// again; `nil` means the report is not wanted.
    func write(line: String, dropReport: (Int) -> String?)

    /// Lines dropped since the sink was made.
    var droppedLines: Int { get }

    /// Writes `record`, already encoded as `line`, as ``write(line:dropReport:)`` does. A sink that
    /// keeps fields apart (the journal) uses the record; the others write the line.
    func write(_ record: LogRecord, line: String, dropReport: (Int) -> String?)
}

extension LogSink {
    /// A sink that never drops has nothing to report.
    public func write(line: String, dropReport: (Int) -> String?) {
        write(line: line)
    }

    public var droppedLines: Int { 0 }

    public func write(_ record: LogRecord, line: String, dropReport: (Int) -> String?) {
        write(line: line, dropReport: dropReport)
    }
}

/// Where encoded log lines go. A sink writes each line whole, in one piece.
public protocol LogSink: Sendable {
    /// Writes `line` followed by a newline.
    func write(line: String)
}

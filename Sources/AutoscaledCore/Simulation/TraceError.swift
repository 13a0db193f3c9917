/// Why a trace file cannot be replayed. Every fault names the line it is on.
public enum TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file holds no header line.
    case noHeader
    /// The header line is not `t_seconds,…` with valid, unique column names; `line` is 1-based.
    case header(line: Int, String)
    /// A data line is malformed; `line` is 1-based.
    case line(Int, String)
    /// The header is there but no bin follows it, or only one (the bin width needs two).
    case tooFewRows(Int)
    /// The bins span more seconds than a replay steps through.
    case tooLong(bins: Int, binSeconds: Int, limit: Int)

    public var description: String {
        switch self {
        case .noHeader: "no header line (expected e.g. 't_seconds,requests')"
        case let .header(line, message): "line \(line): \(message)"
        case let .line(line, message): "line \(line): \(message)"
        case let .tooFewRows(count):
            "\(count == 0 ? "no data rows" : "only one data row") (the bin width is read from the first two rows)"
        case let .tooLong(bins, width, limit):
            "\(bins) bins of \(width) s span more than the \(limit) s a replay may cover"
        }
    }
}

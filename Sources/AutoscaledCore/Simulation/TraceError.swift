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
    /// The file is not UTF-8 text (a compressed file, UTF-16, binary data): `start` is its first
    /// bytes as written, `kind` what they are when known (`gzip data`, `UTF-16 text`) and what to do.
    case notText(start: String, kind: FileKind?)

    /// What a file that is not UTF-8 text is, and what to do with it.
    public struct FileKind: Sendable, Equatable {
        /// `gzip data`, `UTF-16 text`.
        public var name: String
        /// `decompress it first`.
        public var remedy: String
        /// Whether the first bytes say so only with a NUL byte in the file (`BZh` may start text).
        var needsNul = false
    }

    public var description: String {
        switch self {
        case .noHeader: "no header line (expected e.g. 't_seconds,requests')"
        case let .header(line, message): "line \(line): \(message)"
        case let .line(line, message): "line \(line): \(message)"
        case let .tooFewRows(count):
            "\(count == 0 ? "no data rows" : "only one data row") (the bin width is read from the first two rows)"
        case let .tooLong(bins, width, limit):
            "\(bins) bins of \(width) s span more than the \(limit) s a replay may cover"
        case let .notText(start, kind?):
            "not a UTF-8 text file: it starts \(start), as \(kind.name) does (\(kind.remedy))"
        case let .notText(start, nil):
            "not a UTF-8 text file: it starts \(start), and holds a NUL byte (a trace is CSV text)"
        }
    }
}

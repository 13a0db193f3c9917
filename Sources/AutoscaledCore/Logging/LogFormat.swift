/// The encoding of log lines.
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// `key=value` pairs, values quoted when needed.
    case logfmt
    /// One JSON object per line.
    case json
}

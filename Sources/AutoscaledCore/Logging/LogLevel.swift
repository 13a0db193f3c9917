/// Severity of a log line, ordered from the least to the most severe.
/// The raw values are syslog priorities, which journald reads from a `<N>` prefix.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug = 7
    case info = 6
    case notice = 5
    case warning = 4
    case error = 3

    /// The name used in config files and in the `level=` field.
    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// The level named `name`, as written in a config file.
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue > rhs.rawValue
    }
}

import AutoscaledBase

/// A field value in a log line. Numbers stay numbers in JSON; everything is escaped on output.
public enum LogValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByStringInterpolation
{
    case string(String)
    case int(Int)
    case number(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The value as text, before any quoting: numbers exact (``DecimalText/Style/exact``), integral
    /// ones without a trailing `.0`.
    public var text: String {
        switch self {
        case let .string(value): value
        case let .int(value): String(value)
        case let .number(value): DecimalText.format(value)
        case let .bool(value): value ? "true" : "false"
        }
    }
}

/// One named field of a log line.
public struct LogField: Sendable, Equatable {
    public var key: String
    public var value: LogValue

    public init(_ key: String, _ value: LogValue) {
        self.key = key
        self.value = value
    }
}

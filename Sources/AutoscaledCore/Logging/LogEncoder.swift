import AutoscaledBase
import AutoscaledSystem

/// Turns a ``LogRecord`` into one line of text (without the trailing newline).
///
/// Fields come out in a fixed order: `ts` (the ISO-8601 UTC timestamp, terminal style only), `level`,
/// `event`, then the record's fields as given, so a logfmt line is `key=value` pairs throughout.
/// Every character that does not show as itself (controls, bidi controls, zero-width and other
/// invisible characters) is escaped by ``TextEscaping``, so no value can start a new line, forge a
/// field or reorder what a terminal shows.
public struct LogEncoder: Sendable {
    /// Where lines go, which decides their prefix.
    public enum Style: Sendable, Equatable {
        /// A terminal or a file: each line starts with the field `ts`, an ISO-8601 UTC timestamp.
        case terminal
        /// journald's stream (`JOURNAL_STREAM` set): `<N>` priority prefix, no timestamp.
        case journal
    }

    public var format: LogFormat
    public var style: Style

    public init(format: LogFormat, style: Style) {
        self.format = format
        self.style = style
    }

    public func encode(_ record: LogRecord, wallTime: Double) -> String {
        let prefix = style == .journal ? Self.journalPrefix(record.level) : ""
        let timestamp: String? = style == .terminal ? WallClock.iso8601(wallTime) : nil
        switch format {
        case .logfmt:
            var line = prefix
            if let timestamp { line += "ts=\(timestamp) " }
            line += "level=\(record.level.name) event=\(record.event.rawValue)"
            for field in record.fields {
                line += " \(Self.logfmtKey(field.key))=\(Self.logfmtValue(field.value))"
            }
            return line
        case .json:
            var line = prefix + "{"
            if let timestamp { line += "\"ts\":\"\(timestamp)\"," }
            line += "\"level\":\"\(record.level.name)\",\"event\":\"\(record.event.rawValue)\""
            for field in record.fields {
                line += ",\(Self.jsonString(field.key)):\(Self.jsonValue(field.value))"
            }
            return line + "}"
        }
    }

    /// `<6>`: the syslog priority journald's stream reads (and strips) at the start of a line.
    public static func journalPrefix(_ level: LogLevel) -> String {
        "<\(level.rawValue)>"
    }

    /// A logfmt value: bare when it is plain, else double-quoted with escapes.
    public static func logfmtValue(_ value: LogValue) -> String {
        let text = value.text
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || !TextEscaping.isVisible(scalar)
        }
        return needsQuotes ? "\"" + escaped(text) + "\"" : text
    }

    /// Keys are ours, but stay safe: anything outside `[A-Za-z0-9_.-]` becomes `_`.
    static func logfmtKey(_ key: String) -> String {
        String(String.UnicodeScalarView(key.unicodeScalars.map { scalar in
            scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || scalar == "_" || scalar == "." || scalar == "-" ? scalar : "_"
        }))
    }

    public static func jsonString(_ text: String) -> String {
        "\"" + escaped(text) + "\""
    }

    static func jsonValue(_ value: LogValue) -> String {
        switch value {
        case .string: jsonString(value.text)
        case let .number(number) where !number.isFinite: jsonString(value.text)
        case .int, .number, .bool: value.text
        }
    }

    /// Escapes quotes, backslashes and every character that does not show as itself, as JSON does
    /// (`\u001b`, `\u202e`, a surrogate pair above U+FFFF).
    static func escaped(_ text: String) -> String {
        TextEscaping.escaped(text, quote: "\"", notation: .json)
    }
}

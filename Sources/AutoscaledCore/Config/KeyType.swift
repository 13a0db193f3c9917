import AutoscaledBase

/// The type of a config key: how its text is read, checked, and described in errors.
enum KeyType: Sendable {
    /// Any non-empty text; one pair of enclosing double quotes is removed.
    case string
    /// A file path; enclosing double quotes are removed, a relative path is resolved against
    /// the config file's directory and the result normalised (see ``PathText``). A path that can
    /// only name a directory (`/run/x/`, `/run/x/..`) is refused, never read as the file `/run/x`.
    case path
    /// A directory path, read as ``path`` is but without that check.
    case directory
    /// A decimal number from -``LoadSnapshot/maxLoad`` to ``LoadSnapshot/maxLoad``: `50`, `-2.5`, `1e3`.
    /// Loads never go beyond that bound, so neither does any threshold or ratio worth stating.
    case number
    /// A decimal integer within `min...max` (either bound optional).
    case integer(min: Int? = nil, max: Int? = nil)
    /// A systemd-style duration (see ``DurationText``); never negative, zero only when allowed,
    /// at least `minimum` otherwise (when given), at most ``maxDuration``.
    case duration(allowsZero: Bool, minimum: Duration? = nil)
    /// Durations separated by commas, each within `within`, distinct, at most `most` of them; or
    /// `none` (an empty list).
    case durationList(within: ClosedRange<Duration>, most: Int)
    /// `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`, in any case.
    case boolean
    /// A size in bytes of at least `min` (see ``ByteSizeText``): `65536`, `512K`, `64MiB`.
    case byteSize(min: Int)
    /// One of a closed list of names, compared exactly.
    case choice([String])
    /// A command line, split into words with quotes honoured (see ``CommandTemplate``).
    case command
    /// A systemd unit name with `{i}` for the instance number (see ``UnitNameTemplate``).
    case unitName
    /// Text in which `\n`, `\r`, `\t` and `\\` are escapes (a request to send); read decoded.
    case escapedText
    /// `127.x.y.z:PORT` or `[::1]:PORT` (see ``LoopbackAddress``).
    case loopbackAddress
    /// `http://127.0.0.1:PORT/path` (see ``LoopbackURL``).
    case loopbackURL
    /// A Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    case metricName
    /// A name of letters, digits and `_` not starting with a digit (a label, a CSV column).
    case identifier
    /// `label=value,…` (see ``LabelMatcher/parseList(_:)``).
    case labelMatch

    /// The longest duration a key takes: a year. Longer waits mean nothing to an autoscaler, and
    /// every timer and deadline built from a duration stays far inside its integer range.
    static let maxDuration: Duration = .seconds(365 * 86_400)

    /// Why a text is not a valid value: `problem` follows the quoted text in the message,
    /// `expected` (if any) goes in parentheses after it.
    struct Fault: Error, Equatable {
        var problem: String
        var expected: String?
    }

    /// What a value looks like, for `(expected …)`; `example` is a valid value of the key.
    func expected(example: String) -> String {
        switch self {
        case .string: "a text, e.g. \(example)"
        case .path: "a path, e.g. \(example)"
        case .directory: "a directory, e.g. \(example)"
        case .number: "a finite number, e.g. \(example)"
        case let .integer(min?, max?): "an integer from \(min) to \(max), e.g. \(example)"
        case let .integer(min?, nil): "an integer >= \(min), e.g. \(example)"
        case let .integer(nil, max?): "an integer <= \(max), e.g. \(example)"
        case .integer(nil, nil): "an integer, e.g. \(example)"
        case .duration: "a duration, e.g. \(example)"
        case let .durationList(range, most):
            "none, or up to \(most) durations from \(DurationText.format(range.lowerBound)) to "
                + "\(DurationText.format(range.upperBound)) separated by commas, e.g. \(example)"
        case .boolean: "true, false, yes, no, on, off, 1 or 0"
        case let .byteSize(min): "a whole number of bytes, or of K, M, G or T, at least \(ByteSizeText.format(min)), e.g. \(example)"
        case let .choice(names): "one of " + names.joined(separator: ", ")
        case .command: "a program and its arguments, e.g. \(example)"
        case .unitName: "a unit name with {i} for the instance number, e.g. \(example)"
        case .escapedText: "a text in which \\n, \\r, \\t and \\\\ are escapes, e.g. \(example)"
        case .loopbackAddress: "127.0.0.1:PORT or [::1]:PORT, e.g. \(example)"
        case .loopbackURL: "an http:// URL on 127.0.0.1 or [::1], e.g. \(example)"
        case .metricName: "a metric name of letters, digits, '_' and ':', e.g. \(example)"
        case .identifier: "a name of letters, digits and '_', e.g. \(example)"
        case .labelMatch: "label=value pairs separated by commas, e.g. \(example)"
        }
    }

    /// Reads `text` (trimmed and non-empty) as a value of this type.
    /// A value wholly in quotes is read without them, whatever its type (a command is split into words instead).
    func parse(_ given: String, example: String, directory: String) throws(Fault) -> TypedValue {
        let expected = expected(example: example)
        let text: String
        if case .command = self { text = given } else { text = try Self.unquoted(given) }
        switch self {
        case .string:
            guard !text.isEmpty else { throw Fault(problem: "is empty", expected: expected) }
            return .string(text)
        case .path:
            let path = text
            if PathText.namesDirectory(path) {
                throw Fault(problem: "names a directory, not a file", expected: expected)
            }
            return .string(try Self.readPath(path, expected: expected, directory: directory))
        case .directory:
            return .string(try Self.readPath(text, expected: expected, directory: directory))
        case .number:
            return .number(try Self.readNumber(text, expected: expected))
        case let .integer(min, max):
            return .integer(try Self.readInteger(text, min: min, max: max, expected: expected))
        case let .duration(allowsZero, minimum):
            let duration = try Self.readDuration(text, allowsZero: allowsZero, expected: expected, example: example)
            if let minimum, duration != .zero, duration < minimum {
                throw Fault(problem: "must be at least \(DurationText.format(minimum))")
            }
            return .duration(duration)
        case let .durationList(range, most):
            return .durations(try Self.readDurationList(text, within: range, most: most, expected: expected, example: example))
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .boolean(true)
            case "false", "no", "off", "0": return .boolean(false)
            default: throw Fault(problem: "is not a boolean", expected: expected)
            }
        case let .byteSize(min):
            return .byteSize(try Self.readByteSize(text, min: min, expected: expected))
        case let .choice(names):
            guard names.contains(text) else {
                let hint = EditDistance.suggestion(for: text, among: names).map { "; did you mean '\($0)'?" }
                throw Fault(problem: "is not a valid choice", expected: expected + (hint ?? ""))
            }
            return .string(text)
        case .command:
            do {
                return .command(try CommandTemplate(parsing: text))
            } catch {
                throw Fault(problem: error.problem, expected: error.expected ?? expected)
            }
        case .unitName:
            do {
                return .unitName(try UnitNameTemplate(text))
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        case .escapedText, .loopbackAddress, .loopbackURL, .metricName, .identifier, .labelMatch:
            return try parseSourceValue(text, expected: expected)
        }
    }

    /// `text` without its enclosing quotes, double or single, when one quoted run is the whole of
    /// it (`"a b"` and `'a b'` → `a b`). The run ends at the first quote like the opening one (in
    /// double quotes, not one after a `\`, as the file's comments are found): text after it is
    /// refused (`"a" "b"`, `'it''s'`), and so is a quote of the same kind escaped inside it, as
    /// values have no escapes to read it by. A value that opens a quote and never closes it is
    /// refused too: where it ends, and whether a `#` in it starts a comment, is not guessed.
    private static func unquoted(_ text: String) throws(Fault) -> String {
        let scalars = Array(text.unicodeScalars)
        guard let open = scalars.first, open == "\"" || open == "'" else { return text }
        let kind = open == "\"" ? "double" : "single"
        var index = 1
        var escapedQuote = false
        while index < scalars.count, scalars[index] != open {
            if open == "\"", scalars[index] == "\\", index + 1 < scalars.count {
                if scalars[index + 1] == open { escapedQuote = true }
                index += 1
            }
            index += 1
        }
        guard index < scalars.count else { throw Fault(problem: "has an unterminated \(kind) quote") }
        guard index == scalars.count - 1 else {
            throw Fault(problem: "has text after its closing \(kind) quote (quote the whole value, or none of it)")
        }
        guard !escapedQuote else {
            throw Fault(problem: "has a \(kind) quote inside its \(kind) quotes, which values have no escape for "
                + "(quote it with the other kind of quote)")
        }
        var inner = String.UnicodeScalarView()
        inner.append(contentsOf: scalars[1..<index])
        return String(inner)
    }

    private static func readPath(_ path: String, expected: String, directory: String) throws(Fault) -> String {
        guard !path.isEmpty else { throw Fault(problem: "is empty", expected: expected) }
        guard !path.unicodeScalars.contains("\0") else {
            throw Fault(problem: "contains a NUL character", expected: expected)
        }
        guard !path.hasPrefix("~") else {
            throw Fault(problem: "starts with '~', which is not expanded",
                        expected: "an absolute path or one relative to the config file")
        }
        return PathText.resolve(path, against: directory)
    }

    private static func readNumber(_ text: String, expected: String) throws(Fault) -> Double {
        let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? String(text.dropFirst()) : text
        if ["nan", "inf", "infinity"].contains(unsigned.lowercased()) {
            throw Fault(problem: "is not a finite number", expected: expected)
        }
        guard DecimalText.isUnsignedDecimal(unsigned), let number = Double(text) else {
            throw Fault(problem: "is not a number", expected: expected)
        }
        guard number.isFinite else { throw Fault(problem: "is not a finite number", expected: expected) }
        // `1e-400`: written as more than nothing, read as 0, which may mean "off" for the key.
        if number == 0, unsigned.unicodeScalars.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) }) {
            throw Fault(problem: "is too small to tell from 0", expected: expected)
        }
        if number > LoadSnapshot.maxLoad { throw Fault(problem: "must be at most \(LoadSnapshot.maxLoadText)") }
        if number < -LoadSnapshot.maxLoad { throw Fault(problem: "must be at least -\(LoadSnapshot.maxLoadText)") }
        return number
    }

    private static func readInteger(_ text: String, min: Int?, max: Int?, expected: String) throws(Fault) -> Int {
        let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : text[...]
        guard !unsigned.isEmpty, unsigned.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw Fault(problem: "is not an integer", expected: expected)
        }
        guard let integer = Int(text) else {
            // Beyond 64 bits: the bound it passes, as for any other value past it.
            if text.hasPrefix("-"), let min { throw Fault(problem: "must be at least \(min)") }
            if !text.hasPrefix("-"), let max { throw Fault(problem: "must be at most \(max)") }
            throw Fault(problem: "is out of range", expected: expected)
        }
        if let min, integer < min { throw Fault(problem: "must be at least \(min)") }
        if let max, integer > max { throw Fault(problem: "must be at most \(max)") }
        return integer
    }

    private static func readByteSize(_ text: String, min: Int, expected: String) throws(Fault) -> Int {
        let bytes: Int
        do {
            bytes = try ByteSizeText.parse(text)
        } catch {
            switch error {
            case .malformed: throw Fault(problem: "is not a size", expected: expected)
            case .tooLarge: throw Fault(problem: "is too large: a size is at most 2^63 - 1 bytes (8388607T)", expected: expected)
            case let .unknownUnit(unit):
                throw Fault(problem: "has an unknown unit \(EscapedText.quoted(unit))", expected: expected)
            }
        }
        guard bytes >= min else { throw Fault(problem: "must be at least \(ByteSizeText.format(min))") }
        return bytes
    }

    private static func readDuration(
        _ text: String, allowsZero: Bool, expected: String, example: String
    ) throws(Fault) -> Duration {
        let duration: Duration
        do {
            duration = try DurationText.parse(text)
        } catch {
            switch error {
            case .empty: throw Fault(problem: "is empty", expected: expected)
            case .negative: throw Fault(problem: "must not be negative", expected: expected)
            case .notFinite: throw Fault(problem: "is not a finite duration", expected: expected)
            case .malformed: throw Fault(problem: "is not a duration", expected: expected)
            case .tooLarge: throw Fault(problem: "must be at most \(DurationText.format(maxDuration))")
            case let .unknownUnit(unit):
                throw Fault(problem: "has an unknown unit \(EscapedText.quoted(unit))",
                            expected: "a duration in us, ms, s, min, h or d, e.g. \(example)")
            }
        }
        if duration == .zero, text.unicodeScalars.contains(where: { ("1"..."9").contains($0) }) {
            // `0.4us`: more than nothing as written, nothing at the finest step a duration has.
            throw Fault(problem: "is less than 1us, the finest step of a duration, and so 0"
                + (allowsZero ? " (write 0 for none)" : ", where it must be greater than 0"))
        }
        if !allowsZero, duration == .zero { throw Fault(problem: "must be greater than 0") }
        if duration > maxDuration { throw Fault(problem: "must be at most \(DurationText.format(maxDuration))") }
        return duration
    }

    private static func readDurationList(
        _ text: String, within range: ClosedRange<Duration>, most: Int, expected: String, example: String
    ) throws(Fault) -> [Duration] {
        if text == "none" { return [] }
        var durations: [Duration] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.trimmingBlanks()
            guard !word.isEmpty else { throw Fault(problem: "has an empty item (nothing between two commas, or before or after one)", expected: expected) }
            let duration = try readDuration(word, allowsZero: true, expected: expected, example: example)
            // The item, when the value has more than it: the value itself is quoted before the problem.
            let which = word == text ? "" : "has \(EscapedText.quoted(word)), which "
            guard DurationText.unitsDescend(word) else {
                throw Fault(problem: "\(which)reads as one duration of "
                    + "\(DurationText.format(duration)); separate durations with commas", expected: expected)
            }
            guard range.contains(duration) else {
                throw Fault(problem: "\(which)is not from \(DurationText.format(range.lowerBound)) "
                    + "to \(DurationText.format(range.upperBound))", expected: expected)
            }
            guard !durations.contains(duration) else {
                let canonical = DurationText.format(duration)
                let written = canonical == word ? "" : " (\(EscapedText.quoted(word)) is \(canonical))"
                throw Fault(problem: "names \(canonical) twice\(written)", expected: expected)
            }
            durations.append(duration)
        }
        guard durations.count <= most else { throw Fault(problem: "has \(durations.count) durations, more than \(most)", expected: expected) }
        return durations
    }
}

/// Reads and writes durations the way systemd unit files spell them: `250ms`, `5s`, `1min 30s`.
///
/// A duration is one or more components, each a decimal number followed by a unit (`1min 30s`,
/// `1min30s`, `1.5s`); a number alone, without a unit, is seconds, so `0` and `5` are durations
/// too. A unit may not be left out of one component among several (`5s5` is refused, not 10 s),
/// and a `.` must be followed by digits (`1..5s` and `1.5.3` are refused). Units: `us`/`usec`/`µs`, `ms`/`msec`, `s`/`sec`/`second(s)`,
/// `m`/`min`/`minute(s)`, `h`/`hr`/`hour(s)`, `d`/`day(s)`. Like systemd, durations are kept to
/// the microsecond: finer fractions are rounded.
public enum DurationText {
    /// Why a text is not a duration.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text is empty or only whitespace.
        case empty
        /// The text starts a component with `-`.
        case negative
        /// The text is `nan`, `inf` or `infinity`.
        case notFinite
        /// A component ends in a unit that is not known.
        case unknownUnit(String)
        /// The text is not a sequence of numbers and units.
        case malformed
        /// The duration does not fit in 64 bits of microseconds (about 292 000 years).
        case tooLarge

        public var description: String {
            switch self {
            case .empty: "empty duration"
            case .negative: "negative duration"
            case .notFinite: "not a finite duration"
            case let .unknownUnit(unit):
                "unknown unit \(EscapedText.quoted(unit)) (expected us, ms, s, min, h or d)"
            case .malformed: "not a duration (expected e.g. 5s, 250ms or 1min 30s)"
            case .tooLarge: "duration too large"
            }
        }
    }

    /// The accepted unit names and their length in microseconds, largest first.
    package static let units: [(names: [String], micros: Int64)] = [
        (["d", "day", "days"], 86_400_000_000),
        (["h", "hr", "hour", "hours"], 3_600_000_000),
        (["m", "min", "minute", "minutes"], 60_000_000),
        (["s", "sec", "second", "seconds"], 1_000_000),
        (["ms", "msec"], 1_000),
        (["us", "usec", "µs"], 1),
    ]

    /// The canonical name of each unit, in the order of ``units``.
    private static let canonicalNames = ["d", "h", "min", "s", "ms", "us"]

    /// Parses a systemd-style duration such as `5s`, `250ms` or `1min 30s`.
    public static func parse(_ text: String) throws(Failure) -> Duration {
        var total: Int64 = 0
        for part in try components(text) {
            total = try add(total, part.micros)
        }
        return .microseconds(total)
    }

    /// Whether each component of `text` is in a smaller unit than the one before it (`1h 30min`,
    /// `1min30s`, `5s`): the way one duration is written. `5min 15min` or `1h 1d`, which `parse`
    /// adds up, read as a list whose commas were left out. False when `text` is not a duration.
    public static func unitsDescend(_ text: String) -> Bool {
        guard let parts = try? components(text) else { return false }
        return zip(parts, parts.dropFirst()).allSatisfy { $0.unit > $1.unit }
    }

    /// The components of `text`: each one's length, and its unit's, in microseconds.
    private static func components(_ text: String) throws(Failure) -> [(micros: Int64, unit: Int64)] {
        let scalars = Array(text.unicodeScalars)
        let word = String(String.UnicodeScalarView(scalars.filter { !isSpace($0) })).lowercased()
        if word.isEmpty { throw .empty }
        if ["nan", "inf", "infinity"].contains(word.trimmingSign) { throw .notFinite }

        var parts: [(micros: Int64, unit: Int64)] = []
        var unitless = false
        var index = 0
        while true {
            while index < scalars.count, isSpace(scalars[index]) { index += 1 }
            if index == scalars.count { break }
            if scalars[index] == "-" {
                // A minus before the first number says the duration is negative (`-0` is zero);
                // anywhere else (`--1s`, `- 1s`, `1s -1s`) the text is no duration at all.
                let next = index + 1 < scalars.count ? scalars[index + 1] : " "
                guard parts.isEmpty, ("0"..."9").contains(next) || next == "." else { throw .malformed }
                let rest = String(String.UnicodeScalarView(scalars[(index + 1)...]))
                if (try? parse(rest)) == .zero { return [(0, 1_000_000)] }
                throw .negative
            }

            let integer = digits(in: scalars, from: &index)
            var fraction: [Unicode.Scalar] = []
            if index < scalars.count, scalars[index] == "." {
                index += 1
                fraction = digits(in: scalars, from: &index)
                if fraction.isEmpty { throw .malformed }
            }
            guard !integer.isEmpty || !fraction.isEmpty else { throw .malformed }

            while index < scalars.count, isSpace(scalars[index]) { index += 1 }
            var unit = ""
            while index < scalars.count, isUnitLetter(scalars[index]) {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            unitless = unitless || unit.isEmpty
            let micros = try microsPerUnit(named: unit)
            parts.append((try component(integer: integer, fraction: fraction, micros: micros), micros))
        }
        // A number alone is seconds; among other components, one without a unit is a slip.
        if unitless, parts.count > 1 { throw .malformed }
        return parts
    }

    /// Formats `duration` as canonical systemd-style text: `0`, `250ms`, `5s`, `2min`, `1h`,
    /// `1min 30s`, `1d 2h`. Parts finer than a microsecond are dropped.
    public static func format(_ duration: Duration) -> String {
        if duration < .zero { return "-" + format(.zero - duration) }
        let (seconds, attoseconds) = duration.components
        let subSecondMicros = attoseconds / 1_000_000_000_000
        let amounts = [
            seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60, seconds % 60,
            subSecondMicros / 1_000, subSecondMicros % 1_000,
        ]
        if amounts.allSatisfy({ $0 == 0 }) { return "0" }
        return zip(amounts, canonicalNames)
            .filter { $0.0 > 0 }
            .map { "\($0.0)\($0.1)" }
            .joined(separator: " ")
    }

    private static func microsPerUnit(named unit: String) throws(Failure) -> Int64 {
        if unit.isEmpty { return 1_000_000 }
        guard let match = units.first(where: { $0.names.contains(unit) }) else {
            throw .unknownUnit(unit)
        }
        return match.micros
    }

    private static func component(
        integer: [Unicode.Scalar], fraction: [Unicode.Scalar], micros: Int64
    ) throws(Failure) -> Int64 {
        var whole: Int64 = 0
        for digit in integer {
            let (times10, overflow1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit.value - 48))
            if overflow1 || overflow2 { throw .tooLarge }
            whole = sum
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: micros)
        if overflow { throw .tooLarge }
        guard !fraction.isEmpty else { return scaled }
        var share = 0.0
        for digit in fraction.prefix(18).reversed() {
            share = (share + Double(digit.value - 48)) / 10
        }
        return try add(scaled, Int64((share * Double(micros)).rounded()))
    }

    private static func add(_ lhs: Int64, _ rhs: Int64) throws(Failure) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        if overflow { throw .tooLarge }
        return sum
    }

    private static func digits(in scalars: [Unicode.Scalar], from index: inout Int) -> [Unicode.Scalar] {
        let start = index
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        return Array(scalars[start..<index])
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    private static func isUnitLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "µ"
    }
}

extension String {
    /// The text without one leading `+` or `-`.
    fileprivate var trimmingSign: Substring {
        first == "+" || first == "-" ? dropFirst() : self[...]
    }
}

import AutoscaledBase

/// Reads a trace CSV. Pure: bytes in, a ``Trace`` or the first fault out; it never traps,
/// whatever the bytes.
///
/// - `#` comment lines and blank lines are skipped anywhere; CRLF line ends and a UTF-8 byte
///   order mark are accepted; the last line may lack its newline.
/// - Header: `t_seconds` first; `requests` second makes an offered-load trace (further columns,
///   such as token counts, are ignored), otherwise every further column names a server (valid
///   UTF-8, unique, a name a load source may report, and not `Requests`, `request` or another name
///   within one character of either column name). Neither name stands anywhere else.
/// - Rows: as many fields as the header; `t_seconds` a whole number of seconds; the first two
///   rows set the bin width, and every later row follows the one before by exactly that width
///   (one row per bin, none missing).
/// - Values: numbers from 0 to ``LoadSnapshot/maxLoad`` (1e15). In a per-server trace an empty field means the server was absent.
/// - Fields are never quoted: a `"` in the header is an error (and never makes a number).
/// - A message quotes a field as written: bytes that are not UTF-8 show as `\xFF`.
public enum TraceParser {
    /// The largest `t_seconds` accepted (about 31 700 years).
    public static let maxTimestamp = 1_000_000_000_000
    /// The most columns a header may have.
    public static let maxColumns = 10_000
    /// The longest span replayed: 100 000 000 s (over 3 years), a minute or so of replay, since the
    /// replay steps through every second.
    public static let maxSpanSeconds = 100_000_000

    public static func parse(_ bytes: [UInt8]) throws(TraceError) -> Trace {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(TraceError) in try parse(buffer) }
        }
        return try result.get()
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(TraceError) -> Trace {
        try checkText(bytes)
        var lines = TraceLines(bytes, maxFields: maxColumns)
        guard let header = lines.next() else { throw .noHeader }
        try checkLineEnds(header)
        let columns = try readHeader(header, bytes)
        var requests: [Double] = []
        var loads: [Double?] = []
        var timing = BinTiming()
        while let row = lines.next() {
            try checkLineEnds(row)
            guard row.fieldCount == columns.count else {
                throw .line(row.number, "\(row.fieldCount) field\(row.fieldCount == 1 ? "" : "s") "
                    + "where the header has \(columns.count)")
            }
            try timing.accept(try timestamp(row.fields[0], bytes, line: row.number), line: row.number)
            switch columns {
            case .offeredLoad:
                let field = row.fields[1]
                guard !field.isEmpty else { throw .line(row.number, "requests is empty") }
                requests.append(try value(field, bytes, line: row.number, what: "requests"))
            case let .servers(names):
                for (index, field) in row.fields.dropFirst().enumerated() {
                    loads.append(field.isEmpty
                        ? nil
                        : try value(field, bytes, line: row.number, what: "server \(EscapedText.quoted(names[index])): load"))
                }
            }
        }
        guard let start = timing.first, let width = timing.width else { throw .tooFewRows(timing.rows) }
        let (span, overflow) = timing.rows.multipliedReportingOverflow(by: width)
        guard !overflow, span <= maxSpanSeconds else {
            throw .tooLong(bins: timing.rows, binSeconds: width, limit: maxSpanSeconds)
        }
        switch columns {
        case .offeredLoad: return Trace(start: start, binSeconds: width, series: .offeredLoad(requests: requests))
        case let .servers(names): return Trace(start: start, binSeconds: width, series: .serverLoads(names: names, loads: loads))
        }
    }

    /// Formats a trace is likely to be kept in that are not UTF-8 text, by their first bytes.
    static let otherFormats: [(magic: [UInt8], kind: TraceError.FileKind)] = [
        ([0x1F, 0x8B], .init(name: "gzip data", remedy: "decompress it first")),
        ([0x28, 0xB5, 0x2F, 0xFD], .init(name: "zstd data", remedy: "decompress it first")),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], .init(name: "xz data", remedy: "decompress it first")),
        ([0x42, 0x5A, 0x68], .init(name: "bzip2 data", remedy: "decompress it first", needsNul: true)),
        ([0x50, 0x4B, 0x03, 0x04], .init(name: "a zip archive", remedy: "extract it first")),
        ([0xFF, 0xFE], .init(name: "UTF-16 text", remedy: "save it as UTF-8")),
        ([0xFE, 0xFF], .init(name: "UTF-16 text", remedy: "save it as UTF-8")),
    ]

    /// Refuses a file that is not UTF-8 text before its lines are looked at, so that it is not
    /// refused for what one of its "lines" seems to hold: one that starts as a compressed format or
    /// UTF-16 does (bzip2's `BZh` only with a NUL byte after it, as text may start so), or holds a
    /// NUL byte in its first 4 KiB.
    private static func checkText(_ bytes: UnsafeRawBufferPointer) throws(TraceError) {
        let head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 4096)])
        let hasNul = head.contains(0)
        let start = SyntaxQuoting.text(bytes, from: 0, to: min(bytes.count, 8))
        for format in otherFormats where head.starts(with: format.magic) && (hasNul || !format.kind.needsNul) {
            throw .notText(start: start, kind: format.kind)
        }
        if hasNul { throw .notText(start: start, kind: nil) }
    }

    /// A `\r` inside a line: a file whose lines end with `\r` alone reads as one line, and would
    /// be refused for what that line seems to hold instead.
    private static func checkLineEnds(_ line: TraceLines.Line) throws(TraceError) {
        guard line.bareReturn else { return }
        throw .line(line.number, "a carriage return (\\r) inside the line: lines must end with \\n or \\r\\n, not \\r alone")
    }

    /// What the header says the columns are.
    private enum Columns {
        case offeredLoad(count: Int)
        case servers([String])

        var count: Int {
            switch self {
            case let .offeredLoad(count): count
            case let .servers(names): names.count + 1
            }
        }
    }

    private static func readHeader(_ header: TraceLines.Line, _ bytes: UnsafeRawBufferPointer) throws(TraceError) -> Columns {
        let names = header.fields.map { text($0, bytes) }
        if let quoted = names.firstIndex(where: { $0.contains("\"") }) {
            throw .header(line: header.number, "column \(quoted + 1): quoted fields are not supported")
        }
        guard names[0] == "t_seconds" else {
            throw .header(line: header.number, "the first column must be 't_seconds', not \(shown(header.fields[0], bytes))")
        }
        guard names.count >= 2 else {
            throw .header(line: header.number, "no column after t_seconds (expected 'requests' or server names)")
        }
        guard header.fieldCount <= maxColumns else {
            throw .header(line: header.number, "\(header.fieldCount) columns, more than the \(maxColumns) allowed")
        }
        if let again = names.dropFirst().firstIndex(of: "t_seconds") {
            throw .header(line: header.number, "column \(again + 1): a second 't_seconds' column")
        }
        if names[1] == "requests" {
            if let again = names.dropFirst(2).firstIndex(of: "requests") {
                throw .header(line: header.number, "column \(again + 1): a second 'requests' column")
            }
            return .offeredLoad(count: names.count)
        }
        if let misplaced = names.firstIndex(of: "requests") {
            throw .header(line: header.number, "column \(misplaced + 1): 'requests' can only be the second column "
                + "('t_seconds,requests,…', an offered-load trace), not a server's name")
        }
        var seen = Set<String>()
        for (index, name) in names.enumerated().dropFirst() {
            if let meant = formatName(like: name) {
                throw .header(line: header.number, "column \(index + 1): \(EscapedText.quoted(name)) would be read as a server's "
                    + "name; the trace format's column is '\(meant)' (a server may not be named so like it)")
            }
            let field = header.fields[index]
            guard String(validating: UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end]), as: UTF8.self) != nil else {
                throw .header(line: header.number, "column \(index + 1): server name \(shown(field, bytes)) is not valid UTF-8")
            }
            do throws(LoadError) {
                try LoadSnapshot.validate(name: name)
            } catch {
                throw .header(line: header.number, "column \(index + 1): \(error)")
            }
            guard seen.insert(name).inserted else {
                throw .header(line: header.number, "column \(index + 1): server \(EscapedText.quoted(name)) appears more than once")
            }
        }
        return .servers(Array(names.dropFirst()))
    }

    /// Why a server name cannot head a column of a per-server trace (the parser would read it as
    /// another name, or as no server), or `nil` when it can: the header is cut at commas and
    /// trimmed of blanks, never unquoted, and `t_seconds` and `requests` are taken.
    static func columnProblem(serverName name: String) -> String? {
        if name.contains(",") { return "a comma" }
        if name.contains("\"") { return "a double quote" }
        let blanks: Set<Unicode.Scalar> = [" ", "\t"]
        if let first = name.unicodeScalars.first, blanks.contains(first) { return "a leading blank" }
        if let last = name.unicodeScalars.last, blanks.contains(last) { return "a trailing blank" }
        if name == "t_seconds" || name == "requests" { return "a column name of the trace format" }
        if let meant = formatName(like: name) { return "too like the trace format's column '\(meant)'" }
        return nil
    }

    /// The trace format's column name that `name` differs from only by case or one character
    /// (`Requests`, `request`, `t-seconds`): a header that means it, mistyped, would otherwise be
    /// read as a server of that name. `nil` for the names themselves and for any other name.
    static func formatName(like name: String) -> String? {
        let lowered = name.lowercased()
        return ["t_seconds", "requests"].first { $0 != name && EditDistance.between(lowered, $0) <= 1 }
    }

    private static func timestamp(_ field: TraceLines.Field, _ bytes: UnsafeRawBufferPointer, line: Int) throws(TraceError) -> Int {
        var value = 0
        var index = field.start
        while index < field.end, let digit = digit(bytes[index]), value <= maxTimestamp {
            value = value * 10 + digit
            index += 1
        }
        guard !field.isEmpty, index == field.end, value <= maxTimestamp else {
            throw .line(line, "t_seconds \(shown(field, bytes)) is not a whole number of seconds "
                + "from 0 to \(maxTimestamp)")
        }
        return value
    }

    private static func value(
        _ field: TraceLines.Field, _ bytes: UnsafeRawBufferPointer, line: Int, what: String
    ) throws(TraceError) -> Double {
        let number: Double
        switch DecimalNumber.parse(bytes, from: field.start, to: field.end, grammar: .plain) {
        case let .value(value): number = value
        case .malformed: throw .line(line, "\(what) \(shown(field, bytes)) is not a number")
        // Beyond a Double: as far from 0 as the sign says.
        case .outOfRange: number = bytes[field.start] == UInt8(ascii: "-") ? -.infinity : .infinity
        }
        guard number >= 0 else { throw .line(line, "\(what) \(shown(field, bytes)) is negative") }
        guard number <= LoadSnapshot.maxLoad else {
            throw .line(line, "\(what) \(shown(field, bytes)) is above \(LoadSnapshot.maxLoadText)")
        }
        return number == 0 ? 0 : number  // -0 reads as 0
    }

    private static func digit(_ byte: UInt8) -> Int? {
        let digit = byte &- UInt8(ascii: "0")
        return digit < 10 ? Int(digit) : nil
    }

    static func text(_ field: TraceLines.Field, _ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end]), as: UTF8.self)
    }

    /// A field as written, quoted for a message: bytes that are not UTF-8 show as `\xFF`.
    private static func shown(_ field: TraceLines.Field, _ bytes: UnsafeRawBufferPointer) -> String {
        SyntaxQuoting.text(bytes, from: field.start, to: field.end)
    }
}

/// The first two timestamps set the bin width; each later one must follow by exactly that width.
private struct BinTiming {
    private(set) var first: Int?
    private(set) var width: Int?
    private(set) var rows = 0
    private var previous = 0

    mutating func accept(_ time: Int, line: Int) throws(TraceError) {
        defer {
            previous = time
            rows += 1
        }
        guard let first else {
            self.first = time
            return
        }
        guard let width else {
            guard time > first else {
                throw .line(line, "t_seconds \(time) is not after the first row's \(first)")
            }
            self.width = time - first
            return
        }
        let expected = previous + width
        guard time == expected else {
            throw .line(line, "t_seconds \(time) should be \(expected): rows must follow one another by the "
                + "bin width of the first two rows (\(width)s), one row per bin")
        }
    }
}

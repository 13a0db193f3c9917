/// Reads the `lines` load format: one `NAME VALUE` pair per line.
///
/// ```
/// # server   load
/// web-1      30
/// web-2      55.5   # draining
/// ```
/// Fields are separated by spaces or tabs. A `#` that starts a field begins a comment running
/// to the end of the line; blank and comment-only lines are skipped. CRLF line ends are
/// tolerated (a leading UTF-8 byte order mark is skipped by ``LoadParser``, as for every format). VALUE is a decimal number with an optional
/// sign, fraction and exponent (`30`, `-1`, `.5`, `2.5e3`); `nan`, `inf`, hex and `1_000` are
/// not numbers. NAME is taken byte for byte and must be valid UTF-8.
///
/// A line holding a server must end with a newline: a last line cut off mid-way is what a
/// half-written file looks like, so it is rejected rather than read as a shorter value.
///
/// The parser validates syntax only; ``LoadSnapshot/init(servers:)`` checks names and values.
public enum LinesLoadParser {
    /// Parses `bytes` into server loads, in the order of their lines.
    /// - Throws: ``LoadError/syntax(line:message:)`` with a 1-based line number.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(LoadError) -> [ServerLoad] {
        try read(bytes).servers
    }

    /// Parses `bytes` into server loads, each with its line and its load as written.
    static func read(_ bytes: UnsafeRawBufferPointer) throws(LoadError) -> ParsedLoads {
        var lines = ByteLines(bytes)
        var servers = ParsedLoads(bytes)
        while let line = try lines.next() {
            if let (server, value) = try parseLine(bytes, from: line.range.lowerBound, to: line.range.upperBound, line: line.number) {
                guard line.terminated else { throw ByteLines.cutOff(line: line.number) }
                servers.append(server, line: line.number, value: value)
            }
        }
        return servers
    }

    /// Parses `bytes` into server loads, in the order of their lines.
    /// - Throws: ``LoadError/syntax(line:message:)`` with a 1-based line number.
    public static func parse(_ bytes: [UInt8]) throws(LoadError) -> [ServerLoad] {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(LoadError) in try parse(buffer) } }
        return try result.get()
    }

    /// Parses one line without its line end: its server and where its load is written; `nil`
    /// for a blank or comment-only line.
    private static func parseLine(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, line: Int
    ) throws(LoadError) -> (ServerLoad, Range<Int>)? {
        var fields: (name: Range<Int>, value: Range<Int>) = (0..<0, 0..<0)
        var count = 0
        var index = start
        while true {
            while index < end, isBlank(bytes[index]) { index += 1 }
            guard index < end, bytes[index] != UInt8(ascii: "#") else { break }
            let fieldStart = index
            while index < end, !isBlank(bytes[index]) { index += 1 }
            count += 1
            if count == 1 { fields.name = fieldStart..<index }
            if count == 2 { fields.value = fieldStart..<index }
        }
        guard count > 0 else { return nil }
        guard count == 2 else {
            throw LoadError.syntax(line: line, message: "expected 'NAME VALUE', found \(count) field\(count == 1 ? "" : "s"): "
                + SyntaxQuoting.text(bytes, from: start, to: end))
        }
        guard let name = decodeName(UnsafeRawBufferPointer(rebasing: bytes[fields.name])) else {
            throw LoadError.syntax(line: line, message: "server name \(SyntaxQuoting.text(bytes, from: fields.name.lowerBound, to: fields.name.upperBound)) is not valid UTF-8")
        }
        let value = fields.value
        switch DecimalNumber.parse(bytes, from: value.lowerBound, to: value.upperBound, grammar: .plain) {
        case let .value(load):
            return (ServerLoad(name: name, load: load), value)
        case .outOfRange:
            let text = SyntaxQuoting.text(bytes, from: value.lowerBound, to: value.upperBound)
            throw LoadError.syntax(line: line, message: "number \(text) for \(SyntaxQuoting.name(name)) is out of range")
        case .malformed:
            let text = SyntaxQuoting.text(bytes, from: value.lowerBound, to: value.upperBound)
            throw LoadError.syntax(line: line, message: "expected a number for \(SyntaxQuoting.name(name)), found \(text)")
        }
    }

    /// The name as a `String`, or `nil` if it is not valid UTF-8. ASCII skips the validation.
    private static func decodeName(_ bytes: UnsafeRawBufferPointer) -> String? {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80 ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}

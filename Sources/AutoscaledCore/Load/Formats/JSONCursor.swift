/// A position in a JSON load document, with the line it is on.
struct JSONCursor {
    let bytes: UnsafeRawBufferPointer
    let end: Int
    var index = 0
    var line = 1
    /// Reused for keys that hold escapes; never longer than the input.
    var scratch: [UInt8] = []

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.end = bytes.count
    }

    /// Reads the whole document: one object and nothing after it but whitespace.
    mutating func readDocument() throws(LoadError) -> ParsedLoads {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "{") else { throw expected("'{'") }
        index += 1
        var servers = ParsedLoads(bytes)
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: "\"") else {
                    throw expected(servers.servers.isEmpty ? "a server name or '}'" : "a server name after ','")
                }
                let nameLine = line
                let name = try readString()
                skipWhitespace()
                guard index < end, bytes[index] == UInt8(ascii: ":") else {
                    throw expected("':' after \(SyntaxQuoting.name(name))")
                }
                index += 1
                skipWhitespace()
                let loadStart = index
                let load = try readLoad(of: name)
                servers.append(ServerLoad(name: name, load: load), line: nameLine, value: loadStart..<index)
                skipWhitespace()
                if index < end, bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard index < end, bytes[index] == UInt8(ascii: "}") else {
                    throw expected("',' or '}' after the load of \(SyntaxQuoting.name(name))")
                }
                index += 1
                break
            }
        }
        skipWhitespace()
        guard index == end else { throw expected("end of data after '}'") }
        return servers
    }

    /// Reads a JSON number: the load of server `name`.
    mutating func readLoad(of name: String) throws(LoadError) -> Double {
        let start = index
        // The whole word is the number's text, so `30ms` or `1.5.2` is one malformed number.
        while index < end, SyntaxQuoting.isWordByte(bytes[index]) { index += 1 }
        switch DecimalNumber.parse(bytes, from: start, to: index, grammar: .json) {
        case let .value(value):
            return value
        case .outOfRange:
            throw syntax("number \(SyntaxQuoting.text(bytes, from: start, to: index)) for \(SyntaxQuoting.name(name)) is out of range")
        case .malformed:
            index = start
            throw expected("a number for \(SyntaxQuoting.name(name))")
        }
    }

    /// Skips JSON whitespace, counting lines.
    @inline(__always)
    mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
            default:
                return
            }
        }
    }

    func syntax(_ message: String) -> LoadError {
        .syntax(line: line, message: message)
    }

    /// "expected `what`, found <the token at the cursor>".
    func expected(_ what: String) -> LoadError {
        syntax("expected \(what), found \(SyntaxQuoting.found(bytes, at: index, end: end))")
    }
}

import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// Garbled, truncated and random inputs: a parser may throw or succeed, but never trap,
/// and a document cut short must never pass for a smaller one.
struct LoadParserRobustnessTests {
    @Test("a truncated JSON document never succeeds")
    func truncatedJSON() {
        var random = SplitMix64(seed: 0x7A11_0001)
        for _ in 0..<60 {
            let (document, _) = Self.document(.json, using: &random)
            for length in 0..<document.count {
                let prefix = Array(document.prefix(length))
                #expect(throws: LoadError.self, "\(String(decoding: prefix, as: UTF8.self))") {
                    try JSONLoadParser.parse(prefix)
                }
            }
        }
    }

    @Test("a truncated lines document yields only whole leading lines")
    func truncatedLines() throws {
        var random = SplitMix64(seed: 0x7A11_0002)
        for _ in 0..<60 {
            let (document, servers) = Self.document(.lines, using: &random)
            #expect(try LinesLoadParser.parse(document) == servers)
            for length in 0..<document.count {
                let prefix = Array(document.prefix(length))
                guard let parsed = try? LinesLoadParser.parse(prefix) else { continue }
                let wholeLines = prefix.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
                let serverLines = wholeLines.filter { $0.first != UInt8(ascii: "#") }.count
                #expect(parsed == Array(servers.prefix(serverLines)), "\(String(decoding: prefix, as: UTF8.self))")
            }
        }
    }

    @Test("byte flips never trap", arguments: [LoadFormat.json, .lines])
    func byteFlips(_ format: LoadFormat) {
        var random = SplitMix64(seed: format == .json ? 0xF11B_0001 : 0xF11B_0002)
        let interesting = Array(#"{}[]",:\ u0123456789abcdefABCDEF.+-eE#tnr"#.utf8) + [0, 0x0A, 0x0D, 0x80, 0xC3, 0xED, 0xEF, 0xFF]
        var accepted = 0
        for _ in 0..<3_000 {
            var (document, _) = Self.document(format, using: &random)
            for _ in 0...random.next(below: 3) {
                let position = random.next(below: document.count)
                document[position] = random.next(below: 2) == 0
                    ? interesting[random.next(below: interesting.count)]
                    : UInt8(truncatingIfNeeded: random.next())
            }
            if (try? LoadParser.snapshot(from: document, format: format)) != nil { accepted += 1 }
        }
        #expect(accepted > 0)
    }

    @Test("random bytes never trap", arguments: [LoadFormat.json, .lines])
    func randomBytes(_ format: LoadFormat) {
        var random = SplitMix64(seed: format == .json ? 0xB7E5_0001 : 0xB7E5_0002)
        let alphabet = Array(#"{}[]":,\ u09aeE.+-#"#.utf8) + [0x0A, 0x0D, 0x09, 0xC3, 0xA9, 0xFF]
        for _ in 0..<3_000 {
            let bytes = (0..<random.next(below: 40)).map { _ in alphabet[random.next(below: alphabet.count)] }
            _ = try? LoadParser.snapshot(from: bytes, format: format)
        }
    }

    /// A valid document of 1–8 servers with varied names, spacing and number spellings.
    static func document(_ format: LoadFormat, using random: inout SplitMix64) -> ([UInt8], [ServerLoad]) {
        let count = 1 + random.next(below: 8)
        var servers: [ServerLoad] = []
        var text = format == .json ? "{" : (random.next(below: 4) == 0 ? "# loads\n" : "")
        for index in 0..<count {
            let stem = ["web", "db-", "é", "srv_", "x"][random.next(below: 5)]
            let name = stem + String(index) + String(random.next(below: 1000))
            let numbers = ["0", "30", "37.5", "1e2", "0.125", "1234567.891", "2.5E-3", "99999999999999999999"]
            let number = numbers[random.next(below: numbers.count)]
            servers.append(ServerLoad(name: name, load: Double(number) ?? -1))
            let space = [" ", "", "\n", "\t", "  \r\n "][random.next(below: 5)]
            if format == .json {
                let key = random.next(below: 3) == 0 ? jsonEscaped(name) : name
                text += (index == 0 ? space : "," + space) + "\"\(key)\"\(space):\(space)\(number)"
            } else {
                text += "\(name)\(space == "\t" ? "\t" : " ")\(number)" + (random.next(below: 4) == 0 ? " # note" : "") + "\n"
            }
        }
        if format == .json { text += (random.next(below: 2) == 0 ? "\n}" : "}") }
        return (Array(text.utf8), servers)
    }

    /// `name` with every character spelled as a `\u` escape.
    static func jsonEscaped(_ name: String) -> String {
        name.utf16.map { unit in
            let hex = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }.joined()
    }
}

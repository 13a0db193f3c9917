import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct JSONLoadParserTests {
    @Test("the documented example parses to its three loads in order")
    func documentedExample() throws {
        let servers = try JSONLoadParser.parse(Array(#"{"server1": 30, "server2": 55, "server3": 20}"#.utf8))
        #expect(servers == [
            ServerLoad(name: "server1", load: 30),
            ServerLoad(name: "server2", load: 55),
            ServerLoad(name: "server3", load: 20),
        ])
    }

    @Test("the raw-buffer and array entry points agree")
    func bufferEntryPoint() throws {
        let bytes = Array(#"{"a": 1.5}"#.utf8)
        let fromBuffer = try bytes.withUnsafeBytes { buffer throws(LoadError) in try JSONLoadParser.parse(buffer) }
        #expect(fromBuffer == [ServerLoad(name: "a", load: 1.5)])
        #expect(try JSONLoadParser.parse(bytes) == fromBuffer)
    }

    @Test("accepted documents", arguments: [
        LoadParseCase("an empty object holds no servers", "{}", ""),
        LoadParseCase("whitespace of every kind is allowed between tokens",
                      " \t\r\n{ \"a\" \n:\t1 ,\r\n \"b\":2 } \n\n", "a=1.0 b=2.0"),
        LoadParseCase("fractions and exponents are numbers",
                      #"{"a": 37.5, "b": 1e2, "c": 1E+2, "d": 25e-1, "e": 0.125}"#,
                      "a=37.5 b=100.0 c=100.0 d=2.5 e=0.125"),
        LoadParseCase("zero is a number", #"{"a": 0, "b": 0.0, "c": 0e5}"#, "a=0.0 b=0.0 c=0.0"),
        LoadParseCase("a negative number is read, left for the snapshot to judge", #"{"a": -3}"#, "a=-3.0"),
        LoadParseCase("a tiny number rounds to zero", #"{"a": 1e-400}"#, "a=0.0"),
        LoadParseCase("a long integer rounds like Double(String)",
                      #"{"a": 123456789012345678901234567890}"#, "a=1.2345678901234568e+29"),
        LoadParseCase("escaped quote, backslash and slash", #"{"a\"b\\c\/d": 1}"#, #"a"b\c/d=1.0"#),
        LoadParseCase("control-character escapes decode", #"{"\b\f\n\r\t": 1}"#, "\u{8}\u{C}\n\r\t=1.0"),
        LoadParseCase("a \\u escape decodes in either case", #"{"\u0041\u00e9\u20AC": 1}"#, "Aé€=1.0"),
        LoadParseCase("a surrogate pair decodes to one scalar", #"{"\ud83d\ude00\uD83D\uDE00": 1}"#, "😀😀=1.0"),
        LoadParseCase("raw UTF-8 and escapes mix", #"{"é\u00e9é": 1}"#, "ééé=1.0"),
        LoadParseCase("the same name twice is read, left for the snapshot to judge",
                      #"{"a": 1, "a": 2}"#, "a=1.0 a=2.0"),
    ])
    func accepts(_ row: LoadParseCase) {
        #expect(row.outcome(of: JSONLoadParser.parse) == row.expected)
    }

    @Test("-0 keeps its sign, as Double(String) does")
    func negativeZero() throws {
        let servers = try JSONLoadParser.parse(Array(#"{"a": -0}"#.utf8))
        #expect(servers.first?.load.sign == .minus)
    }

    @Test("numbers convert to the same Double as Double(String)", arguments: [
        "0.1", "0.2", "0.3", "1.7976931348623157e308", "2.2250738585072014e-308", "5e-324",
        "4.9406564584124654e-324", "9007199254740993", "9007199254740992", "18446744073709551616",
        "0.000000000000000000000000000001", "1e22", "1e23", "123456.789e-3", "8.98846567431158e307",
        "2.4703282292062327e-324", "1.00000000000000011102230246251565404236316680908203125",
        "99999999999999999999999999999999999999999", "3.0000000000000000000000000001",
    ])
    func exactConversion(_ text: String) throws {
        let servers = try JSONLoadParser.parse(Array("{\"a\": \(text)}".utf8))
        #expect(servers.first?.load.bitPattern == Double(text)?.bitPattern)
    }

    @Test("random decimal texts convert to the same Double as Double(String)")
    func randomConversion() throws {
        var random = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<5_000 {
            var text = String(random.next(below: 1_000_000_000_000))
            let digits = random.next(below: 3) == 0 ? String(random.next()) : String(random.next(below: 100_000))
            if random.next(below: 2) == 0 { text += "." + digits }
            if random.next(below: 3) == 0 {
                text += "e" + (random.next(below: 2) == 0 ? "-" : "") + String(random.next(below: 330))
            }
            guard let expected = Double(text), expected.isFinite else { continue }
            let servers = try JSONLoadParser.parse(Array("{\"a\": \(text)}".utf8))
            #expect(servers.first?.load.bitPattern == expected.bitPattern, "\(text)")
        }
    }
}

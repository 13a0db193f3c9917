import AutoscaledCore
import Testing

/// Garbled, truncated, random and pathological inputs for the prometheus, haproxy and HTTP
/// parsers: they may throw or succeed, but never trap, never take more than linear time, and a
/// document cut short never passes for anything but its whole leading lines.
struct SourceParserRobustnessTests {
    static let prometheus = LoadFormat.prometheus(PrometheusSelection(metric: "q", serverLabel: "s"))
    static let haproxy = LoadFormat.haproxy(HAProxySelection(backend: "b"))

    /// A valid document of 1–8 servers in `format`, one server per line.
    static func document(_ format: LoadFormat, using random: inout SplitMix64) -> ([UInt8], [ServerLoad]) {
        let count = 1 + random.next(below: 8)
        var servers: [ServerLoad] = []
        var text = format == prometheus ? "# HELP q queue\n# TYPE q gauge\n" : "# pxname,svname,qcur,scur,slim,\nb,FRONTEND,,4,10,\n"
        for index in 0..<count {
            let name = ["gpu-", "é", "w_"][random.next(below: 3)] + String(index)
            let number = ["0", "3", "7.5", "1e2", "12"][random.next(below: 5)]
            servers.append(ServerLoad(name: name, load: Double(number)!))
            if format == prometheus {
                let extra = random.next(below: 2) == 0 ? "" : #"m="x\"y","#
                text += "q{\(extra)s=\"\(name)\"} \(number)" + (random.next(below: 3) == 0 ? " 1732860000000" : "") + "\n"
                if random.next(below: 3) == 0 { text += "other{s=\"\(name)\"} NaN\n" }
            } else {
                text += "b,\(name),0,\(number),20,\n"
            }
        }
        if format == haproxy { text += "b,BACKEND,0,9,100,\n\n" }
        return (Array(text.utf8), servers)
    }

    @Test("a truncated document yields only whole leading lines", arguments: [prometheus, haproxy])
    func truncated(_ format: LoadFormat) throws {
        var random = SplitMix64(seed: format == Self.prometheus ? 0x9E0_0001 : 0x4A9_0001)
        for _ in 0..<40 {
            let (document, servers) = Self.document(format, using: &random)
            #expect(try LoadParser.snapshot(from: document, format: format).servers == servers)
            for length in 0..<document.count {
                guard let parsed = try? LoadParser.snapshot(from: Array(document.prefix(length)), format: format) else { continue }
                #expect(Array(servers.prefix(parsed.servers.count)) == parsed.servers,
                        "\(String(decoding: document.prefix(length), as: UTF8.self))")
            }
        }
    }

    @Test("byte flips never trap", arguments: [prometheus, haproxy])
    func byteFlips(_ format: LoadFormat) {
        var random = SplitMix64(seed: format == Self.prometheus ? 0xF11B_0003 : 0xF11B_0004)
        let interesting = Array(#"{}",=\ #:.+-eEnN\#u{0}"#.utf8) + [0x0A, 0x0D, 0x09, 0x80, 0xC3, 0xFF]
        var accepted = 0
        for _ in 0..<3_000 {
            var (document, _) = Self.document(format, using: &random)
            for _ in 0...random.next(below: 3) {
                let position = random.next(below: document.count)
                document[position] = random.next(below: 2) == 0
                    ? interesting[random.next(below: interesting.count)] : UInt8(truncatingIfNeeded: random.next())
            }
            if (try? LoadParser.snapshot(from: document, format: format)) != nil { accepted += 1 }
        }
        #expect(accepted > 0)
    }

    @Test("random bytes never trap")
    func randomBytes() {
        var random = SplitMix64(seed: 0xB7E5_0003)
        let alphabet = Array(#"{}",=\ #:.+-eEq0123456789sbHTP/1\#r\#n"#.utf8) + [0x0A, 0x09, 0xC3, 0xFF]
        for _ in 0..<5_000 {
            let bytes = (0..<random.next(below: 60)).map { _ in alphabet[random.next(below: alphabet.count)] }
            _ = try? LoadParser.snapshot(from: bytes, format: Self.prometheus)
            _ = try? LoadParser.snapshot(from: bytes, format: Self.haproxy)
            _ = try? HTTPResponse.body(of: bytes)
            _ = HTTPResponse.isComplete(bytes)
        }
    }

    /// Inputs built to make a careless parser quadratic or deeply recursive, each ~4 MB.
    static let pathological: [(String, [UInt8])] = [
        ("a million labels on one line", Array(("q{" + (0..<400_000).map { "l\($0)=\"\"," }.joined() + "s=\"a\"} 1\n").utf8)),
        ("one label value of 4 MB", Array(("q{s=\"" + String(repeating: "\\\"", count: 2_000_000) + "\"} 1\n").utf8)),
        ("a million empty lines", Array(repeating: 0x0A, count: 4_000_000)),
        ("a million comment lines", Array(String(repeating: "# HELP q x\n", count: 400_000).utf8)),
        ("a CSV row of a million columns", Array(("# pxname,svname,scur\nb,s," + String(repeating: ",", count: 4_000_000) + "\n").utf8)),
        ("HTTP headers that never end", Array(("HTTP/1.1 200 OK\r\n" + String(repeating: "X: y\r\n", count: 700_000)).utf8)),
        ("a million one-byte chunks", Array(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + String(repeating: "1\r\nx\r\n", count: 600_000) + "0\r\n\r\n").utf8)),
    ]

    @Test("pathological inputs take linear time", arguments: pathological.map(\.0))
    func linearTime(_ name: String) {
        let bytes = Self.pathological.first { $0.0 == name }!.1
        let start = ContinuousClock.now
        _ = try? LoadParser.snapshot(from: bytes, format: Self.prometheus)
        _ = try? LoadParser.snapshot(from: bytes, format: Self.haproxy)
        _ = try? HTTPResponse.body(of: bytes)
        _ = HTTPResponse.isComplete(bytes)
        // Linear work on 4 MB is tens of milliseconds even in a debug build; quadratic is hours.
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}

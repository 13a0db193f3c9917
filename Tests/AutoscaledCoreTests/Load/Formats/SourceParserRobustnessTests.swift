import AutoscaledCore
import AutoscaledTestSupport
import Dispatch
import Testing

/// Garbled, truncated, random and pathological inputs for the prometheus, haproxy and HTTP
/// parsers: they may throw or succeed, but never trap, never take more than linear time, and a
/// document cut short never passes for anything but its whole leading lines.
///
/// The work runs on a Dispatch thread (``offPool(_:)``) and one test at a time: seconds of
/// parsing on Swift's cooperative pool, which has one thread per core, or on both cores at once
/// (slower still under the sanitizers), would stall the tests that run daemons meanwhile.
@Suite(.serialized)
struct SourceParserRobustnessTests {
    /// Runs `body` off the cooperative pool and returns its result (what it found wrong).
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "robustness").async { continuation.resume(returning: body()) }
        }
    }

    static let prometheus = LoadFormat.prometheus(PrometheusSelection(metric: "q", serverLabel: "s"))
    static let haproxy = LoadFormat.haproxy(HAProxySelection(backend: "b"))

    /// A valid document of 1–8 servers in `format`, one server per line.
    static func document(_ format: LoadFormat, using random: inout SplitMix64) -> ([UInt8], [ServerLoad]) {
        let count = 1 + random.next(below: 8)
        var servers: [ServerLoad] = []
        var text = format == prometheus ? "# HELP q queue\n# TYPE q gauge\n" : "# pxname,svname,qcur,scur,slim,\nb,FRONTEND,,4,10,\n"
        for index in 0..<count {
            let name = ["gpu-", "é", "w_"][random.next(below: 3)] + String(index)
            // HAProxy writes whole numbers only.
            let number = ["0", "3", format == haproxy ? "8" : "7.5", "1e2", "12"][random.next(below: 5)]
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
    func truncated(_ format: LoadFormat) async {
        let failures = await Self.offPool {
            var failures: [String] = []
            var random = SplitMix64(seed: format == Self.prometheus ? 0x9E0_0001 : 0x4A9_0001)
            for _ in 0..<25 {
                let (document, servers) = Self.document(format, using: &random)
                if (try? LoadParser.snapshot(from: document, format: format).servers) != servers {
                    failures.append("whole: \(String(decoding: document, as: UTF8.self))")
                }
                for length in 0..<document.count {
                    guard let parsed = try? LoadParser.snapshot(from: Array(document.prefix(length)), format: format) else { continue }
                    if Array(servers.prefix(parsed.servers.count)) != parsed.servers {
                        failures.append("prefix: \(String(decoding: document.prefix(length), as: UTF8.self))")
                    }
                }
            }
            return failures
        }
        #expect(failures == [])
    }

    @Test("byte flips never trap", arguments: [prometheus, haproxy])
    func byteFlips(_ format: LoadFormat) async {
        let failures = await Self.offPool {
            var random = SplitMix64(seed: format == Self.prometheus ? 0xF11B_0003 : 0xF11B_0004)
            let interesting = Array(#"{}",=\ #:.+-eEnN\#u{0}"#.utf8) + [0x0A, 0x0D, 0x09, 0x80, 0xC3, 0xFF]
            var accepted = 0
            for _ in 0..<1_500 {
                var (document, _) = Self.document(format, using: &random)
                for _ in 0...random.next(below: 3) {
                    let position = random.next(below: document.count)
                    document[position] = random.next(below: 2) == 0
                        ? interesting[random.next(below: interesting.count)] : UInt8(truncatingIfNeeded: random.next())
                }
                if (try? LoadParser.snapshot(from: document, format: format)) != nil { accepted += 1 }
            }
            return accepted > 0 ? [] : ["no flipped document was accepted"]
        }
        #expect(failures == [])
    }

    @Test("random bytes never trap")
    func randomBytes() async {
        await Self.offPool {
            var random = SplitMix64(seed: 0xB7E5_0003)
            let alphabet = Array(#"{}",=\ #:.+-eEq0123456789sbHTP/1\#r\#n"#.utf8) + [0x0A, 0x09, 0xC3, 0xFF]
            for _ in 0..<2_000 {
                let bytes = (0..<random.next(below: 60)).map { _ in alphabet[random.next(below: alphabet.count)] }
                _ = try? LoadParser.snapshot(from: bytes, format: Self.prometheus)
                _ = try? LoadParser.snapshot(from: bytes, format: Self.haproxy)
                _ = try? HTTPResponse.body(of: bytes)
                _ = HTTPResponse.isComplete(bytes)
            }
        }
    }

    /// `middle` repeated `count` times between `head` and `tail`, as bytes.
    static func repeated(_ head: String, _ middle: String, _ count: Int, _ tail: String) -> [UInt8] {
        var bytes = Array(head.utf8)
        let unit = Array(middle.utf8)
        bytes.reserveCapacity(bytes.count + unit.count * count + tail.utf8.count)
        for _ in 0..<count { bytes += unit }
        return bytes + Array(tail.utf8)
    }

    /// Inputs built to make a careless parser quadratic or deeply recursive, each about 256 KB:
    /// linear work on them is milliseconds, quadratic work is minutes at least.
    static let pathological: [(String, [UInt8])] = [
        ("25 000 distinct labels on one line", Array("q{".utf8) + (0..<25_000).flatMap { Array("l\($0)=\"\",".utf8) }
            + Array("s=\"a\"} 1\n".utf8)),
        ("one label value of 256 KB", repeated("q{s=\"", "\\\"", 128_000, "\"} 1\n")),
        ("256 000 empty lines", Array(repeating: 0x0A, count: 256_000)),
        ("25 000 comment lines", repeated("", "# HELP q x\n", 25_000, "")),
        ("a CSV row of 256 000 columns", repeated("# pxname,svname,scur\nb,s,", ",", 256_000, "\n")),
        ("HTTP headers that never end", repeated("HTTP/1.1 200 OK\r\n", "X: y\r\n", 43_000, "")),
        ("40 000 one-byte chunks", repeated("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "1\r\nx\r\n", 40_000,
                                             "0\r\n\r\n")),
    ]

    @Test("pathological inputs take linear time", arguments: pathological.map(\.0))
    func linearTime(_ name: String) async {
        let bytes = Self.pathological.first { $0.0 == name }!.1
        let elapsed = await Self.offPool {
            let start = ContinuousClock.now
            _ = try? LoadParser.snapshot(from: bytes, format: Self.prometheus)
            _ = try? LoadParser.snapshot(from: bytes, format: Self.haproxy)
            _ = try? HTTPResponse.body(of: bytes)
            _ = HTTPResponse.isComplete(bytes)
            return ContinuousClock.now - start
        }
        // Linear parsing takes milliseconds; a quadratic one takes minutes on these inputs.
        #expect(elapsed < .seconds(20))
    }
}

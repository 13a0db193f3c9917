@testable import AutoscaledBase
@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// One row of the trace parser's table: a named CSV text and what reading it must give.
struct TraceParseCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let expected: String

    /// `expected` is the exact `TraceError.description`, or the trace in ``summary(_:)``'s words.
    init(_ name: String, _ input: String, _ expected: String) {
        self.name = name
        self.input = Array(input.utf8)
        self.expected = expected
    }

    /// A case whose input holds bytes that are not UTF-8.
    init(_ name: String, bytes: [UInt8], _ expected: String) {
        self.name = name
        self.input = bytes
        self.expected = expected
    }

    var testDescription: String { name }

    var outcome: String {
        do {
            return Self.summary(try TraceParser.parse(input))
        } catch {
            return error.description
        }
    }

    /// `requests from 0 by 1: 1 2.5` or `servers a,b from 60 by 60: 1 - | 2 3`.
    static func summary(_ trace: Trace) -> String {
        let timing = "from \(trace.start) by \(trace.binSeconds)"
        switch trace.series {
        case let .offeredLoad(requests):
            return "requests \(timing): " + requests.map { DecimalText.format($0) }.joined(separator: " ")
        case let .serverLoads(names, loads):
            let rows = stride(from: 0, to: loads.count, by: names.count).map { start in
                loads[start..<start + names.count].map { $0.map { DecimalText.format($0) } ?? "-" }.joined(separator: " ")
            }
            return "servers \(names.joined(separator: ",")) \(timing): " + rows.joined(separator: " | ")
        }
    }
}

struct TraceParserTests {
    @Test("accepted traces", arguments: [
        TraceParseCase("offered load: counts per bin", "t_seconds,requests\n0,1\n1,0\n2,2.5\n",
                       "requests from 0 by 1: 1 0 2.5"),
        TraceParseCase("the bin width comes from the first two rows", "t_seconds,requests\n60,10\n120,20\n180,30\n",
                       "requests from 60 by 60: 10 20 30"),
        TraceParseCase("token columns after requests are ignored",
                       "t_seconds,requests,prompt_tokens,generated_tokens\n0,1,374,44\n1,0,x,\n",
                       "requests from 0 by 1: 1 0"),
        TraceParseCase("server columns make a per-server trace", "t_seconds,a,b\n0,10,20\n5,30,40\n",
                       "servers a,b from 0 by 5: 10 20 | 30 40"),
        TraceParseCase("an empty server field means the server was absent", "t_seconds,a,b\n0,10,\n1,,\n2, ,7\n",
                       "servers a,b from 0 by 1: 10 - | - - | - 7"),
        TraceParseCase("comments and blank lines are skipped anywhere",
                       "# source: somewhere\n\nt_seconds,requests\n  # note\n0,1\n\n1,2\n", "requests from 0 by 1: 1 2"),
        TraceParseCase("CRLF, a byte order mark, blanks around fields and no last newline",
                       "\u{FEFF}t_seconds , requests\r\n 0 ,\t1\r\n1,2", "requests from 0 by 1: 1 2"),
        TraceParseCase("numbers may have signs, fractions and exponents", "t_seconds,a\n0,+1\n1,.5\n2,1e2\n3,-0\n",
                       "servers a from 0 by 1: 1 | 0.5 | 100 | 0"),
        TraceParseCase("a server may be named 'requester' (two characters from 'requests')", "t_seconds,requester\n0,1\n1,2\n",
                       "servers requester from 0 by 1: 1 | 2"),
    ])
    func accepts(_ row: TraceParseCase) {
        #expect(row.outcome == row.expected)
    }

    @Test("rejected traces", arguments: [
        TraceParseCase("an empty file has no header", "", "no header line (expected e.g. 't_seconds,requests')"),
        TraceParseCase("only comments have no header", "# a\n\n", "no header line (expected e.g. 't_seconds,requests')"),
        TraceParseCase("line ends of \\r alone are named, not read as one long header", "t_seconds,requests\r0,1\r1,2\r",
                       "line 1: a carriage return (\\r) inside the line: lines must end with \\n or \\r\\n, not \\r alone"),
        TraceParseCase("a \\r inside a data line", "t_seconds,requests\r\n0,1\r2\r\n1,2\r\n",
                       "line 2: a carriage return (\\r) inside the line: lines must end with \\n or \\r\\n, not \\r alone"),
        TraceParseCase("the first column must be t_seconds", "time,requests\n",
                       "line 1: the first column must be 't_seconds', not 'time'"),
        TraceParseCase("a header of one column is rejected", "# c\nt_seconds\n",
                       "line 2: no column after t_seconds (expected 'requests' or server names)"),
        TraceParseCase("quoted header fields are rejected", "t_seconds,\"a,b\"\n",
                       "line 1: column 2: quoted fields are not supported"),
        TraceParseCase("an empty server name is rejected", "t_seconds,a,,b\n",
                       "line 1: column 3: invalid server name \"\": empty"),
        TraceParseCase("a server named twice is rejected", "t_seconds,a,b,a\n",
                       "line 1: column 4: server 'a' appears more than once"),
        TraceParseCase("a control character in a name is rejected", "t_seconds,a\u{7}b\n",
                       "line 1: column 2: invalid server name \"a\\u{7}b\": contains a control character"),
        TraceParseCase("a second t_seconds column is not a server", "t_seconds,a,t_seconds\n0,5,0\n1,5,1\n",
                       "line 1: column 3: a second 't_seconds' column"),
        TraceParseCase("a second t_seconds column is not ignored either", "t_seconds,requests,t_seconds\n0,5,0\n1,5,1\n",
                       "line 1: column 3: a second 't_seconds' column"),
        TraceParseCase("a second requests column leaves the requests unclear", "t_seconds,requests,x,requests\n",
                       "line 1: column 4: a second 'requests' column"),
        TraceParseCase("requests past the second column is not a server", "t_seconds,tokens,requests\n0,1,5\n1,2,6\n",
                       "line 1: column 3: 'requests' can only be the second column ('t_seconds,requests,…', an offered-load trace), not a server's name"),
        TraceParseCase("requests with a capital is not a server", "t_seconds,Requests\n0,5\n1,6\n",
                       "line 1: column 2: 'Requests' would be read as a server's name; the trace format's column is 'requests' "
                       + "(a server may not be named so like it)"),
        TraceParseCase("request, singular, is not a server", "t_seconds,request\n0,5\n1,6\n",
                       "line 1: column 2: 'request' would be read as a server's name; the trace format's column is 'requests' "
                       + "(a server may not be named so like it)"),
        TraceParseCase("requests with two letters swapped is not a server", "t_seconds,reqeusts\n0,5\n1,6\n",
                       "line 1: column 2: 'reqeusts' would be read as a server's name; the trace format's column is 'requests' "
                       + "(a server may not be named so like it)"),
        TraceParseCase("a t_seconds mistyped past the first column is not a server", "t_seconds,a,T-seconds\n",
                       "line 1: column 3: 'T-seconds' would be read as a server's name; the trace format's column is 't_seconds' "
                       + "(a server may not be named so like it)"),
        TraceParseCase("no rows", "t_seconds,requests\n", "no data rows (the bin width is read from the first two rows)"),
        TraceParseCase("one row", "t_seconds,requests\n0,1\n",
                       "only one data row (the bin width is read from the first two rows)"),
        TraceParseCase("a row with too few fields", "t_seconds,a,b\n0,1\n", "line 2: 2 fields where the header has 3"),
        TraceParseCase("a row with too many fields", "t_seconds,requests\n0,1,2\n", "line 2: 3 fields where the header has 2"),
        TraceParseCase("a fractional time is rejected", "t_seconds,requests\n0.5,1\n",
                       "line 2: t_seconds '0.5' is not a whole number of seconds from 0 to 1000000000000"),
        TraceParseCase("a negative time is rejected", "t_seconds,requests\n-1,1\n",
                       "line 2: t_seconds '-1' is not a whole number of seconds from 0 to 1000000000000"),
        TraceParseCase("an empty time is rejected", "t_seconds,requests\n,1\n",
                       "line 2: t_seconds '' is not a whole number of seconds from 0 to 1000000000000"),
        TraceParseCase("a huge time is rejected", "t_seconds,requests\n99999999999999999999999,1\n",
                       "line 2: t_seconds '99999999999999999999999' is not a whole number of seconds from 0 to 1000000000000"),
        TraceParseCase("the second row must come after the first", "t_seconds,requests\n5,1\n5,1\n",
                       "line 3: t_seconds 5 is not after the first row's 5"),
        TraceParseCase("a missing bin is rejected", "t_seconds,requests\n0,1\n1,1\n3,1\n",
                       "line 4: t_seconds 3 should be 2: rows must follow one another by the bin width of the first two rows (1s), one row per bin"),
        TraceParseCase("rows out of order are rejected", "t_seconds,requests\n0,1\n60,1\n30,1\n",
                       "line 4: t_seconds 30 should be 120: rows must follow one another by the bin width of the first two rows (60s), one row per bin"),
        TraceParseCase("empty requests are rejected", "t_seconds,requests\n0,\n", "line 2: requests is empty"),
        TraceParseCase("negative requests are rejected", "t_seconds,requests\n0,1\n1,-2\n", "line 3: requests '-2' is negative"),
        TraceParseCase("NaN requests are rejected", "t_seconds,requests\n0,NaN\n", "line 2: requests 'NaN' is not a number"),
        TraceParseCase("requests beyond a double are above the most a load may be", "t_seconds,requests\n0,1e999\n",
                       "line 2: requests '1e999' is above 1e15"),
        TraceParseCase("a load beyond a double below zero is negative", "t_seconds,a\n0,-1e999\n",
                       "line 2: server 'a': load '-1e999' is negative"),
        TraceParseCase("a quoted number is rejected", "t_seconds,requests\n0,\"1\"\n", "line 2: requests '\"1\"' is not a number"),
        TraceParseCase("a bad server load names the server", "t_seconds,web 1\n0,abc\n",
                       "line 2: server 'web 1': load 'abc' is not a number"),
        TraceParseCase("a server name that is not UTF-8 is rejected, its bytes shown",
                       bytes: Array("t_seconds,a,web".utf8) + [0xFF, 0x0A, 0x30, 0x2C, 0x31, 0x2C, 0x32, 0x0A],
                       "line 1: column 3: server name 'web\\xFF' is not valid UTF-8"),
        TraceParseCase("two names that differ in bytes that are not UTF-8 are not one name",
                       bytes: Array("t_seconds,a".utf8) + [0xFE, 0x2C, 0x61, 0xFF, 0x0A],
                       "line 1: column 2: server name 'a\\xFE' is not valid UTF-8"),
        TraceParseCase("a value that is not UTF-8 is shown as written",
                       bytes: Array("t_seconds,requests\n0,1".utf8) + [0xFF, 0x0A],
                       "line 2: requests '1\\xFF' is not a number"),
        TraceParseCase("a first column that is not UTF-8 is shown as written",
                       bytes: [0xFE, 0x74, 0x0A],
                       "line 1: the first column must be 't_seconds', not '\\xFEt'"),
        TraceParseCase("UTF-16 text is named as such, not read as lines",
                       bytes: [0xFF, 0xFE, 0x74, 0x00, 0x0A],
                       "not a UTF-8 text file: it starts '\\xFF\\xFEt\\u{0}\\n', as UTF-16 text does (save it as UTF-8)"),
        TraceParseCase("a gzip file is named as such, not as a line with a carriage return",
                       bytes: [0x1F, 0x8B, 0x08, 0x08, 0x0D, 0x0A, 0x41, 0x42, 0x0D, 0x43],
                       "not a UTF-8 text file: it starts '\\u{1f}\\x8B\\u{8}\\u{8}\\r\\nAB', as gzip data does (decompress it first)"),
        TraceParseCase("a NUL byte says it is no text", bytes: Array("t_seconds,requests\n0,1\n".utf8) + [0x00, 0x0A],
                       "not a UTF-8 text file: it starts 't_second', and holds a NUL byte (a trace is CSV text)"),
        TraceParseCase("text that starts as bzip2's magic does is text", "BZh,requests\n",
                       "line 1: the first column must be 't_seconds', not 'BZh'"),
        TraceParseCase("a span longer than a replay may cover is rejected", "t_seconds,requests\n0,1\n60000000,1\n",
                       "2 bins of 60000000 s span more than the 100000000 s a replay may cover"),
        TraceParseCase("a negative server load is rejected", "t_seconds,a\n0,1\n1,-0.5\n", "line 3: server 'a': load '-0.5' is negative"),
    ])
    func rejects(_ row: TraceParseCase) {
        #expect(row.outcome == row.expected)
    }

    @Test("the header may have at most maxColumns columns")
    func columnCap() {
        let names = (1..<TraceParser.maxColumns + 1).map { "s\($0)" }
        let header = "t_seconds," + names.joined(separator: ",") + "\n"
        #expect(TraceParseCase("", header, "").outcome == "line 1: 10001 columns, more than the 10000 allowed")
    }

    @Test("an absurdly long line keeps at most maxFields fields, and counts them all")
    func longLine() {
        let bytes = Array(("t_seconds" + String(repeating: ",", count: 1_000_000) + "\n0").utf8)
        bytes.withUnsafeBytes { buffer in
            var lines = TraceLines(buffer, maxFields: 3)
            let header = lines.next()
            #expect(header?.fields.count == 3)
            #expect(header?.fieldCount == 1_000_001)
            #expect(lines.next().map { ($0.number, $0.fields.count, $0.fieldCount) } ?? (0, 0, 0) == (2, 1, 1))
        }
        #expect(TraceParseCase("", "t_seconds,requests\n0,1\n1" + String(repeating: ",", count: 1_000_000) + "\n", "").outcome
            == "line 3: 1000001 fields where the header has 2")
    }

    @Test("random bytes and byte flips never trap")
    func neverTraps() {
        var random = SplitMix64(seed: 0x7ACE_0001)
        let seed = Array("# c\nt_seconds,requests,x\n0,1,2\n1,0.5,\n2,3e1,4\n".utf8)
        let alphabet = Array("t_seconds,requests#\n\r\t .-+e0123456789\"".utf8) + [0, 0x80, 0xEF, 0xBB, 0xBF, 0xFF]
        for _ in 0..<3_000 {
            var bytes = seed
            for _ in 0...random.next(below: 6) {
                let index = random.next(below: bytes.count)
                switch random.next(below: 3) {
                case 0: bytes[index] = alphabet[random.next(below: alphabet.count)]
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet[random.next(below: alphabet.count)], at: index)
                }
                if bytes.isEmpty { bytes = [0x2C] }
            }
            _ = try? TraceParser.parse(bytes)
        }
        for length in 0..<64 {
            _ = try? TraceParser.parse((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
    }
}

import AutoscaledCore
import Testing

struct LoadParserTests {
    @Test("the documented example becomes a snapshot of three servers")
    func documentedExample() throws {
        let snapshot = try LoadParser.snapshot(
            from: Array(#"{"server1": 30, "server2": 55, "server3": 20}"#.utf8), format: .json)
        #expect(snapshot.servers.map(\.name) == ["server1", "server2", "server3"])
        #expect(snapshot.servers.map(\.load) == [30, 55, 20])
    }

    @Test("the json and lines formats read the same servers", arguments: [LoadFormat.json, .lines])
    func formats(_ format: LoadFormat) throws {
        let text = format == .json ? #"{"web-1": 12.5, "web-2": 0}"# : "web-1 12.5\nweb-2 0\n"
        let snapshot = try text.utf8.withContiguousStorageIfAvailable { utf8 throws(LoadError) in
            try LoadParser.snapshot(from: UnsafeRawBufferPointer(utf8), format: format)
        }
        #expect(snapshot?.servers == [ServerLoad(name: "web-1", load: 12.5), ServerLoad(name: "web-2", load: 0)])
    }

    @Test("rejected snapshots", arguments: [
        SnapshotCase("an empty object is no snapshot", .json, "{}", "no servers in the data"),
        SnapshotCase("an empty file is no snapshot", .lines, "", "no servers in the data"),
        SnapshotCase("a comments-only file is no snapshot", .lines, "# nothing yet\n\n", "no servers in the data"),
        SnapshotCase("duplicate names reject the whole snapshot", .json, #"{"a": 1, "b": 2, "a": 3}"#,
                     #"line 1: server "a" appears more than once"#),
        SnapshotCase("a name spelled with an escape is still a duplicate", .json, #"{"a": 1, "\u0061": 2}"#,
                     #"line 1: server "a" appears more than once"#),
        SnapshotCase("duplicate lines reject the whole snapshot", .lines, "a 1\nb 2\na 1\n",
                     #"line 3: server "a" appears more than once"#),
        SnapshotCase("a negative load rejects the whole snapshot", .json, #"{"a": 1, "b": -0.5}"#,
                     #"line 1: server "b": load -0.5 is negative"#),
        SnapshotCase("a negative line rejects the whole snapshot", .lines, "a -2\n",
                     #"line 1: server "a": load -2 is negative"#),
        SnapshotCase("an empty name is rejected", .json, #"{"": 1}"#, #"line 1: invalid server name "": empty"#),
        SnapshotCase("an escaped control character in a name is rejected", .json, #"{"a\nb": 1}"#,
                     #"line 1: invalid server name "a\nb": contains a control character"#),
        SnapshotCase("an escaped NUL in a name is rejected", .json, #"{"a\u0000": 1}"#,
                     #"line 1: invalid server name "a\u{0}": contains a control character"#),
        SnapshotCase("a NUL byte in a line name is rejected", .lines, "a\u{0} 1\n",
                     #"line 1: invalid server name "a\u{0}": contains a control character"#),
        SnapshotCase("a bidi override in a name is rejected", .json, #"{"\u202eabc": 60}"#,
                     #"line 1: invalid server name "\u{202e}abc": contains a character that is not printable (U+202E)"#),
        SnapshotCase("a zero-width space as a name is rejected", .json, #"{"\u200b": 60}"#,
                     #"line 1: invalid server name "\u{200b}": contains a character that is not printable (U+200B)"#),
        SnapshotCase("a no-break space in a line name is rejected", .lines, "a\u{A0}b 1\n",
                     #"line 1: invalid server name "a\u{a0}b": contains a character that is not printable (U+00A0)"#),
        SnapshotCase("a name of spaces is rejected", .json, #"{" ": 60}"#, #"line 1: invalid server name " ": only spaces"#),
        SnapshotCase("a Hangul filler, drawn as nothing, is no name", .json, #"{"server2\u3164": 60}"#,
                     #"line 1: invalid server name "server2\u{3164}": contains a character that is not printable (U+3164)"#),
        SnapshotCase("a Braille blank is no name", .lines, "\u{2800} 1\n",
                     #"line 1: invalid server name "\u{2800}": contains a character that is not printable (U+2800)"#),
        SnapshotCase("a name may not start with a combining mark", .json, #"{"\u0301a": 5}"#,
                     #"line 1: invalid server name "\u{301}a": starts with a combining mark (U+0301)"#),
        SnapshotCase("a line separator in a name is called what it is", .json, #"{"a\u2028b": 5}"#,
                     #"line 1: invalid server name "a\u{2028}b": contains a line or paragraph separator (U+2028)"#),
        SnapshotCase("a mark within a name is a letter's accent", .json, #"{"e\u0301": 5}"#, "accepted"),
        SnapshotCase("two spellings of one name Unicode holds equal are one name, said so", .json, "{\"\u{E9}\": 1,\n\"e\u{301}\": 2}",
                     #"line 2: server "\#u{E9}" appears more than once, spelled U+00E9 and U+0065 U+0301, which Unicode holds to be the same text"#),
        SnapshotCase("a server label of spaces is rejected", .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "q{s=\"   \"} 1\n", #"line 1: invalid server name "   ": only spaces"#),
        SnapshotCase("a fault found after parsing names its line", .json, "{\"a\":1,\n\"b\":2,\n\"c\": -1}",
                     #"line 3: server "c": load -1 is negative"#),
        SnapshotCase("a duplicate names the line of the second", .json, "{\"a\":1,\n\"b\":2,\n\n\"a\": 3}",
                     #"line 4: server "a" appears more than once"#),
        SnapshotCase("a load above the bound is quoted as written", .json, "{\n  \"a\": 2e15\n}",
                     #"line 2: server "a": load 2e15 is above 1e15"#),
        SnapshotCase("a line's load above the bound is quoted as written", .lines, "a 1\nb 2.0E+15\n",
                     #"line 2: server "b": load 2.0E+15 is above 1e15"#),
        SnapshotCase("a long load is quoted cut", .lines, "a 1\nb 2000000000000000.000000000000\n",
                     #"line 2: server "b": load 2000000000000000.0000000… is above 1e15"#),
        SnapshotCase("a sample's load above the bound is quoted as written", .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "q{s=\"a\"} 1\nq{s=\"b\"} 2e15\n", #"line 2: server "b": load 2e15 is above 1e15"#),
        SnapshotCase("a sum above the bound names the sample that took it there",
                     .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "q{s=\"a\",x=\"1\"} 6e14\nq{s=\"a\",x=\"2\"} 6e14\nq{s=\"a\",x=\"3\"} 1\n",
                     #"line 2: server "a": load 1200000000000001 is above 1e15"#),
        SnapshotCase("a negative sample is refused though the sum is a load", .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "q{s=\"a\",x=\"1\"} 40\nq{s=\"a\",x=\"2\"} -10\n", #"line 2: server "a": load -10 is negative"#),
        SnapshotCase("a negative first sample is refused though the sum is a load",
                     .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "q{s=\"a\",x=\"1\"} -1e1\nq{s=\"a\",x=\"2\"} 40\n", #"line 1: server "a": load -1e1 is negative"#),
        SnapshotCase("infinities that would sum to NaN name the first", .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "q{s=\"a\",x=\"1\"} +Inf\nq{s=\"a\",x=\"2\"} -Inf\n", #"line 1: server "a": load +Inf is not a finite number"#),
        SnapshotCase("a name at fault in a sample names its line", .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "q{s=\"a\"} 1\nq{s=\"b\"} 1\nq{s=\"\u{202e}\"} 1\n",
                     #"line 3: invalid server name "\u{202e}": contains a character that is not printable (U+202E)"#),
        SnapshotCase("an HAProxy load above the bound is quoted as written", .haproxy(HAProxySelection(backend: "b")),
                     "# pxname,svname,scur\nb,s,1\nb,t,3e15\n", #"line 3: server "t": load 3e15 is above 1e15"#),
        SnapshotCase("an HAProxy name at fault names its line", .haproxy(HAProxySelection(backend: "b")),
                     "# pxname,svname,scur\nb,s,1\nb, ,1\n", #"line 3: invalid server name " ": only spaces"#),
        SnapshotCase("NaN load is rejected", .json, #"{"a": NaN}"#, #"line 1: expected a number for "a", found 'NaN'"#),
        SnapshotCase("NaN line is rejected", .lines, "a nan\n", #"line 1: expected a number for "a", found 'nan'"#),
        SnapshotCase("a syntax fault wins over later validation faults", .json, #"{"a": -1, "a": x}"#,
                     #"line 1: expected a number for "a", found 'x'"#),
    ])
    func rejects(_ row: SnapshotCase) {
        var description = "accepted"
        do {
            _ = try LoadParser.snapshot(from: row.input, format: row.format)
        } catch {
            description = error.description
        }
        #expect(description == row.expected)
    }

    @Test("a leading UTF-8 byte order mark is skipped alike in every format, and lines keep their numbers", arguments: [
        SnapshotCase("json", .json, "\u{FEFF}{\"a\": 1}", "a=1.0"),
        SnapshotCase("lines", .lines, "\u{FEFF}a 1\n", "a=1.0"),
        SnapshotCase("prometheus", .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")), "\u{FEFF}q{s=\"a\"} 1\n", "a=1.0"),
        SnapshotCase("haproxy", .haproxy(HAProxySelection(backend: "b")), "\u{FEFF}# pxname,svname,scur\nb,s,1\n", "s=1.0"),
        SnapshotCase("a byte order mark alone is no json document", .json, "\u{FEFF}", "line 1: expected '{', found end of data"),
        SnapshotCase("lines: a fault on line 2 is still line 2", .lines, "\u{FEFF}a 1\nb\n", "line 2: expected 'NAME VALUE', found 1 field: 'b'"),
        SnapshotCase("prometheus: a fault on line 2 is still line 2", .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")),
                     "\u{FEFF}q{s=\"a\"} 1\nq{s=\"b\"} x\n", "line 2: expected a number, NaN, +Inf or -Inf as the value, found 'x'"),
        SnapshotCase("haproxy: a fault on line 2 is still line 2", .haproxy(HAProxySelection(backend: "b")),
                     "\u{FEFF}# pxname,svname,scur\nb,s,x\n", "line 2: expected a number in column 'scur' of server \"s\", found 'x'"),
        SnapshotCase("a second byte order mark is no server", .lines, "\u{FEFF}\u{FEFF}a 1\n",
                     #"line 1: invalid server name "\u{feff}a": contains a character that is not printable (U+FEFF)"#),
    ])
    func byteOrderMark(_ row: SnapshotCase) {
        var description: String
        do {
            description = try LoadParser.snapshot(from: row.input, format: row.format).servers.map { "\($0.name)=\($0.load)" }.joined(separator: " ")
        } catch {
            description = error.description
        }
        #expect(description == row.expected)
    }

    @Test("printable names beyond ASCII, spaces inside them too, are accepted")
    func printableNames() throws {
        let snapshot = try LoadParser.snapshot(from: Array(#"{"gpu é 1": 1, "\u00e9\ud83d\ude00": 2, " x ": 3}"#.utf8), format: .json)
        #expect(snapshot.servers.map(\.name) == ["gpu é 1", "é😀", " x "])
    }

    @Test("a name over the byte limit is rejected")
    func longName() {
        let name = String(repeating: "n", count: LoadSnapshot.maxNameBytes + 1)
        #expect(throws: LoadError.invalidName(String(repeating: "n", count: 32) + "…",
                                              reason: "longer than \(LoadSnapshot.maxNameBytes) bytes", line: 1)) {
            try LoadParser.snapshot(from: Array("{\"\(name)\": 1}".utf8), format: .json)
        }
    }
}

struct SnapshotCase: Sendable, CustomTestStringConvertible {
    let name: String
    let format: LoadFormat
    let input: [UInt8]
    let expected: String

    init(_ name: String, _ format: LoadFormat, _ input: String, _ expected: String) {
        self.name = name
        self.format = format
        self.input = Array(input.utf8)
        self.expected = expected
    }

    var testDescription: String { name }
}

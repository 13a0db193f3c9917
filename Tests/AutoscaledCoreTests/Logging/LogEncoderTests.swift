@testable import AutoscaledBase
@testable import AutoscaledCore
import FoundationEssentials
import Testing

struct LogEncoderTests {
    let record = LogRecord(.notice, .scaleUp, [
        LogField("from", 3), LogField("to", 4), LogField("max_load", .number(55)),
        LogField("max_server", "server2"), LogField("reason", "1 server above 50"),
    ])
    /// 2026-11-29T06:10:00.123Z
    let wall = 1_795_932_600.123

    @Test("logfmt on a terminal starts with an ISO-8601 UTC timestamp, then level and event")
    func terminalLogfmt() {
        let line = LogEncoder(format: .logfmt, style: .terminal).encode(record, wallTime: wall)
        #expect(line == #"ts=2026-11-29T06:10:00.123Z level=notice event=scale-up from=3 to=4 max_load=55 max_server=server2 reason="1 server above 50""#)
    }

    @Test("a terminal logfmt line is key=value pairs throughout, even with hostile values")
    func validLogfmt() throws {
        let hostile = LogRecord(.warning, .sourceError, [
            LogField("source", "/tmp/a b=c"), LogField("cause", "x\" level=error \\ \n fake=1"), LogField("failures", 2),
        ])
        let line = LogEncoder(format: .logfmt, style: .terminal).encode(hostile, wallTime: wall)
        let pairs = try #require(Self.logfmtPairs(line))
        #expect(pairs.map(\.key) == ["ts", "level", "event", "source", "cause", "failures"])
        #expect(pairs.first?.value == "2026-11-29T06:10:00.123Z")
    }

    /// Splits a logfmt line into pairs; `nil` when any token is not `key=value` (value bare or quoted).
    static func logfmtPairs(_ line: String) -> [(key: String, value: String)]? {
        var pairs: [(key: String, value: String)] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), !rest[..<equals].contains(" ") else { return nil }
            let key = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let character = rest.first, character != "\"" {
                    if character == "\\" { rest = rest.dropFirst() }
                    value.append(rest.first ?? " ")
                    rest = rest.dropFirst()
                }
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
            } else {
                value = String(rest.prefix { $0 != " " })
                rest = rest.dropFirst(value.count)
            }
            pairs.append((key, value))
            guard rest.isEmpty || rest.first == " " else { return nil }
            rest = rest.dropFirst()
        }
        return pairs
    }

    @Test("the event names are those the logs have always used")
    func eventNames() {
        #expect(LogEvent.allCases.map(\.rawValue) == [
            "start", "stop", "reload", "reload-failed", "reload-deferred", "scale-up", "scale-down", "hold", "skip",
            "source-error", "source-down", "source-up", "actuate", "actuate-failed", "actuate-cancelled",
            "state-initial", "state-write-failed", "state-read-failed", "state-locked", "state-lock-restored", "state-kept-aside", "temp-removed",
            "temp-cleanup-failed", "config-insecure", "actuator-cannot-run", "config-removed", "watch-failed", "notify-failed", "watchdog-at-risk",
            "metrics-write-failed", "metrics-removed", "history-write-failed", "write-recovered", "history-segment-lost",
            "history-lock-restored",
            "log-dropped", "signal-ignored", "limited", "pause", "resume",
            "pause-file-invalid", "pause-file-restored",
        ])
    }

    @Test("under journald each line carries its syslog priority and no timestamp")
    func journalPrefix() {
        let encoder = LogEncoder(format: .logfmt, style: .journal)
        #expect(encoder.encode(LogRecord(.notice, .scaleUp), wallTime: wall) == "<5>level=notice event=scale-up")
        #expect(encoder.encode(LogRecord(.warning, .sourceError), wallTime: wall) == "<4>level=warning event=source-error")
        #expect(encoder.encode(LogRecord(.error, .reloadFailed), wallTime: wall) == "<3>level=error event=reload-failed")
        #expect(encoder.encode(LogRecord(.info, .start), wallTime: wall) == "<6>level=info event=start")
        #expect(encoder.encode(LogRecord(.debug, .hold), wallTime: wall) == "<7>level=debug event=hold")
    }

    @Test("JSON keeps numbers as numbers and the field order")
    func json() {
        let line = LogEncoder(format: .json, style: .terminal).encode(record, wallTime: wall)
        #expect(line == #"{"ts":"2026-11-29T06:10:00.123Z","level":"notice","event":"scale-up","from":3,"to":4,"max_load":55,"max_server":"server2","reason":"1 server above 50"}"#)
    }

    struct Hostile: CustomTestStringConvertible, Sendable {
        var name: String
        var value: String
        var logfmt: String
        var testDescription: String { name }
    }

    static let hostile: [Hostile] = [
        Hostile(name: "a newline cannot start a new line", value: "a\nlevel=error event=stop",
                logfmt: #""a\nlevel=error event=stop""#),
        Hostile(name: "a space and equals sign cannot forge a field", value: "x reason=forged",
                logfmt: #""x reason=forged""#),
        Hostile(name: "quotes and backslashes are escaped", value: #"say "hi" \o/"#, logfmt: #""say \"hi\" \\o/""#),
        Hostile(name: "carriage return, tab and escape are escaped", value: "a\r\t\u{1B}[31m", logfmt: #""a\r\t\u001b[31m""#),
        Hostile(name: "Unicode line separators are escaped", value: "a\u{2028}b\u{85}", logfmt: #""a\u2028b\u0085""#),
        Hostile(name: "bidi controls are quoted and escaped", value: "srv\u{202E}1\u{2066}", logfmt: #""srv\u202e1\u2066""#),
        Hostile(name: "zero-width and invisible characters are quoted and escaped", value: "a\u{200B}b\u{FEFF}\u{00A0}",
                logfmt: #""a\u200bb\ufeff\u00a0""#),
        Hostile(name: "an invisible character above U+FFFF is a surrogate pair", value: "x\u{E0041}",
                logfmt: #""x\udb40\udc41""#),
        Hostile(name: "an empty value is quoted", value: "", logfmt: #""""#),
        Hostile(name: "a plain value stays bare", value: "server-1.example_A", logfmt: "server-1.example_A"),
        Hostile(name: "non-ASCII printable text stays", value: "nœud-é", logfmt: "nœud-é"),
    ]

    @Test("a hostile value cannot break out of its field", arguments: hostile)
    func escaping(_ test: Hostile) {
        #expect(LogEncoder.logfmtValue(.string(test.value)) == test.logfmt)
        let line = LogEncoder(format: .logfmt, style: .journal).encode(
            LogRecord(.notice, .scaleUp, [LogField("max_server", .string(test.value)), LogField("to", 4)]), wallTime: wall)
        #expect(!line.contains("\n") && !line.contains("\r"))
        #expect(line.hasSuffix(" to=4"))
        let json = LogEncoder(format: .json, style: .journal).encode(
            LogRecord(.notice, .start, [LogField("v", .string(test.value))]), wallTime: wall)
        #expect(!json.contains("\n") && !json.contains("\r"))
        #expect(!line.unicodeScalars.contains { !TextEscaping.isVisible($0) && $0 != " " })
        #expect(!json.unicodeScalars.contains { !TextEscaping.isVisible($0) && $0 != " " })
    }

    @Test("numbers print without a trailing .0")
    func numbers() {
        #expect(LogValue.number(55).text == "55")
        #expect(LogValue.number(37.5).text == "37.5")
        #expect(LogValue.number(-0.25).text == "-0.25")
        #expect(LogValue.number(1e20).text == "1e+20")
    }

    @Test("the logger drops records below its level and writes one line per record")
    func levels() {
        let sink = MemoryLogSink()
        let logger = Logger(level: .info, encoder: LogEncoder(format: .logfmt, style: .journal), sink: sink, wallTime: { 0 })
        logger.log(.debug, .hold)
        logger.log(.info, .start, [LogField("replicas", 3)])
        logger.log(.notice, .scaleUp)
        #expect(sink.lines == ["<6>level=info event=start replicas=3", "<5>level=notice event=scale-up"])
        let quiet = logger.reconfigured(LogConfig(level: .warning, format: .json))
        quiet.log(.notice, .scaleUp)
        quiet.log(.warning, .sourceError)
        #expect(sink.lines.last == #"<4>{"level":"warning","event":"source-error"}"#)
        #expect(sink.lines.count == 3)
    }
}

extension LogEncoderTests {
    @Test("a JSON line with escaped controls, bidi and invisible characters is valid JSON that reads back the original")
    func jsonRoundTrip() throws {
        let value = "a\u{1B}[31m\u{202E}b\u{200B}\u{E0041}\"\\\n\u{2028}é"
        let line = LogEncoder(format: .json, style: .terminal).encode(LogRecord(.info, .start, [LogField("v", .string(value))]), wallTime: wall)
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(line.utf8))
        #expect(decoded["v"] == value)
    }
}

@testable import AutoscaledCore
import Testing

struct JournalMessageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var fields: [JournalMessage.Field]
        var bytes: [UInt8]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a plain value is NAME=value and a newline",
             fields: [.init("MESSAGE", "level=info event=start")], bytes: Array("MESSAGE=level=info event=start\n".utf8)),
        Case(name: "fields follow each other in order",
             fields: [.init("PRIORITY", "5"), .init("AUTOSCALED_TO", "7")], bytes: Array("PRIORITY=5\nAUTOSCALED_TO=7\n".utf8)),
        Case(name: "an empty value is NAME= and a newline", fields: [.init("AUTOSCALED_X", "")], bytes: Array("AUTOSCALED_X=\n".utf8)),
        Case(name: "a value with a newline is length-prefixed, little-endian",
             fields: [.init("AUTOSCALED_MAX_SERVER", "a\nb")],
             bytes: Array("AUTOSCALED_MAX_SERVER\n".utf8) + [3, 0, 0, 0, 0, 0, 0, 0] + Array("a\nb\n".utf8)),
        Case(name: "'=' inside a value needs nothing", fields: [.init("MESSAGE", "a=b")], bytes: Array("MESSAGE=a=b\n".utf8)),
        Case(name: "NUL and other bytes pass as they are", fields: [.init("AUTOSCALED_V", [0, 0xFF, 9])],
             bytes: Array("AUTOSCALED_V=".utf8) + [0, 0xFF, 9, 10]),
    ]

    @Test("the encoding, field by field", arguments: cases)
    func encodes(_ test: Case) throws {
        #expect(JournalMessage.encode(test.fields) == test.bytes)
        #expect(try JournalMessage.decode(test.bytes) == test.fields)
    }

    @Test("a record becomes MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, AUTOSCALED_EVENT and a field per log field")
    func recordFields() {
        let record = LogRecord(.notice, .scaleUp, [
            LogField("from", 3), LogField("to", 7), LogField("max_load", .number(55.5)), LogField("dry_run", true),
        ])
        let message = "level=notice event=scale-up from=3 to=7 max_load=55.5 dry_run=true"
        #expect(JournalMessage.fields(record, message: message) == [
            .init("MESSAGE", message), .init("PRIORITY", "5"), .init("SYSLOG_IDENTIFIER", "autoscaled"),
            .init("AUTOSCALED_EVENT", "scale-up"), .init("AUTOSCALED_FROM", "3"), .init("AUTOSCALED_TO", "7"),
            .init("AUTOSCALED_MAX_LOAD", "55.5"), .init("AUTOSCALED_DRY_RUN", "true"),
        ])
    }

    struct Name: CustomTestStringConvertible, Sendable {
        var key: String
        var name: String
        var testDescription: String { "'\(key)' is filed as \(name)" }
    }

    @Test("log keys become valid journal field names", arguments: [
        Name(key: "to", name: "AUTOSCALED_TO"),
        Name(key: "servers_to_scale", name: "AUTOSCALED_SERVERS_TO_SCALE"),
        Name(key: "max-load.p99", name: "AUTOSCALED_MAX_LOAD_P99"),
        Name(key: "ünï", name: "AUTOSCALED__N_"),
        Name(key: String(repeating: "k", count: 80), name: "AUTOSCALED_" + String(repeating: "K", count: 53)),
    ])
    func names(_ test: Name) {
        #expect(JournalMessage.fieldName(test.key) == test.name)
        #expect(JournalMessage.isValidName(test.name))
    }

    @Test("names journald rejects", arguments: ["", "_PID", "1ABC", "lower", "A-B", String(repeating: "A", count: 65)])
    func invalidNames(_ name: String) {
        #expect(!JournalMessage.isValidName(name))
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var error: JournalMessage.DecodeError
        var testDescription: String { name }
    }

    @Test("datagrams that are not the native protocol name the byte at fault", arguments: [
        Broken(name: "no final newline", bytes: Array("A=1\nB=2".utf8),
               error: .init(offset: 6, problem: "value of B without a final newline")),
        Broken(name: "a name without '=' or newline", bytes: Array("A=1\nB".utf8),
               error: .init(offset: 4, problem: "field name without '=' or newline")),
        Broken(name: "a lower-case name", bytes: Array("a=1\n".utf8), error: .init(offset: 0, problem: "invalid field name 'a'")),
        Broken(name: "a length cut short", bytes: Array("A\n".utf8) + [1, 0, 0],
               error: .init(offset: 2, problem: "length of A cut short")),
        Broken(name: "a length past the end", bytes: Array("A\n".utf8) + [9, 0, 0, 0, 0, 0, 0, 0] + Array("ab\n".utf8),
               error: .init(offset: 2, problem: "length 9 of A runs past the end")),
        Broken(name: "a huge length", bytes: Array("A\n".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [10],
               error: .init(offset: 2, problem: "length 18446744073709551615 of A runs past the end")),
        Broken(name: "a binary value not followed by a newline", bytes: Array("A\n".utf8) + [1, 0, 0, 0, 0, 0, 0, 0] + Array("ab".utf8),
               error: .init(offset: 11, problem: "value of A not followed by a newline")),
    ])
    func rejects(_ test: Broken) {
        #expect(throws: test.error) { try JournalMessage.decode(test.bytes) }
    }
}

@testable import AutoscaledBase
@testable import AutoscaledCore
import Testing

struct KeyTypeTests {
    private func parse(_ type: KeyType, _ text: String) throws(KeyType.Fault) -> TypedValue {
        try type.parse(text, example: "x", directory: "/etc")
    }

    @Test("booleans in every systemd spelling", arguments: [
        ("true", true), ("yes", true), ("on", true), ("1", true), ("TRUE", true), ("Yes", true),
        ("false", false), ("no", false), ("off", false), ("0", false), ("Off", false),
    ])
    func booleans(_ text: String, _ expected: Bool) throws {
        #expect(try parse(.boolean, text) == .boolean(expected))
    }

    @Test("a non-boolean lists the spellings")
    func notBoolean() {
        #expect(throws: KeyType.Fault(problem: "is not a boolean",
                                              expected: "true, false, yes, no, on, off, 1 or 0")) {
            try parse(.boolean, "maybe")
        }
    }

    @Test("strings lose one pair of enclosing quotes, double or single, and nothing else", arguments: [
        (#""a b""#, "a b"), (#"a "b""#, #"a "b""#), ("'a'", "a"), ("'a b'", "a b"), (#"'say "hi"'"#, #"say "hi""#),
        (#""it's""#, "it's"), (#"a""#, #"a""#), ("a'", "a'"), (#""a\\""#, #"a\\"#), (#""\'""#, #"\'"#),
    ])
    func strings(_ text: String, _ expected: String) throws {
        #expect(try parse(.string, text) == .string(expected))
    }

    @Test("a value whose quoted run ends before the value does is refused, whatever comes after it", arguments: [
        (KeyType.string, "'a' 'b'", "single"), (.string, #""a" "b""#, "double"), (.path, #""a"b""#, "double"),
        (.path, "'it''s.json'", "single"), (.path, #"'a\'b'"#, "single"), (.duration(allowsZero: false), #""1s"1s""#, "double"),
        (.integer(min: 0, max: 10), #""5" "6""#, "double"),
    ])
    func textAfterTheQuotes(_ type: KeyType, _ text: String, _ quote: String) {
        #expect(throws: KeyType.Fault(problem: "has text after its closing \(quote) quote (quote the whole value, or none of it)")) {
            try parse(type, text)
        }
    }

    @Test("a double quote escaped inside double quotes is refused: values have no escapes")
    func escapedQuote() {
        #expect(throws: KeyType.Fault(problem: "has a double quote inside its double quotes, which values have no escape for "
            + "(quote it with the other kind of quote)")) {
            try parse(.path, #""in\"fo""#)
        }
    }

    @Test("a string or path that opens a quote and never closes it is refused", arguments: [
        (KeyType.string, #"""#, "double"), (.string, #""a b"#, "double"), (.path, #""/srv/x # y"#, "double"),
        (.string, "'a", "single"), (.path, "'", "single"),
    ])
    func unterminatedQuotes(_ type: KeyType, _ text: String, _ quote: String) {
        #expect(throws: KeyType.Fault(problem: "has an unterminated \(quote) quote")) { try parse(type, text) }
    }

    @Test("a file path that can only name a directory is refused, not read as the file the directory is",
          arguments: ["/run/autoscaled/", "/run/autoscaled/.", "run/..", "\"/srv/x/\"", ".", "/"])
    func directoryAsFile(_ text: String) {
        #expect(throws: KeyType.Fault(problem: "names a directory, not a file", expected: "a path, e.g. x")) {
            try parse(.path, text)
        }
    }

    @Test("a directory path may end in '/'")
    func directory() throws {
        #expect(try parse(.directory, "/var/lib/history/") == .string("/var/lib/history"))
        #expect(try parse(.directory, "history/.") == .string("/etc/history"))
    }

    @Test("duration failures describe themselves", arguments: [
        (DurationText.Failure.unknownUnit("x"), "unknown unit 'x' (expected us, ms, s, min, h or d)"),
        (.malformed, "not a duration (expected e.g. 5s, 250ms or 1min 30s)"),
        (.negative, "negative duration"),
    ])
    func durationFailures(_ failure: DurationText.Failure, _ text: String) {
        #expect(failure.description == text)
    }

    @Test("integer ranges state their bounds")
    func integerRanges() {
        let type = KeyType.integer(min: 1, max: 65_535)
        #expect(type.expected(example: "80") == "an integer from 1 to 65535, e.g. 80")
        #expect(throws: KeyType.Fault(problem: "must be at most 65535")) { try parse(type, "70000") }
        #expect(KeyType.integer(max: 9).expected(example: "3") == "an integer <= 9, e.g. 3")
        #expect(KeyType.integer().expected(example: "3") == "an integer, e.g. 3")
    }

    @Test("a number written as more than nothing that reads as 0 is refused; 0 written as 0 is 0")
    func underflow() throws {
        #expect(throws: KeyType.Fault(problem: "is too small to tell from 0", expected: "a finite number, e.g. x")) { try parse(.number, "1e-400") }
        #expect(throws: KeyType.Fault(problem: "is too small to tell from 0", expected: "a finite number, e.g. x")) { try parse(.number, "-0.5e-330") }
        #expect(try parse(.number, "0") == .number(0))
        #expect(try parse(.number, "0.000e5") == .number(0))
        #expect(try parse(.number, "-0") == .number(0))
    }

    @Test("integral numbers print without a fraction", arguments: [
        (50.0, "50"), (-3, "-3"), (0, "0"), (-0.0, "0"), (2.5, "2.5"), (0.1, "0.1"), (1e20, "1e+20"),
    ])
    func numberText(_ number: Double, _ text: String) {
        #expect(TypedValue.number(number).text == text)
    }
}

import Testing
@testable import AutoscaledCore

struct IniDocumentTests {
    private func value(of line: String) -> String? {
        guard case let .assignment(_, value)? = IniDocument(text: line).entries.first?.content else { return nil }
        return value
    }

    @Test("sections, assignments, comments and blank lines")
    func basicShape() {
        let text = """
            # full-line comment
            ; another one
              [source]   # inline after a section

            type = file   # the only type
            key=value
            \tindented\t=\tspaced\t
            """
        #expect(IniDocument(text: text).entries == [
            .init(line: 3, content: .section("source")),
            .init(line: 5, content: .assignment(key: "type", value: "file")),
            .init(line: 6, content: .assignment(key: "key", value: "value")),
            .init(line: 7, content: .assignment(key: "indented", value: "spaced")),
        ])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let line: String
        let value: String
        var testDescription: String { name }
    }

    @Test("inline comments versus quotes", arguments: [
        Case(name: "'#' after whitespace starts a comment", line: "k = a # b", value: "a"),
        Case(name: "';' after whitespace starts a comment", line: "k = a ; b", value: "a"),
        Case(name: "a tab counts as whitespace", line: "k = a\t# b", value: "a"),
        Case(name: "'#' inside a word is kept", line: "k = a#b", value: "a#b"),
        Case(name: "';' inside a word is kept", line: "k = a;b ; c", value: "a;b"),
        Case(name: "'#' right after '=' is kept", line: "k =#a", value: "#a"),
        Case(name: "a comment as the whole value leaves it empty", line: "k = # none", value: ""),
        Case(name: "'#' inside double quotes is kept", line: #"k = "a # b""#, value: #""a # b""#),
        Case(name: "';' inside single quotes is kept", line: "k = 'a ; b' # c", value: "'a ; b'"),
        Case(name: "quotes inside a value are kept as they are",
             line: #"k = sh -c "echo 'x # y'" # run"#, value: #"sh -c "echo 'x # y'""#),
        Case(name: "a quote opened after '=' protects", line: #"k = --label="a # b" # c"#, value: #"--label="a # b""#),
        Case(name: "an escaped double quote does not close", line: #"k = "a \" # b" # c"#, value: #""a \" # b""#),
        Case(name: "an apostrophe inside a word opens no quote", line: "k = O'Brien # c", value: "O'Brien"),
        Case(name: "an unterminated quote keeps the rest", line: #"k = "a # b"#, value: #""a # b"#),
        Case(name: "'=' inside a value is kept", line: "k = a=b", value: "a=b"),
    ])
    func inlineComments(_ testCase: Case) {
        #expect(value(of: testCase.line) == testCase.value)
    }

    @Test("CRLF line ends and a byte order mark are tolerated")
    func crlfAndBom() {
        let text = "\u{FEFF}[log]\r\nlevel = debug\r\n\r\n# c\r\nformat = json # x\r\n"
        #expect(IniDocument(text: text).entries == [
            .init(line: 1, content: .section("log")),
            .init(line: 2, content: .assignment(key: "level", value: "debug")),
            .init(line: 5, content: .assignment(key: "format", value: "json")),
        ])
    }

    @Test("a byte order mark anywhere but the start is not skipped")
    func bomInTheMiddle() {
        #expect(IniDocument(text: "[log]\n\u{FEFF}level = x").entries.last?.content
            == .malformed("invalid key name '\\u{feff}level' (expected letters, digits, '_', '-' or '.')"))
    }

    @Test("malformed lines say what was expected", arguments: [
        ("foo bar", "expected 'key = value', '[section]' or a comment, got 'foo bar'"),
        ("= 5", "expected 'key = value', '[section]' or a comment, got '= 5'"),
        ("[policy", "expected '[section]', got '[policy'"),
        ("[]", "expected '[section]', got '[]'"),
        ("[a b]", "expected '[section]', got '[a b]'"),
        ("[log] x", "expected '[section]', got '[log] x'"),
        ("scale up = 5", "invalid key name 'scale up' (expected letters, digits, '_', '-' or '.')"),
        ("a\u{1B}[2J = 1", "invalid key name 'a\\u{1b}[2J' (expected letters, digits, '_', '-' or '.')"),
    ])
    func malformed(_ line: String, _ message: String) {
        // A line that starts a section is a broken header: its keys are of no section.
        let content: IniDocument.Content = line.hasPrefix("[") ? .malformedSection(message) : .malformed(message)
        #expect(IniDocument(text: line).entries == [.init(line: 1, content: content)])
    }

    @Test("a section name is trimmed inside its brackets")
    func trimmedSection() {
        #expect(IniDocument(text: "[ policy ]").entries == [.init(line: 1, content: .section("policy"))])
    }

    @Test("a combining character after a quote or newline does not merge lines or quotes")
    func scalarsNotCharacters() {
        let entries = IniDocument(text: "a = \"x\u{301} # y\"\r\n\u{301}").entries
        #expect(entries.first == .init(line: 1, content: .assignment(key: "a", value: "\"x\u{301} # y\"")))
        #expect(entries.count == 2)
    }
}

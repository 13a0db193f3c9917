@testable import AutoscaledBase
import Testing

struct EscapedTextTests {
    @Test("text in quotes shows as one line, with what does not show as itself escaped", arguments: [
        ("abc", "'abc'"), ("a\tb\n", #"'a\tb\n'"#), ("it's", #"'it\'s'"#), ("a\\b", #"'a\\b'"#),
        ("\u{1B}[2J", #"'\u{1b}[2J'"#),
    ])
    func quoted(_ text: String, _ expected: String) {
        #expect(EscapedText.quoted(text) == expected)
    }

    @Test("a mark first is escaped: it would be drawn on the opening quote; a mark after a letter is its accent")
    func markFirst() {
        #expect(EscapedText.quoted("\u{301}x") == #"'\u{301}x'"#)
        #expect(EscapedText.quoted("e\u{301}") == "'e\u{301}'")
        #expect(EscapedText.plain("\u{301}x") == "\u{301}x", "no quote for it to fall on")
    }
}

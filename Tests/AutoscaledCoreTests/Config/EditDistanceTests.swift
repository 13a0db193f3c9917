import Testing
@testable import AutoscaledCore

struct EditDistanceTests {
    @Test("distance counts insertions, deletions, substitutions and swaps of neighbours", arguments: [
        ("", "", 0), ("abc", "", 3), ("", "abc", 3), ("kitten", "sitting", 3),
        ("scale_up_treshold", "scale_up_threshold", 1), ("polcy", "policy", 1), ("abc", "abc", 0),
        ("reqeusts", "requests", 1), ("ab", "ba", 1), ("ca", "abc", 3), ("plociy", "policy", 2),
    ])
    func distance(_ a: String, _ b: String, _ expected: Int) {
        #expect(EditDistance.between(a, b) == expected)
        #expect(EditDistance.between(b, a) == expected)
    }

    @Test("a close name is suggested", arguments: [
        ("scale_up_treshold", "scale_up_threshold"),
        ("polcy", "policy"),
        ("Policy", "policy"),
        ("SOURCE", "source"),
        ("warn", "warning"),
        ("lg", "log"),
        ("min_replica", "min_replicas"),
    ])
    func suggests(_ name: String, _ expected: String) {
        let candidates = ["source", "policy", "state", "log", "warning", "min_replicas", "scale_up_threshold"]
        #expect(EditDistance.suggestion(for: name, among: candidates) == expected)
    }

    @Test("a name far from every candidate gets no suggestion", arguments: ["metrics", "x", "colour", "wa"])
    func noSuggestion(_ name: String) {
        #expect(EditDistance.suggestion(for: name, among: ["source", "policy", "state", "log", "warning"]) == nil)
    }

    @Test("the closest of several candidates wins, ties go to the first")
    func closestWins() {
        #expect(EditDistance.suggestion(for: "formt", among: ["format", "form"]) == "format")
        #expect(EditDistance.suggestion(for: "pth", among: ["pith", "path"]) == "pith")
    }
}

import AutoscaledCore
import AutoscaledTestSupport
import FoundationEssentials
import Glibc
import Testing

@Suite("the policy trace suite: config/traces/suite.json and scripts/make-suite-traces.py", ExternalPeers.needs(.python3))
struct TraceSuiteTests {
    struct SuiteFile: Decodable {
        struct Entry: Decodable {
            var file: String
            var dir: String
            var C: Double
            var D: Int
            var split: String
        }

        var traces: [Entry]
    }

    @Test("the generator writes the same files twice; every suite trace reads as an offered-load trace; the halves and the fresh traces are declared")
    func suite() throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        defer {
            first.remove()
            second.remove()
        }
        let script = "\(repositoryRoot)/scripts/make-suite-traces.py"
        #expect(shell("python3 '\(script)' '\(first.path)/suite' && python3 '\(script)' '\(second.path)/suite'") == 0)
        #expect(shell("diff -r '\(first.path)/suite' '\(second.path)/suite' >/dev/null") == 0)
        let text = try #require(readFile("\(repositoryRoot)/config/traces/suite.json"))
        let suite = try JSONDecoder().decode(SuiteFile.self, from: Data(text.utf8))
        #expect(suite.traces.count >= 25)
        #expect(suite.traces.count(where: { $0.split == "train" }) >= 12)
        #expect(suite.traces.count(where: { $0.split == "test" }) >= 12)
        #expect(suite.traces.allSatisfy { ["train", "test", "fresh"].contains($0.split) })
        #expect(Set(suite.traces.map(\.file)).count == suite.traces.count)
        #expect(listing("\(first.path)/suite").count == suite.traces.count(where: { $0.dir == "suite" }))
        for entry in suite.traces {
            let path = entry.dir == "suite" ? "\(first.path)/suite/\(entry.file)"
                : "\(repositoryRoot)/config/traces/\(entry.dir)/\(entry.file)"
            let bytes = try #require(readFile(path), "\(entry.file) is missing")
            let trace = try TraceParser.parse(Array(bytes.utf8))
            #expect(trace.totalRequests.map { $0 > 0 } == true, "\(entry.file) is not an offered-load trace with requests")
            #expect(entry.C > 0 && entry.D >= 0)
        }
    }
}

@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// The config `tune --write` writes: the original with its `[policy]` section and `poll_interval` replaced.
struct TunedConfigTextTests {
    @Test("the [policy] section and poll_interval are replaced, and the file's own line ends kept",
          arguments: ["\n", "\r\n"])
    func lineEndsKept(lineEnd: String) {
        let original = ["[source]", "path = /x", "poll_interval = 10s", "", "[policy]", "scale_up_threshold = 70", "",
                        "[log]", "level = info", ""].joined(separator: lineEnd)
        let written = TunedConfigText.config(original, policy: .defaults, pollSeconds: 5, note: ["tuned"])
        let expected = ["[source]", "path = /x", "poll_interval = 5s", "", "# tuned"] + TunedConfigText.policyBlock(.defaults)
            + ["", "[log]", "level = info", ""]
        #expect(written == expected.joined(separator: lineEnd))
    }

    @Test("without a [policy] section the block goes at the end, and the file still ends with a line end",
          arguments: ["\n", "\r\n"])
    func policyAppended(lineEnd: String) {
        let expected = ["[source]", "poll_interval = 5s", "path = /x", "", "# tuned"] + TunedConfigText.policyBlock(.defaults) + [""]
        for original in [["[source]", "path = /x", ""], ["[source]", "path = /x"]] {
            let written = TunedConfigText.config(original.joined(separator: lineEnd), policy: .defaults, pollSeconds: 5, note: ["tuned"])
            #expect(written == expected.joined(separator: lineEnd))
        }
    }

    @Test("a [policy] section opened twice: replaced where first opened, its other part removed, and the result loads")
    func policyOpenedTwice() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let original = ["[policy]", "min_replicas = 1", "max_replicas = 10", "[source]", "path = loads.json",
                        "poll_interval = 10s", "[state]", "path = state.json", "", "[policy]", "initial_replicas = 3",
                        "", "[log]", "level = info", ""].joined(separator: "\n")
        dir.write("autoscaled.conf", original)
        guard case let .success(config) = ConfigLoader.load(path: dir.file("autoscaled.conf")) else {
            Issue.record("the original does not load")
            return
        }
        // The poll as it was: the policy's tick follows it.
        let written = TunedConfigText.config(original, policy: config.policy, pollSeconds: 10, note: ["tuned"])
        let expected = ["# tuned"] + TunedConfigText.policyBlock(config.policy)
            + ["[source]", "path = loads.json", "poll_interval = 10s", "[state]", "path = state.json", "", "", "[log]", "level = info", ""]
        #expect(written == expected.joined(separator: "\n"))
        dir.write("tuned.conf", written)
        guard case let .success(tuned) = ConfigLoader.load(path: dir.file("tuned.conf")) else {
            Issue.record("the tuned config does not load")
            return
        }
        #expect(tuned.policy == config.policy)
    }
}

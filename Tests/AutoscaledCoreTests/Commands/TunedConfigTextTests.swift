@testable import AutoscaledCore
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
}

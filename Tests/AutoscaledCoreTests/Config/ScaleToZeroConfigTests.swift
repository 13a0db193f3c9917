@testable import AutoscaledCore
import Testing

/// `scale_to_zero_after`: read, off by default, and refused with the line and the value at fault
/// unless `min_replicas` is 0 and it spans whole polls.
struct ScaleToZeroConfigTests {
    static func errors(_ lines: [String]) -> [String] {
        ConfigParsing.policyErrors(lines)
    }

    @Test("read with min_replicas = 0; unset by default")
    func read() throws {
        let config = try ConfigParsing.parse("[source]\npath = /x\n[policy]\nmin_replicas = 0\nscale_to_zero_after = 5min\n").get()
        #expect(config.policy.scaleToZeroAfter == .seconds(300))
        #expect(config.policy.sampleWindow >= .seconds(300), "every poll of the wait is kept")
        #expect(try ConfigParsing.parse("[source]\npath = /x\n").get().policy.scaleToZeroAfter == nil)
        #expect(Self.errors(["min_replicas = 0", "scale_to_zero_after = 10s"]) == [])
    }

    @Test("refused with the line and the value at fault",
          arguments: [
              (["scale_to_zero_after = 5min"], "autoscaled.conf:4: scale_to_zero_after (5min) needs min_replicas = 0 (it is 1, not set: its default)"),
              (["scale_to_zero_after = 5min", "min_replicas = 2", "initial_replicas = 2"],
               "autoscaled.conf:5: scale_to_zero_after (5min) needs min_replicas = 0 (it is 2)"),
              (["min_replicas = 0", "scale_to_zero_after = 5s"], "autoscaled.conf:5: scale_to_zero_after (5s) must span at least 1 "
                  + "and at most 100000 poll_interval ticks (10s each): one load is kept per tick"),
              (["min_replicas = 0", "scale_to_zero_after = 2h", "[source]", "poll_interval = 50ms"],
               "autoscaled.conf:7: scale_to_zero_after (2h) must span at least 1 and at most 100000 poll_interval ticks "
                  + "(50ms each): one load is kept per tick"),
              (["min_replicas = 0", "scale_to_zero_after = 0s"], "autoscaled.conf:5: scale_to_zero_after: '0s' must be greater than 0"),
              (["min_replicas = 0", "scale_to_zero_after = soon"], "autoscaled.conf:5: scale_to_zero_after: 'soon' is not a duration (expected a duration, e.g. 5min)"),
          ])
    func refused(lines: [String], error: String) {
        #expect(Self.errors(lines) == [error])
    }
}

@testable import AutoscaledCore
import Testing

/// `headroom`, `headroom_target_load`, `headroom_quantile` and `headroom_window`: read, checked, and
/// errors that name the line and the value.
struct HeadroomConfigTests {
    static func errors(_ lines: [String]) -> [String] {
        ConfigParsing.errorLines(["[source]", "path = /x", "[policy]"] + lines)
    }

    @Test("the learned headroom and its settings are read; thresholds is the default")
    func read() throws {
        let config = try ConfigParsing.parse("""
            [source]
            path = /x
            [policy]
            headroom = learned
            headroom_target_load = 70.5
            headroom_quantile = 0.95
            headroom_window = 2h

            """).get()
        #expect(config.policy.headroom == Headroom(mode: .learned, targetLoad: 70.5, quantile: 0.95, window: .seconds(7200)))
        #expect(config.policy.usesLearnedHeadroom)
        #expect(try ConfigParsing.parse("[source]\npath = /x\n").get().policy.headroom.mode == .thresholds)
    }

    @Test("values out of range are refused with the line and the value at fault",
          arguments: [
              (["headroom = guessed"], "autoscaled.conf:4: headroom: 'guessed' is not a valid choice (expected one of learned, thresholds)"),
              (["headroom_target_load = 0"], "autoscaled.conf:4: headroom_target_load (0) must be above 0 "
                  + "(replicas are sized as (load + rise) / headroom_target_load)"),
              (["headroom_quantile = 0"], "autoscaled.conf:4: headroom_quantile (0) must be above 0 and at most 1"),
              (["headroom_quantile = 1.5"], "autoscaled.conf:4: headroom_quantile (1.5) must be above 0 and at most 1"),
              (["headroom = learned", "headroom_window = 2h", "[source]", "poll_interval = 50ms"],
               "autoscaled.conf:7: headroom_window (2h) must span at most 100000 poll_interval ticks (50ms each): one rise is kept per tick"),
              (["headroom = learned", "seasonal_periods = 1h"],
               "autoscaled.conf:5: seasonal_periods needs headroom = thresholds: the learned headroom gives a recurring "
                  + "rise room already (set seasonal_periods = none, or headroom = thresholds)"),
          ])
    func refused(lines: [String], error: String) {
        #expect(Self.errors(lines) == [error])
    }

    @Test("with headroom = thresholds the learned settings bind nothing: a long window on a short poll is accepted")
    func thresholdsIgnoreTheWindowBound() {
        #expect(Self.errors(["headroom_window = 2h", "[source]", "poll_interval = 50ms"]) == [])
    }
}

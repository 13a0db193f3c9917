@testable import AutoscaledCore
import Testing

/// `headroom`, `headroom_target_load`, `headroom_quantile`, `headroom_window` and
/// `headroom_scale_down_margin`, `headroom_scale_up_tolerance`, `headroom_square_root_room`,
/// `headroom_spread`, `headroom_scale_down_margin_unmeasured`: read, checked, and errors that name
/// the line and the value.
struct HeadroomConfigTests {
    static func errors(_ lines: [String]) -> [String] {
        ConfigParsing.policyErrors(lines)
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
            headroom_scale_down_margin = 0.75
            headroom_scale_up_tolerance = 0.25
            headroom_square_root_room = 2.5
            headroom_spread = measured

            """).get()
        #expect(config.policy.headroom == Headroom(mode: .learned, targetLoad: 70.5, quantile: 0.95, window: .seconds(7200),
                                                   scaleDownMargin: 0.75, scaleUpTolerance: 0.25, squareRootRoom: 2.5,
                                                   spread: .measured))
        #expect(config.policy.usesLearnedHeadroom)
        let defaults = try ConfigParsing.parse("[source]\npath = /x\n").get().policy.headroom
        #expect(defaults.mode == .thresholds && defaults.scaleDownMargin == 0 && defaults.scaleUpTolerance == 0
            && defaults.squareRootRoom == 0 && defaults.spread == .assumed)
        #expect(Self.errors(["headroom_square_root_room = 0"]) == [] && Self.errors(["headroom_square_root_room = 10"]) == [])
        #expect(Self.errors(["headroom_scale_up_tolerance = 0"]) == [] && Self.errors(["headroom_scale_up_tolerance = 1"]) == [])
        #expect(Self.errors(["headroom_scale_down_margin = 0"]) == [] && Self.errors(["headroom_scale_down_margin = 10"]) == [])
    }

    @Test("values out of range are refused with the line and the value at fault",
          arguments: [
              (["headroom = guessed"], "autoscaled.conf:4: headroom: 'guessed' is not a valid choice (expected one of learned, thresholds)"),
              (["headroom = learned", "headroom_spread = measure"], "autoscaled.conf:5: headroom_spread: "
                  + "'measure' is not a valid choice (expected one of assumed, measured; did you mean 'measured'?)"),
              (["headroom = learned", "scale_down_stabilization_rule = median"], "autoscaled.conf:5: scale_down_stabilization_rule: "
                  + "'median' is not a valid choice (expected one of highest, mean; did you mean 'mean'?)"),
              (["headroom_target_load = 0"], "autoscaled.conf:4: headroom_target_load (0) must be above 0 "
                  + "(replicas are sized as (load + rise) / headroom_target_load)"),
              (["headroom_quantile = 0"], "autoscaled.conf:4: headroom_quantile (0) must be above 0 and at most 1"),
              (["headroom_quantile = 1.5"], "autoscaled.conf:4: headroom_quantile (1.5) must be above 0 and at most 1"),
              (["headroom = learned", "headroom_scale_down_margin = -0.5"], "autoscaled.conf:5: headroom_scale_down_margin (-0.5) "
                  + "must be at least 0 and at most 10 (replicas of room a scale-down keeps beyond the need)"),
              (["headroom_scale_down_margin = 10.5"], "autoscaled.conf:4: headroom_scale_down_margin (10.5) "
                  + "must be at least 0 and at most 10 (replicas of room a scale-down keeps beyond the need)"),
              (["headroom = learned", "headroom_scale_up_tolerance = -0.1"], "autoscaled.conf:5: headroom_scale_up_tolerance (-0.1) "
                  + "must be at least 0 and at most 1 (the share of the count a need may exceed it by and not be taken)"),
              (["headroom_scale_up_tolerance = 1.5"], "autoscaled.conf:4: headroom_scale_up_tolerance (1.5) "
                  + "must be at least 0 and at most 1 (the share of the count a need may exceed it by and not be taken)"),
              (["headroom = learned", "headroom_square_root_room = -1"], "autoscaled.conf:5: headroom_square_root_room (-1) "
                  + "must be at least 0 and at most 10 (replicas of room per square root of the replicas the load fills)"),
              (["headroom_square_root_room = 10.5"], "autoscaled.conf:4: headroom_square_root_room (10.5) "
                  + "must be at least 0 and at most 10 (replicas of room per square root of the replicas the load fills)"),
              (["headroom_scale_down_margin = one"], "autoscaled.conf:4: headroom_scale_down_margin: 'one' is not a number "
                  + "(expected a finite number, e.g. 0)"),
              (["headroom = learned", "headroom_window = 2h", "[source]", "poll_interval = 50ms"],
               "autoscaled.conf:7: headroom_window (2h) must span at most 100000 poll_interval ticks (50ms each): one rise is kept per tick"),
              (["headroom = learned", "headroom_window = 3min"],
               "autoscaled.conf:5: headroom_window (3min) is too short for headroom = learned: it must span a rise's "
                  + "horizon (replica_startup 1min and a poll_interval of 10s) and the 12 poll_intervals of the rises needed "
                  + "to scale down, at least 3min 10s"),
              (["headroom = learned", "seasonal_periods = 1min, 1h"],
               "autoscaled.conf:5: seasonal_periods 1min is too short for headroom = learned: a period must span a rise's "
                  + "horizon (replica_startup 1min and a poll_interval of 10s), two more poll_intervals and one phase bucket (10s), "
                  + "at least 1min 40s"),
              (["headroom = learned", "seasonal_periods = 5min", "replica_startup = 5min"],
               "autoscaled.conf:6: seasonal_periods 5min is too short for headroom = learned: a period must span a rise's "
                  + "horizon (replica_startup 5min and a poll_interval of 10s), two more poll_intervals and one phase bucket (10s), "
                  + "at least 5min 40s"),
              (["headroom = learned", "[source]", "poll_interval = 365d"],
               "autoscaled.conf:6: headroom_window (1h) is too short for headroom = learned: it must span a rise's "
                  + "horizon (replica_startup 1min and a poll_interval of 365d) and the 12 poll_intervals of the rises needed "
                  + "to scale down, at least 4745d 1min, longer than any duration may be (365d): shorten poll_interval "
                  + "or replica_startup"),
          ])
    func refused(lines: [String], error: String) {
        #expect(Self.errors(lines) == [error])
    }

    @Test("headroom_scale_down_margin_unmeasured: headroom_scale_down_margin's value unless given, only with headroom_spread = measured")
    func unmeasuredMargin() throws {
        func headroom(_ lines: [String]) throws -> Headroom {
            try ConfigParsing.parse((["[source]", "path = /x", "[policy]", "headroom = learned"] + lines + [""])
                .joined(separator: "\n")).get().policy.headroom
        }
        let given = try headroom(["headroom_scale_down_margin = 0.6", "headroom_spread = measured",
                                  "headroom_scale_down_margin_unmeasured = 0.3"])
        #expect(given.scaleDownMargin == 0.6 && given.scaleDownMarginUnmeasured == 0.3)
        #expect(try headroom(["headroom_scale_down_margin = 0.6", "headroom_spread = measured"]).scaleDownMarginUnmeasured == 0.6)
        #expect(try headroom(["headroom_scale_down_margin = 0.6"]).scaleDownMarginUnmeasured == 0.6)
        #expect(Self.errors(["headroom_spread = measured", "headroom_scale_down_margin_unmeasured = 0"]) == []
            && Self.errors(["headroom_spread = measured", "headroom_scale_down_margin_unmeasured = 10"]) == [])
        #expect(Self.errors(["headroom_spread = measured", "headroom_scale_down_margin_unmeasured = 10.5"])
            == ["autoscaled.conf:5: headroom_scale_down_margin_unmeasured (10.5) must be at least 0 and at most 10 "
                + "(replicas of room a scale-down keeps beyond the need)"])
        #expect(Self.errors(["headroom_spread = measured", "headroom_scale_down_margin_unmeasured = -0.1"])
            == ["autoscaled.conf:5: headroom_scale_down_margin_unmeasured (-0.1) must be at least 0 and at most 10 "
                + "(replicas of room a scale-down keeps beyond the need)"])
        // Absent, it takes the margin's value: a margin out of range is said once, as the margin's.
        #expect(Self.errors(["headroom_spread = measured", "headroom_scale_down_margin = 11"])
            == ["autoscaled.conf:5: headroom_scale_down_margin (11) must be at least 0 and at most 10 "
                + "(replicas of room a scale-down keeps beyond the need)"])
        // Where the spread is assumed it is never measured, so the key would keep nothing apart: refused.
        #expect(Self.errors(["headroom_scale_down_margin_unmeasured = 0.3"])
            == ["autoscaled.conf:4: headroom_scale_down_margin_unmeasured is not used with headroom_spread = assumed "
                + "(only with headroom_spread = measured)"])
    }

    @Test("where the spread is measured, the unmeasured margin is kept at a tick without its measure, the margin at one with it")
    func unmeasuredMarginApplies() {
        let measured = Headroom(mode: .learned, targetLoad: 70, quantile: 0.9, window: .seconds(3600), scaleDownMargin: 0.6,
                                squareRootRoom: 3, spread: .measured, scaleDownMarginUnmeasured: 0.3)
        #expect(measured.scaleDownMargin(measuredSpread: nil) == 0.3 && measured.scaleDownMargin(measuredSpread: 0.5) == 0.6)
        var noRoom = measured
        noRoom.squareRootRoom = 0
        var assumed = measured
        assumed.spread = .assumed
        // Without the room, or with the spread assumed, nothing is measured: the margin everywhere.
        #expect(noRoom.scaleDownMargin(measuredSpread: nil) == 0.6 && assumed.scaleDownMargin(measuredSpread: nil) == 0.6)
    }

    @Test("with headroom = learned, seasonal periods that span a rise's horizon, a poll and a bucket are accepted")
    func learnedSeasonalPeriods() throws {
        #expect(Self.errors(["headroom = learned", "seasonal_periods = 1min40s, 5min, 1h"]) == [])
        let config = try ConfigParsing.parse("[source]\npath = /x\n[policy]\nheadroom = learned\nseasonal_periods = 5min, 1h\n").get()
        #expect(config.policy.seasonalPeriods == [.seconds(300), .seconds(3600)])
    }

    @Test("with headroom = thresholds the learned settings bind nothing: a long window on a short poll is accepted")
    func thresholdsIgnoreTheWindowBound() {
        #expect(Self.errors(["headroom_window = 2h", "[source]", "poll_interval = 50ms"]) == [])
        #expect(Self.errors(["headroom_window = 1min"]) == [])
    }

    @Test("the shortest headroom_window that holds a rise's horizon and 12 rises is accepted")
    func shortestWindowAccepted() {
        #expect(Self.errors(["headroom = learned", "headroom_window = 3min 10s"]) == [])
    }
}

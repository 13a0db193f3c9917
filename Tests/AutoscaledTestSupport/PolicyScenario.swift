import AutoscaledBase

#if canImport(AutoscaledCore)
import AutoscaledCore
#endif

/// Random configs that pass validation × random snapshot sequences × random clock advances,
/// through the policy the daemon runs, with the invariants every decision keeps:
/// - the count stays within `[min_replicas, max_replicas]`;
/// - with the band rules (`headroom = thresholds`), a scale-up adds at most
///   `max_scale_up_per_minute` (a burst, or a load seen at 0, excepted) and none comes within
///   `scale_up_cooldown` of the last (the same excepted); a scale-down removes at most the per-minute rates;
/// - with `headroom = learned`, a scale-up goes to the need (or `max_replicas`), a scale-down to no
///   lower than the need, and none comes while the rises are still being learned; with
///   `seasonal_periods` too, a recurring rise given room is one of its periods' and is the rise sized for;
///   `headroom_scale_down_margin` raises only a need below the count, to no more than the count;
/// - without data the count holds (or moves to `fallback_replicas` once the source is down);
/// - the action says what the counts do, and the load remembered is finite.
/// Nothing may trap on the way. Used by a Swift Testing property test and a libFuzzer target.
public enum PolicyScenario {
    /// What one scenario did: whether its config was accepted, how many decisions it checked,
    /// and every broken invariant, in words.
    public struct Outcome: Sendable {
        public var accepted = false
        public var decisions = 0
        /// Decisions sized by the learned headroom, and of those, scale-downs (once the rises were learned).
        public var learned = 0
        public var learnedScaleDowns = 0
        /// Decisions sized by the recurring rise (`seasonal_periods` with the learned headroom).
        public var seasonal = 0
        /// Learned decisions whose need `headroom_scale_down_margin` raised.
        public var margined = 0
        /// Learned decisions that kept the count under a need within `headroom_scale_up_tolerance`.
        public var tolerated = 0
        /// Learned decisions sized above `headroom_target_load` by `headroom_square_root_room`.
        public var rooted = 0
        /// Of those, decisions sized with a spread measured below the assumed one (`headroom_spread = measured`).
        public var spreadMeasured = 0
        /// Of those, decisions whose square-root room held part of the rise (the spread between polls).
        public var riseHeld = 0
        /// Decisions of `scale_to_zero_after` (to 0, or held there).
        public var toZero = 0
        public var violations: [String] = []

        public init() {}
    }

    /// Config text whose `[policy]` values are drawn from the bounds and from ordinary values;
    /// some break a rule on purpose (and must then be refused).
    public static func configText(_ dice: inout some ScenarioDice) -> String {
        let maxCount = PolicyConfig.maxReplicaCount
        let up = dice.pick([LoadSnapshot.maxLoad, 50, 1, 1e-9, Double.leastNonzeroMagnitude, Double(dice.within(1...1000))])
        let target = dice.chance(50) ? up : up * dice.pick([0.5, 1e-6, dice.fraction()])
        let down = dice.pick([target / 2, 0, -LoadSnapshot.maxLoad, -5, target * 0.999])
        let minimum = dice.pick([0, 1, 2, dice.within(0...20), maxCount])
        let maximum = dice.pick([minimum, minimum + 1, maxCount, minimum + dice.within(0...50), dice.within(1...30)])
        let initial = minimum + dice.below(max(1, maximum - minimum + 1))
        var lines = [
            "scale_up_threshold = \(up)", "scale_down_threshold = \(down)", "target_load = \(target)",
            "min_replicas = \(minimum)", "max_replicas = \(maximum)", "initial_replicas = \(initial)",
            "max_scale_up_per_minute = \(step(&dice))", "max_scale_down_per_minute = \(step(&dice))",
            "max_scale_down_percent_per_minute = \(dice.pick(["0", "30", "100", "12.5"]))",
            "scale_up_cooldown = \(duration(&dice))", "scale_down_stabilization = \(duration(&dice))",
            "replica_startup = \(duration(&dice))", "trend_window = \(duration(&dice))",
            "trend_min_span = \(dice.pick(["0", "0", "1us"]))", "smoothing_window = \(duration(&dice))",
            "burst_ratio = \(dice.pick(["0", "1.5", "2", "1e15", "1.0000001"]))",
        ]
        if dice.chance(30) { lines.append("fallback_replicas = \(minimum + dice.below(max(1, maximum - minimum + 1)))") }
        var spreadLine: String?
        var unmeasuredMarginLine: String?
        if dice.chance(40) {
            // The shipped way of sizing, with its settings from the bounds and ordinary values.
            lines += [
                "headroom = learned",
                "headroom_target_load = \(dice.pick([65, 1e-9, LoadSnapshot.maxLoad, target, Double(dice.within(1...200))]))",
                "headroom_quantile = \(dice.pick(["0.9", "1", "1e-9", "0.5", "\(dice.fraction())"]))",
                "headroom_window = \(dice.pick(["1h", "10s", "1d", "11d", "\(dice.within(1...7200))s"]))",
            ]
            if dice.chance(50) {
                lines.append("headroom_scale_down_margin = \(dice.pick(["0.6", "0", "1", "10", "\(dice.fraction())"]))")
            }
            if dice.chance(50) {
                lines.append("headroom_scale_up_tolerance = \(dice.pick(["0.2", "0", "1", "\(dice.fraction())"]))")
            }
            // Drawn from a copy of the dice some draws ahead, so the scenarios drawn before this key
            // existed stay as they were.
            var own = dice
            for _ in 0..<7 { _ = own.roll() }
            if own.chance(50) {
                lines.append("headroom_square_root_room = \(own.pick(["3", "0", "10", "1e-9", "\(own.fraction() * 10)"]))")
            }
            // Added after the out-of-bounds draw below, which picks a line by the count of lines.
            if own.chance(50) { spreadLine = "headroom_spread = \(own.pick(["measured", "measured", "assumed"]))" }
            // From a third copy, for the same reason; the key is only taken with the spread measured.
            var third = own
            for _ in 0..<5 { _ = third.roll() }
            if spreadLine == "headroom_spread = measured", third.chance(60) {
                unmeasuredMarginLine = "headroom_scale_down_margin_unmeasured = "
                    + third.pick(["0.3", "0", "1", "10", "\(third.fraction())"])
            }
        }
        if dice.chance(10) {
            // A value out of bounds: the config must be refused.
            let index = dice.below(lines.count)
            let key = lines[index].prefix { $0 != " " }
            lines[index] = "\(key) = \(dice.pick(["1e16", "-1e16", "0", "2000000", "9223372036854775807", "366d"]))"
        }
        if let spreadLine { lines.append(spreadLine) }
        if let unmeasuredMarginLine { lines.append(unmeasuredMarginLine) }
        // The poll interval is the policy's tick: a learned headroom_window spans at most 100000 of them.
        let poll = dice.pick(["10s", "10s", "1s", "250ms"])
        if lines.contains("headroom = learned"), dice.chance(40) { lines += seasonLines(&dice, lines: lines, poll: poll) }
        if lines.contains("min_replicas = 0"), dice.chance(40) {
            lines.append("scale_to_zero_after = \(dice.pick(["10s", "1min", poll, "\(dice.within(1...300))s"]))")
        }
        return "[source]\npath = /run/loads.json\npoll_interval = \(poll)\n\n[policy]\n" + lines.joined(separator: "\n") + "\n"
    }

    /// `seasonal_periods` (and sometimes `seasonal_confirmations`) a learned config accepts: each
    /// period spans a rise's horizon (`replica_startup` and a poll), another poll and a phase
    /// bucket, the shortest such one among them; none when `replica_startup` leaves no period
    /// within the bounds.
    private static func seasonLines(_ dice: inout some ScenarioDice, lines: [String], poll: String) -> [String] {
        let value = { (key: String) -> Duration? in
            lines.first { $0.hasPrefix(key + " = ") }.flatMap { try? DurationText.parse(String($0.dropFirst(key.count + 3))) }
        }
        guard let startup = value("replica_startup"), let tick = try? DurationText.parse(poll) else { return [] }
        let milliseconds = { (duration: Duration) in
            duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        }
        let ahead = milliseconds(Headroom.horizon(replicaStartup: startup, tick: tick))
        let tickMilliseconds = milliseconds(tick)
        let bounds = PolicyConfig.seasonalPeriodRange
        let lowest = milliseconds(bounds.lowerBound)
        // The shortest period read (with a 10 s bucket, as all under 20 minutes have), then longer ones.
        let shortest = SeasonalProfile.learnedPeriodShortfall(length: lowest, ahead: ahead, tick: tickMilliseconds) ?? lowest
        let candidates = [shortest, shortest, 3_600_000, 86_400_000, 604_800_000,
                          shortest + Int64(dice.within(0...3600)) * 1000]
        let periods = (0..<dice.within(1...PolicyConfig.maxSeasonalPeriods)).map { _ in dice.pick(candidates) }
        let valid = Set(periods).sorted().filter { length in
            bounds.contains(.milliseconds(length))
                && SeasonalProfile.learnedPeriodShortfall(length: length, ahead: ahead, tick: tickMilliseconds) == nil
        }
        guard !valid.isEmpty else { return [] }
        var season = ["seasonal_periods = " + valid.map { "\($0)ms" }.joined(separator: ", ")]
        if dice.chance(50) { season.append("seasonal_confirmations = \(dice.within(1...PolicyConfig.maxSeasonalConfirmations))") }
        return season
    }

    private static func step(_ dice: inout some ScenarioDice) -> Int {
        dice.pick([1, 2, 4, PolicyConfig.maxReplicaCount, dice.within(1...10)])
    }

    private static func duration(_ dice: inout some ScenarioDice) -> String {
        dice.pick(["0", "1us", "250ms", "1s", "10s", "1min", "5min", "365d", "\(dice.within(0...900))s"])
    }

    /// The accepted config of `text`, or `nil`; a config that breaks a bound it was accepted
    /// with is a violation.
    public static func acceptedPolicy(_ text: String, into outcome: inout Outcome) -> PolicyConfig? {
        guard case let .success(config) = ConfigParser.parse(text, file: "scenario.conf", directory: "/") else { return nil }
        outcome.accepted = true
        let policy = config.policy
        let numbers = [policy.scaleUpThreshold, policy.scaleDownThreshold, policy.targetLoad, policy.burstRatio]
        let counts = [policy.minReplicas, policy.maxReplicas, policy.initialReplicas, policy.maxScaleUpPerMinute,
                      policy.maxScaleDownPerMinute, policy.fallbackReplicas ?? 0]
        if !numbers.allSatisfy({ abs($0) <= LoadSnapshot.maxLoad }) || policy.targetLoad <= 0
            || !counts.allSatisfy({ (0...PolicyConfig.maxReplicaCount).contains($0) }) {
            outcome.violations.append("accepted out of bounds:\n\(text)")
        }
        return policy
    }

    /// What the `policy` fuzz target does with one input, and the test replaying its corpus: a walk
    /// of 48 steps, then a ``ReplayScenario``, rolled from the input's bytes; every broken invariant.
    public static func violations<Bytes: RandomAccessCollection>(rollingFrom bytes: Bytes) -> [String]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var dice = ByteDice(bytes)
        let walk = run(&dice, steps: 48)
        return walk.violations + ReplayScenario.run(&dice).violations
    }

    /// Draws a config and, when it is accepted, `steps` evaluations of it.
    public static func run(_ dice: inout some ScenarioDice, steps: Int) -> Outcome {
        var outcome = Outcome()
        let text = configText(&dice)
        guard let config = acceptedPolicy(text, into: &outcome) else { return outcome }
        let policy = ThresholdPolicy(config: config)
        // Usually the initial count; sometimes one a reload left outside the range.
        let start = dice.chance(85) ? config.initialReplicas
            : dice.pick([0, config.maxReplicas + 1, 2 * PolicyConfig.maxReplicaCount, Int.max])
        var memory = PolicyMemory(replicas: start, observingSince: .origin)
        var now = MonotonicInstant.origin
        // Mostly one tick at a time in most learned walks, so that rises are learned and used.
        let steady = config.usesLearnedHeadroom && dice.chance(70)
        // In most steady walks with seasonal_periods, the inputs recur with the shortest period,
        // so that a recurring rise is confirmed and sizes some decisions.
        let cycle = steady && !config.seasonalPeriods.isEmpty && dice.chance(70)
            ? Int(config.seasonalPeriods.durations.min()! / config.tick) : nil
        // In some walks that measure the spread, a large load varying a little from tick to tick,
        // one tick at a time, so that a spread below the assumed one is measured. Drawn from a copy
        // of the dice, and the dice drawn as in any other walk, so the other walks stay as they were.
        var quietDice = dice
        for _ in 0..<5 { _ = quietDice.roll() }
        let quiet = cycle == nil && config.headroom.measuresSpread && quietDice.chance(80)
        var inputs: [PolicyInput] = []
        for step in 0..<steps {
            let advance: Duration = steady && dice.chance(90) ? config.tick
                : dice.pick([.zero, .microseconds(1), .milliseconds(1), .seconds(1), .seconds(10),
                             .seconds(dice.within(0...600)), .seconds(365 * 86_400)])
            now = now + (quiet ? config.tick : advance)
            var input: PolicyInput
            if let cycle, step >= cycle {
                input = inputs[step - cycle]
            } else if config.scaleToZeroAfter != nil, dice.chance(40) {
                // Runs of no load, so that the wait fills and the count goes to 0 and back.
                input = .loads(try! LoadSnapshot(servers: [ServerLoad(name: "queue", load: 0)]))
            } else {
                input = Self.input(&dice)
            }
            if quiet {
                input = .loads(try! LoadSnapshot(servers: [ServerLoad(name: "steady", load: 10_000 + Double(quietDice.within(0...100)))]))
            }
            inputs.append(input)
            let decision = policy.decide(input, memory: memory, now: now)
            let broken = violations(decision, input: input, memory: memory, now: now, config: config)
            if !broken.isEmpty {
                outcome.violations.append("step \(step) at \(now), from \(memory.replicas), \(input): "
                    + broken.joined(separator: "; ") + " (\(decision.reason))\n\(text)")
            }
            memory = memory.recording(decision, at: now, policy: config)
            outcome.decisions += 1
            if case .noLoad = decision.reason.trigger { outcome.toZero += 1 }
            if case let .learnedNeed(sizing) = decision.reason.trigger {
                outcome.learned += 1
                if decision.action == .scaleDown { outcome.learnedScaleDowns += 1 }
                if sizing.season != nil { outcome.seasonal += 1 }
                if sizing.beforeMargin != nil { outcome.margined += 1 }
                if sizing.beforeTolerance != nil { outcome.tolerated += 1 }
                if sizing.raisedTarget != nil { outcome.rooted += 1 }
                if sizing.raisedTarget?.measuredSpread != nil { outcome.spreadMeasured += 1 }
                if sizing.raisedTarget?.riseInRoom != nil { outcome.riseHeld += 1 }
            }
        }
        return outcome
    }

    private static func input(_ dice: inout some ScenarioDice) -> PolicyInput {
        switch dice.below(10) {
        case 0: return .unavailable("no data")
        case 1: return .sourceDown("down")
        default:
            let servers = (0..<dice.within(1...8)).map { ServerLoad(name: "s\($0)", load: dice.load()) }
            guard let snapshot = try? LoadSnapshot(servers: servers) else { return .unavailable("rejected") }
            return .loads(snapshot)
        }
    }

    /// The invariants `decision` breaks, taken at `now` from `memory` on `input`.
    static func violations(
        _ decision: ScalingDecision, input: PolicyInput, memory: PolicyMemory, now: MonotonicInstant, config: PolicyConfig
    ) -> [String] {
        var broken = DecisionChecks.violations(decision, config: config)
        let from = decision.from
        guard (config.minReplicas...config.maxReplicas).contains(from) else { return broken }
        switch input {
        case .unavailable:
            if decision.action != .hold { broken.append("no data but \(decision.action.rawValue)") }
        case .sourceDown:
            if decision.to != (config.fallbackReplicas ?? from) { broken.append("source down but to \(decision.to)") }
        case .loads:
            if !config.usesLearnedHeadroom, decision.action == .scaleUp, !decision.reason.isBurst, let last = memory.lastScaleUp,
               now - last < config.scaleUpCooldown {
                broken.append("scale-up within scale_up_cooldown")
            }
        }
        return broken
    }
}

/// The checks that hold for any decision on loads, whatever the input: used on the policy's
/// own walk and on the simulator's decisions.
public enum DecisionChecks {
    public static func violations(_ decision: ScalingDecision, config: PolicyConfig) -> [String] {
        var broken: [String] = []
        let (from, to) = (decision.from, decision.to)
        if !(config.minReplicas...config.maxReplicas).contains(to) { broken.append("to \(to) outside [min, max]") }
        let expected: ScalingAction = to > from ? .scaleUp : to < from ? .scaleDown : .hold
        if decision.action != expected { broken.append("action \(decision.action.rawValue) from \(from) to \(to)") }
        if let total = decision.totalLoad, !total.isFinite { broken.append("total load \(total) remembered") }
        guard (config.minReplicas...config.maxReplicas).contains(from) else { return broken }
        let limited: Bool
        switch decision.reason.trigger {
        case .burst, .fallback, .atFallback: limited = false
        case .loadAtZero:
            // Back from 0 at once, past the rates, only from 0 and on a load.
            limited = false
            if from != 0 || to < 1 || !((decision.totalLoad ?? 0) > 0) { broken.append("back from 0 without a load at 0") }
        case let .noLoad(within):
            // To 0 at once, past the rates, only on no load, only with the key and min_replicas 0.
            limited = false
            if to != 0 || decision.totalLoad != 0 || config.scaleToZeroAfter != within || config.minReplicas != 0 {
                broken.append("no load within \(within) but to \(to) at total \(decision.totalLoad ?? -1)")
            }
        case let .learnedNeed(sizing):
            // Up to the need at once (or max_replicas), down to no lower than it; never down while learning.
            limited = false
            if decision.action == .scaleUp, to != min(sizing.need, config.maxReplicas) {
                broken.append("learned scale-up to \(to), not to the need \(sizing.need) within max_replicas")
            }
            if decision.action == .scaleDown, to < sizing.need {
                broken.append("learned scale-down to \(to), below the need \(sizing.need)")
            }
            if decision.action == .scaleDown, sizing.quantile == nil {
                broken.append("learned scale-down while the rises are still being learned")
            }
            // The margin only raises a need below the count, to no more than the count.
            let margin = sizing.marginIsUnmeasured ? config.headroom.scaleDownMarginUnmeasured : config.headroom.scaleDownMargin
            if let kept = sizing.beforeMargin, !(margin > 0 && kept.setting == margin
                && kept.need < sizing.need && sizing.need <= from) {
                broken.append("need \(kept.need) raised to \(sizing.need) by a margin \(kept.setting) from \(from)")
            }
            // The square-root room only raises the target, to at most 90 a replica (or the target) for
            // the load less the part of the rise it holds.
            let target = sizing.raisedTarget?.target ?? sizing.targetLoad
            let highest = max(Headroom.squareRootRoomHighestTarget, sizing.targetLoad)
            if let raised = sizing.raisedTarget, !(config.headroom.squareRootRoom > 0 && raised.setting == config.headroom.squareRootRoom
                && raised.target > sizing.targetLoad
                && (sizing.total + sizing.rise) / raised.target >= (sizing.total + sizing.rise - (raised.riseInRoom ?? 0)) / highest * (1 - 1e-12)) {
                broken.append("target \(sizing.targetLoad) raised to \(raised.target) by a square-root room \(raised.setting)")
            }
            // Where it acts below the cap, the load is sized at r + β√r replicas (r = load ÷ 100);
            // where it does not act (under a target below the cap), that many replicas are no fewer
            // than the target sizes it at. Exactly only where r and s r are normal Doubles: a
            // subnormal one (below 2.2e-308) keeps a few bits, and is rounded by up to half.
            let load = sizing.total + sizing.rise, beta = config.headroom.squareRootRoom
            if beta > 0, load / 100 > 0 {
                let rooted = load / 100 + beta * (load / 100).squareRoot()
                // With a spread measured below the assumed one (s), at r + β√(s r).
                let spread = sizing.raisedTarget?.measuredSpread ?? 1
                let exact = (load / 100).isNormal && (spread * load / 100).isNormal
                let measuredRooted = load / 100 + beta * (spread * load / 100).squareRoot()
                if exact, let raised = sizing.raisedTarget, raised.riseInRoom == nil, raised.target < Headroom.squareRootRoomHighestTarget,
                   abs(load / raised.target - measuredRooted) > 1e-9 * measuredRooted {
                    broken.append("load \(load) sized at \(load / raised.target) replicas by a square-root room \(beta) "
                        + "and a spread \(spread), not \(measuredRooted)")
                }
                if let measured = sizing.raisedTarget?.measuredSpread, !(config.headroom.measuresSpread && measured > 0 && measured < 1) {
                    broken.append("a spread \(measured) measured under headroom_spread \(config.headroom.spread.rawValue)")
                }
                // Where the room holds part of the rise (a measured spread only), the load less that
                // part is sized at r + β√(s r) replicas (at most 90 a replica): fewer replicas than the
                // whole load at the raised target.
                if let raised = sizing.raisedTarget, let held = raised.riseInRoom {
                    let rest = load - held
                    let expected = max(rest / 100 + beta * (spread * rest / 100).squareRoot(), rest / highest)
                    let whole = load / config.headroom.target(for: load, measuredSpread: spread)
                    if !(config.headroom.measuresSpread && held > 0 && held <= sizing.rise
                         && (abs(load / raised.target - expected) <= 1e-9 * expected || !((rest / 100).isNormal && (spread * rest / 100).isNormal))
                         && load / raised.target < whole) {
                        broken.append("load \(load) sized at \(load / raised.target) replicas with \(held) of the rise held by the "
                            + "square-root room \(beta) and a spread \(spread), not \(expected) (the whole load: \(whole))")
                    }
                }
                if exact, sizing.raisedTarget == nil, sizing.targetLoad < Headroom.squareRootRoomHighestTarget,
                   rooted < load / sizing.targetLoad * (1 - 1e-12) {
                    broken.append("load \(load) sized at \(load / sizing.targetLoad) replicas, more than the \(rooted) "
                        + "a square-root room \(beta) gives")
                }
            }
            // The tolerance only keeps a count above 0 under a need above it, within the config's share.
            if let kept = sizing.beforeTolerance {
                let bound = Double(from) * (1 + config.headroom.scaleUpTolerance)
                if !(config.headroom.scaleUpTolerance > 0 && kept.setting == config.headroom.scaleUpTolerance && from > 0
                    && kept.need > from && sizing.need == from && to == from
                    && (sizing.total + sizing.rise) / target <= bound * (1 + 1e-12)) {
                    broken.append("need \(kept.need) kept at \(sizing.need) by a tolerance \(kept.setting) from \(from) to \(to)")
                }
            }
            // The recurring rise is one of the config's periods', and the rise given room.
            if sizing.beyondSeason == config.seasonalPeriods.isEmpty {
                broken.append("beyond the recurring rises said \(sizing.beyondSeason) with \(config.seasonalPeriods.count) seasonal_periods")
            }
            if let season = sizing.season, !(config.seasonalPeriods.durations.contains(season.period)
                && season.confirmations == config.seasonalConfirmations && season.load == sizing.rise && season.load > 0) {
                broken.append("recurring rise \(season) not of the config's periods, or not the rise \(sizing.rise)")
            }
        default: limited = true
        }
        if limited, decision.action == .scaleUp, to - from > config.maxScaleUpPerMinute {
            broken.append("+\(to - from) beyond max_scale_up_per_minute")
        }
        // The percentage is of the count a minute ago, which was within [min, max].
        let byPercent = Int((config.maxScaleDownPercentPerMinute / 100 * Double(config.maxReplicas)).rounded(.up))
        if limited, decision.action == .scaleDown, from - to > max(config.maxScaleDownPerMinute, byPercent) {
            broken.append("-\(from - to) beyond max_scale_down_per_minute and max_scale_down_percent_per_minute")
        }
        if case .noUsableData = decision.reason.trigger, decision.action != .hold {
            broken.append("no data but \(decision.action.rawValue)")
        }
        if case .sourceDownWithoutFallback = decision.reason.trigger, decision.action != .hold {
            broken.append("no data but \(decision.action.rawValue)")
        }
        return broken
    }
}

extension DecisionReason {
    /// `true` for a burst, or a load seen at 0 replicas: each passes the cooldown and the rate limit.
    var isBurst: Bool {
        switch trigger {
        case .burst, .loadAtZero: true
        default: false
        }
    }
}

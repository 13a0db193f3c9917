import AutoscaledBase

/// The summary `autoscaled simulate` prints after a replay: what was replayed, then the figures.
///
/// ```
/// trace:   azure_llm_conv_2023.csv: offered load, 3503 bins of 1s from t=0 (3503s), 19366 requests
/// model:   capacity 1 request/s per replica at load 100, startup delay 2min, poll_interval 5s
/// policy:  scale_up_threshold 50, scale_down_threshold 35, target_load 50, min_replicas 1, …
///
/// replica-seconds         34436
/// mean replicas           9.83
/// seconds overloaded      123 of 3503 (3.51 %)
/// requests over capacity  381.5 of 19366 (1.97 %)
/// scale events            12 (8 up, 4 down) in 700 evaluations
/// final replicas          7
/// ```
public enum SimulationReport {
    public static func text(_ summary: SimulationSummary, trace: Trace, traceName: String, setup: SimulationSetup) -> String {
        var text = "trace:   \(TextEscaping.escaped(traceName)): \(describe(trace))\n"
        switch trace.series {
        case .offeredLoad:
            text += "model:   capacity \(number(setup.capacity)) request\(setup.capacity == 1 ? "" : "s")/s per replica "
                + "at load 100, startup delay \(DurationText.format(.seconds(setup.startupDelaySeconds)))"
                + (setup.scaler == .policy ? ", poll_interval \(DurationText.format(.seconds(setup.pollSeconds)))\n" : "\n")
        case .serverLoads:
            text += "model:   recorded loads replayed as they were (decisions do not change them), "
                + "poll_interval \(DurationText.format(.seconds(setup.pollSeconds)))\n"
        }
        text += policyLines(setup) + "\n"
        text += row("replica-seconds", "\(summary.replicaSeconds)")
        text += row("mean replicas", DecimalText.format(summary.meanReplicas, .fixed(2)))
        text += row("seconds overloaded", "\(summary.overloadedSeconds) of \(summary.seconds) "
            + "(\(percent(summary.overloadedSeconds, of: summary.seconds)) %)")
        if let requests = summary.requests, let share = summary.overCapacityPercent {
            text += row("requests over capacity", "\(DecimalText.format(summary.requestsOverCapacity, .fixed(1))) "
                + "of \(DecimalText.format(requests, .atMost(1))) "
                + "(\(DecimalText.format(share, .fixed(2))) %)")
        } else {
            text += row("requests over capacity", "n/a (a per-server trace has no request counts)")
        }
        text += row("scale events", "\(summary.scaleEvents) (\(summary.scaleUps) up, \(summary.scaleDowns) down) "
            + "in \(summary.evaluations) evaluation\(summary.evaluations == 1 ? "" : "s")")
        text += row("final replicas", "\(summary.finalReplicas)")
        return text
    }

    /// `policy of the config` or `hpa model at target 0.7`.
    static func scalerName(_ setup: SimulationSetup) -> String {
        switch setup.scaler {
        case .policy: "policy of the config"
        case let .reference(model): "\(model.name) model at target \(number(model.target))"
        }
    }

    /// The `policy:` lines: the config's keys that decide (the learned headroom's, or the band
    /// rules'), or the reference model replayed.
    static func policyLines(_ setup: SimulationSetup) -> String {
        let policy = setup.policy
        if case let .reference(model) = setup.scaler {
            return "policy:  \(model.name) model at target \(number(model.target)) (see docs/history-and-tuning.md), "
                + "min_replicas \(policy.minReplicas), max_replicas \(policy.maxReplicas), initial_replicas \(policy.initialReplicas)\n"
        }
        if policy.usesLearnedHeadroom {
            // The band rules' keys decide nothing here: only the keys that do are named.
            return "policy:  headroom learned, headroom_target_load \(number(policy.headroom.targetLoad)), "
                + (policy.headroom.squareRootRoom > 0 ? "headroom_square_root_room \(number(policy.headroom.squareRootRoom)), "
                    + "headroom_spread \(policy.headroom.spread.rawValue), " : "")
                + "headroom_quantile \(number(policy.headroom.quantile)), headroom_window \(DurationText.format(policy.headroom.window)),\n"
                + "         headroom_scale_down_margin \(number(policy.headroom.scaleDownMargin)), "
                + (policy.headroom.measuresSpread
                    ? "headroom_scale_down_margin_unmeasured \(number(policy.headroom.scaleDownMarginUnmeasured)), " : "")
                + "headroom_scale_up_tolerance \(number(policy.headroom.scaleUpTolerance)), "
                + "scale_down_stabilization \(DurationText.format(policy.scaleDownStabilization)), "
                + "scale_down_stabilization_rule \(policy.scaleDownStabilizationRule.rawValue),\n"
                + "         replica_startup \(DurationText.format(policy.replicaStartup)), min_replicas \(policy.minReplicas), "
                + "max_replicas \(policy.maxReplicas), initial_replicas \(policy.initialReplicas)\n"
                + (policy.seasonalPeriods.isEmpty ? "" : "         seasonal_periods \(seasonalPeriodsText(policy)), "
                    + "seasonal_confirmations \(policy.seasonalConfirmations)\n")
                + scaleToZeroLine(policy)
        }
        return "policy:  scale_up_threshold \(number(policy.scaleUpThreshold)), "
            + "scale_down_threshold \(number(policy.scaleDownThreshold)), target_load \(number(policy.targetLoad)), "
            + "min_replicas \(policy.minReplicas), max_replicas \(policy.maxReplicas), initial_replicas \(policy.initialReplicas),\n"
            + "         max_scale_up_per_minute \(policy.maxScaleUpPerMinute), "
            + "max_scale_down_per_minute \(policy.maxScaleDownPerMinute), "
            + "max_scale_down_percent_per_minute \(number(policy.maxScaleDownPercentPerMinute)),\n"
            + "         scale_up_cooldown \(DurationText.format(policy.scaleUpCooldown)), "
            + "scale_down_stabilization \(DurationText.format(policy.scaleDownStabilization)), "
            + "scale_down_stabilization_rule \(policy.scaleDownStabilizationRule.rawValue),\n"
            + "         replica_startup \(DurationText.format(policy.replicaStartup)), "
            + "trend_window \(DurationText.format(policy.trendWindow)),\n"
            + "         trend_min_span \(DurationText.format(policy.trendMinSpan)), "
            + "smoothing_window \(DurationText.format(policy.smoothingWindow)), burst_ratio \(number(policy.burstRatio))\n"
            + (policy.seasonalPeriods.isEmpty ? "" : "         seasonal_periods \(seasonalPeriodsText(policy)), "
                + "seasonal_confirmations \(policy.seasonalConfirmations), seasonal_min_rise \(number(policy.seasonalMinRise))\n")
            + scaleToZeroLine(policy)
    }

    /// `scale_to_zero_after 5min (while no replica serves, an activator reports the requests)`, when set.
    private static func scaleToZeroLine(_ policy: PolicyConfig) -> String {
        guard let after = policy.scaleToZeroAfter else { return "" }
        return "         scale_to_zero_after \(DurationText.format(after)) (while no replica serves, an activator reports the requests)\n"
    }

    /// `5min, 1h`: the periods as the config writes them.
    private static func seasonalPeriodsText(_ policy: PolicyConfig) -> String {
        TypedValue.durations(policy.seasonalPeriods.durations).text
    }

    /// `offered load, 3503 bins of 1s from t=0 (3503s), 19366 requests`
    static func describe(_ trace: Trace) -> String {
        let bins = "\(trace.binCount) bin\(trace.binCount == 1 ? "" : "s") of \(DurationText.format(.seconds(trace.binSeconds))) "
            + "from t=\(trace.start) (\(DurationText.format(.seconds(trace.spanSeconds))))"
        switch trace.series {
        case .offeredLoad:
            let requests = trace.totalRequests ?? 0
            return "offered load, \(bins), \(DecimalText.format(requests, .atMost(1))) request\(requests == 1 ? "" : "s")"
        case let .serverLoads(names, _):
            return "per-server loads of \(names.count) server\(names.count == 1 ? "" : "s"), \(bins)"
        }
    }

    private static func row(_ label: String, _ value: String) -> String {
        label + String(repeating: " ", count: max(1, 24 - label.count)) + value + "\n"
    }

    private static func percent(_ part: Int, of whole: Int) -> String {
        DecimalText.format(whole > 0 ? 100 * Double(part) / Double(whole) : 0, .fixed(2))
    }

    private static func number(_ value: Double) -> String {
        DecimalText.format(value)
    }
}

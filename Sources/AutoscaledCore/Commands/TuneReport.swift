import AutoscaledBase

/// What `tune` found, replayed on both parts of the trace, and the text it prints.
///
/// ```
/// trace:   azure_llm_conv_2023.csv: offered load, 3503 bins of 1s from t=0 (58min 23s), 19366 requests
/// model:   capacity 1 request/s per replica at load 100, startup delay 2min
/// goal:    requests over capacity at most 1 % on the tuning part (t=0 to 2803); held out: t=2803 to 3503
/// search:  1000 settings tried, seed 1
///
///                                   tuning part             held out
///                                   replica-s    over %     replica-s    over %
/// best setting (poll_interval 5s)   …
/// this config (poll_interval 10s)   …
/// hpa model at target 0.7           …
/// kpa model at target 0.7           …
/// ```
/// then the winner as a `[policy]` block.
struct TuneReport {
    /// One row: a setting's figures on the tuning part and on the held-out part.
    struct Row {
        var label: String
        var tuning: TuneScore
        var heldOut: TuneScore
    }

    let trace: Trace
    let traceName: String
    let setup: SimulationSetup
    let options: TuneOptions
    let tuning: Trace
    let heldOut: Trace
    let result: TuneSearch.Result
    /// The winner as printed and written: the replays' `--initial`, `--min` and `--max` left out
    /// (see ``TunedConfigText/kept(_:from:)``).
    let written: PolicyConfig
    /// The winner, the config's own setting, and the HPA and KPA models at their default target.
    let rows: [Row]
    /// The config's longest window, when the tuning part is shorter: every setting is then judged
    /// before its memory has filled.
    let shortTuningPart: (key: String, window: Duration)?

    init(trace: Trace, traceName: String, setup: SimulationSetup, options: TuneOptions, config: PolicyConfig,
         tuning: Trace, heldOut: Trace, result: TuneSearch.Result) {
        written = TunedConfigText.kept(result.best.policy, from: config)
        self.trace = trace
        self.traceName = traceName
        self.setup = setup
        self.options = options
        self.tuning = tuning
        self.heldOut = heldOut
        self.result = result
        let memory = Self.longestWindow(of: config)
        shortTuningPart = Duration.seconds(tuning.spanSeconds) < memory.window ? memory : nil
        func score(_ trace: Trace, _ setup: SimulationSetup) -> TuneScore {
            TuneScore(Simulation.replay(trace, setup: setup))
        }
        var best = setup
        best.policy = result.best.policy
        best.pollSeconds = result.best.pollSeconds
        var rows = [
            Row(label: "best setting (poll_interval \(DurationText.format(.seconds(best.pollSeconds))))",
                tuning: result.best.score, heldOut: score(heldOut, best)),
            Row(label: "this config (poll_interval \(DurationText.format(.seconds(setup.pollSeconds))))",
                tuning: result.tried[0].score, heldOut: score(heldOut, setup)),
        ]
        for model in [ReferenceAutoscaler.hpa(target: ReferenceAutoscaler.defaultTarget), .kpa(target: ReferenceAutoscaler.defaultTarget)] {
            var reference = setup
            reference.scaler = .reference(model)
            var label = "\(model.name) model at target \(DecimalText.format(model.target))"
            // Kubernetes' HPA keeps at least 1 replica (at 0 it stops scaling): compared at 1.
            if case .hpa = model, reference.policy.minReplicas == 0 {
                reference.policy.minReplicas = 1
                reference.policy.initialReplicas = max(1, reference.policy.initialReplicas)
                label += ", min 1"
            }
            rows.append(Row(label: label, tuning: score(tuning, reference), heldOut: score(heldOut, reference)))
        }
        self.rows = rows
    }

    /// The comment lines at the head of the written `[policy]` section.
    var writtenNote: [String] {
        let goal = DecimalText.format(options.maxOverPercent, .atMost(2))
        return ["Written by 'autoscaled tune' on \(traceName) (capacity \(DecimalText.format(setup.capacity)), startup delay "
            + "\(DurationText.format(.seconds(setup.startupDelaySeconds))), seed \(options.seed)): "
            + (result.meetsGoal ? "the cheapest setting tried with at most \(goal) % of requests over capacity."
                : "no setting tried met \(goal) % of requests over capacity; this one had the best service.")]
    }

    func text() -> String {
        let goal = DecimalText.format(options.maxOverPercent, .atMost(2))
        let splitAt = heldOut.start
        var text = "trace:   \(TextEscaping.escaped(traceName)): \(SimulationReport.describe(trace))\n"
        text += "model:   capacity \(DecimalText.format(setup.capacity)) request\(setup.capacity == 1 ? "" : "s")/s per replica "
            + "at load 100, startup delay \(DurationText.format(.seconds(setup.startupDelaySeconds)))\n"
        text += "goal:    requests over capacity at most \(goal) % on the tuning part (t=\(trace.start) to \(splitAt)); "
            + "held out: t=\(splitAt) to \(trace.start + trace.spanSeconds)\n"
        text += "search:  \(result.tried.count) setting\(result.tried.count == 1 ? "" : "s") tried, seed \(options.seed)"
        if result.stoppedEarly, let limit = options.timeLimit {
            text += " (stopped at --time-limit \(DurationText.format(limit)), \(options.settings) asked for)"
        }
        text += "\n"
        if let short = shortTuningPart {
            text += "note:    the tuning part spans \(DurationText.format(.seconds(tuning.spanSeconds))), less than the config's "
                + "\(short.key) \(DurationText.format(short.window)): each setting is judged before its memory has filled, "
                + "and the winner may not hold on longer traffic\n"
        }
        text += "\n"
        text += column("", 36) + column("tuning part", 24) + "held out\n"
        text += column("", 36) + column("replica-s", 13) + column("over %", 11) + column("replica-s", 13) + "over %\n"
        for row in rows {
            text += column(row.label, 36) + column("\(row.tuning.replicaSeconds)", 13)
                + column(DecimalText.format(row.tuning.overPercent, .fixed(2)), 11)
                + column("\(row.heldOut.replicaSeconds)", 13) + DecimalText.format(row.heldOut.overPercent, .fixed(2)) + "\n"
        }
        text += "\n"
        let (own, best) = (result.tried[0].score.replicaSeconds, result.best.score.replicaSeconds)
        let cost = own > 0 ? "\(DecimalText.format(Double(best) / Double(own), .fixed(2)))x the config's replica-seconds there"
            : "\(best) replica-seconds there, where the config used none"
        if result.meetsGoal {
            text += "The cheapest setting with at most \(goal) % of requests over capacity on the tuning part (\(cost)):\n\n"
        } else {
            text += "No setting tried met the goal of at most \(goal) % of requests over capacity on the tuning part. "
                + "The one with the best service (\(cost)):\n\n"
        }
        text += TunedConfigText.policyBlock(written).joined(separator: "\n") + "\n"
        text += "# and in [source]: poll_interval = \(DurationText.format(.seconds(result.best.pollSeconds)))\n"
        return text
    }

    /// The window of the config's policy that reaches furthest back, and the key (or keys) that
    /// set it: `scale_down_stabilization`, `trend_window`, `smoothing_window`,
    /// `scale_to_zero_after`, with `headroom = learned` `headroom_window`, and with
    /// `seasonal_periods` the longest period over `seasonal_confirmations` of them.
    static func longestWindow(of config: PolicyConfig) -> (key: String, window: Duration) {
        var windows: [(key: String, window: Duration)] = [
            ("scale_down_stabilization", config.scaleDownStabilization), ("trend_window", config.trendWindow),
            ("smoothing_window", config.smoothingWindow),
        ]
        if let zero = config.scaleToZeroAfter { windows.append(("scale_to_zero_after", zero)) }
        if config.usesLearnedHeadroom { windows.append(("headroom_window", config.headroom.window)) }
        if let period = config.seasonalPeriods.durations.max() {
            let confirmations = config.seasonalConfirmations
            windows.append(("seasonal_periods \(DurationText.format(period)) × seasonal_confirmations \(confirmations) =",
                            period * confirmations))
        }
        return windows.max { $0.window < $1.window } ?? ("scale_down_stabilization", config.scaleDownStabilization)
    }

    private func column(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

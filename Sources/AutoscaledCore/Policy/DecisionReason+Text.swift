import AutoscaledBase

/// The one rendering of a decision's reason into words: the `reason=` of a decision line, the
/// `limited` notice, `once`, `status` (through the state file), the simulator's log.
///
/// Numbers go through ``DecimalText``: what a user or the source gave (thresholds, `target_load`,
/// `burst_ratio`, a percentage, a server's load) exact, as the same line's fields show it; what the
/// policy computed (the total, the smoothed and expected loads, the models' rates) to at most two
/// decimals.
extension DecisionReason: CustomStringConvertible {
    public var description: String { text }

    /// The reason in words, e.g. `1 server above scale_up_threshold 50 (max server2=55); total load
    /// 105 needs 3 at target_load 50: +1 (a scale-up adds at least 1)`.
    public var text: String {
        var text = ""
        switch pause {
        case let .moving(target, asked, note)?:
            if asked == target { return "\(Self.paused(note)): moving to the pause's \(replicaCount(target))" }
            let bound = asked > target ? "max_replicas" : "min_replicas"
            return "\(Self.paused(note)): moving to \(bound) \(target) (the pause would hold \(asked))"
        case let .holding(replicas, policyTarget, note)?:
            text = "\(Self.paused(note)): holding \(replicas); "
            if let policyTarget {
                text += "the policy would \(policyTarget > replicas ? "scale-up" : "scale-down") to \(policyTarget): "
            }
        case nil:
            break
        }
        text += trigger.text
        if let sizing { text += sizing.text }
        text += outcome.text
        return text
    }

    private static func paused(_ note: String?) -> String {
        note.map { "paused (\($0))" } ?? "paused"
    }
}

extension DecisionReason.Trigger {
    var text: String {
        switch self {
        case let .aboveMaxReplicas(replicas, max):
            "\(replicaCount(replicas)) above max_replicas \(max)"
        case let .belowMinReplicas(replicas, min):
            "\(replicaCount(replicas)) below min_replicas \(min)"
        case let .noUsableData(cause):
            "no usable load data: \(cause)"
        case let .sourceDownWithoutFallback(cause):
            "no usable load data: \(cause) (source down, no fallback_replicas)"
        case let .fallback(replicas, cause):
            "source down: fallback_replicas \(replicas) (\(cause))"
        case let .atFallback(replicas, cause):
            "source down: at fallback_replicas \(replicas) (\(cause))"
        case let .burst(total, ratio, replicas, targetLoad):
            "burst: total load \(figure(total)) is at least burst_ratio \(given(ratio)) "
                + "times what \(replicaCount(replicas)) serve\(replicas == 1 ? "s" : "") at target_load \(given(targetLoad))"
        case .recurringPeak:
            "recurring peak due (seasonal_periods)"
        case let .loadAtZero(total):
            "load \(figure(total)) seen at 0 replicas"
        case let .serversAbove(count, threshold, busiest):
            "\(count) server\(count == 1 ? "" : "s") above scale_up_threshold \(given(threshold)) (max \(busiest.text))"
        case let .expectedLoadAbove(load, within, threshold):
            "load per server expected in replica_startup \(DurationText.format(within)) "
                + "\(figure(load)) above scale_up_threshold \(given(threshold))"
        case let .betweenThresholds(scaleUp, scaleDown, busiest):
            "no server above scale_up_threshold \(given(scaleUp)) and not all below "
                + "scale_down_threshold \(given(scaleDown)) (max \(busiest.text))"
        case let .allBelow(servers, threshold, busiest):
            (servers == 1 ? "the only server" : "all \(servers) servers")
                + " below scale_down_threshold \(given(threshold)) (max \(busiest.text))"
        case let .learnedNeed(sizing):
            sizing.text
        case let .noLoad(within):
            "no load in any poll within scale_to_zero_after \(DurationText.format(within))"
        case .hpaWithoutMetric:
            "hpa: no ready replica has a metric"
        case let .hpa(utilisation, ready, target, desired, stabilized):
            "hpa: utilisation \(figure(utilisation))% of \(ready) ready, "
                + "target \(figure(target))%: desired \(desired), stabilized \(stabilized)"
        case let .kpa(stableRate, panicRate, perReplica, stable, panic, panicking):
            "kpa: \(figure(stableRate)) req/s over \(KPAModel.stableWindow)s, \(figure(panicRate)) over "
                + "\(KPAModel.panicWindow)s, target \(figure(perReplica)) per replica: stable \(stable), panic \(panic)"
                + (panicking ? ", panicking" : "")
        }
    }
}

extension DecisionReason.Sizing {
    /// `; total load 105 needs 3 at target_load 45`, with the smoothing and trend when they apply.
    var text: String {
        var text = "; total load \(figure(total))"
        if let smoothed { text += ", smoothed \(figure(smoothed))" }
        if let projection {
            text += ", \(figure(projection.load)) expected in \(DurationText.format(projection.ahead))"
            if projection.capped {
                text += " (the trend adds at most \(given(LoadEstimate.maximumTrendGain)) times the smoothed load)"
            }
        }
        if let season {
            text += "; at this phase each of the last \(season.confirmations) periods of \(DurationText.format(season.period)) "
                + "rose to \(figure(season.load)) within the next \(DurationText.format(season.within))"
        }
        text += " needs \(need) at target_load \(given(targetLoad))"
        if let heldScaleUp { text += "; a scale-up adds at least 1 (to \(heldScaleUp))" }
        return text
    }
}

extension DecisionReason.Season {
    /// `; looked for 2 replica_startups ahead, as more than 358 (8 times the spread between
    /// polls)` for a recurring rise found in the further look only, else nothing.
    var furtherText: String {
        guard let furtherThan else { return "" }
        return "; looked for \(Headroom.furtherLookStartups) replica_startups ahead, as more than \(figure(furtherThan)) "
            + "(\(given(Headroom.furtherLookSpread)) times the spread between polls)"
    }
}

extension DecisionReason.LearnedSizing {
    /// `total load 480 and a rise of 120 (the 0.85 quantile of the rises within 2min 10s over the
    /// last 1h) need 10 at headroom_target_load 60`.
    ///
    /// With `seasonal_periods`, the quantile is of the rises beyond the recurring ones, and a recurring
    /// rise larger than it is given room instead: `total load 400 and a recurring rise of 1200 (at this
    /// phase each of the last 2 periods of 5min rose by at least 1200 within the next 2min 10s) need 25
    /// at headroom_target_load 65`; carried from an earlier tick: `total load 100 and a recurring rise
    /// of 700 (at the phase 10s before this one each of the last 2 periods of 1h rose by at least 700
    /// within the next 1min 10s, from 100 then to 800) need 16 at headroom_target_load 50`.
    ///
    /// When `headroom_scale_down_margin` raised the need below the count: `… need 9 at
    /// headroom_target_load 65, 10 with headroom_scale_down_margin 0.6`, or where the spread between
    /// polls is to be measured and was not: `… 10 with headroom_scale_down_margin_unmeasured 0.3 (the
    /// spread not measured)`; when
    /// `headroom_scale_up_tolerance` kept the count below the need: `… need 13 at
    /// headroom_target_load 65, 12 within headroom_scale_up_tolerance 0.2`; when
    /// `headroom_square_root_room` raised the target at a large load: `… need 253 at 82.78 a replica
    /// (headroom_target_load 65 raised by headroom_square_root_room 3 at this load)`, and with a
    /// spread measured below the assumed one: `… (headroom_target_load 65 raised by
    /// headroom_square_root_room 3 at this load and the measured spread 0.5)`; where the room holds part
    /// of the rise (the spread between polls): `… and the measured spread 0.4, which holds 200 of the
    /// rise (the spread between polls))`.
    var text: String {
        let room: String
        if let season, let carried = season.carried {
            room = "a recurring rise of \(figure(rise)) (at the phase \(DurationText.format(carried.before)) before this one each of "
                + "the last \(season.confirmations) periods of \(DurationText.format(season.period)) rose by at least "
                + "\(figure(carried.rise)) within the next \(DurationText.format(season.within)), from \(figure(carried.total)) "
                + "then to \(figure(carried.total + carried.rise))\(season.furtherText))"
        } else if let season {
            room = "a recurring rise of \(figure(rise)) (at this phase each of the last \(season.confirmations) periods of "
                + "\(DurationText.format(season.period)) rose by at least \(figure(season.load)) within the next "
                + "\(DurationText.format(season.within))\(season.furtherText))"
        } else if let quantile {
            room = "a rise of \(figure(rise)) (the \(given(quantile)) quantile of the rises "
                + (beyondSeason ? "beyond the recurring ones " : "")
                + "within \(DurationText.format(within)) over the last \(DurationText.format(window)))"
        } else {
            room = "a rise of \(figure(rise)) (the highest within \(DurationText.format(within)) seen so far: too few rises "
                + "seen yet for the quantile)"
        }
        let sized = "total load \(figure(total)) and \(room) need"
        let target = raisedTarget.map { raised in
            // A spread that shows as 0 at three places is not 0: it is named as below 0.001.
            let spread = raised.measuredSpread.map { measured in
                let shown = DecimalText.format(measured, .atMost(3))
                return " and the measured spread " + (shown == "0" ? "below 0.001" : shown)
            } ?? ""
            let held = raised.riseInRoom.map { ", which holds \(figure($0)) of the rise (the spread between polls)" } ?? ""
            return "\(figure(raised.target)) a replica (headroom_target_load \(given(targetLoad)) raised by "
                + "headroom_square_root_room \(given(raised.setting)) at this load\(spread)\(held))"
        } ?? "headroom_target_load \(given(targetLoad))"
        if let beforeTolerance {
            return sized + " \(beforeTolerance.need) at \(target), \(need) within "
                + "headroom_scale_up_tolerance \(given(beforeTolerance.setting))"
        }
        guard let beforeMargin else { return sized + " \(need) at \(target)" }
        return sized + " \(beforeMargin.need) at \(target), \(need) with "
            + (marginIsUnmeasured ? "headroom_scale_down_margin_unmeasured \(given(beforeMargin.setting)) (the spread not measured)"
                : "headroom_scale_down_margin \(given(beforeMargin.setting))")
    }
}

extension DecisionReason.Outcome {
    var text: String {
        switch self {
        case .none:
            return ""
        case let .scaledUp(added, rate, cappedAt, beyondNeed):
            var text = ": +\(added)"
            if beyondNeed { text += " (a scale-up adds at least 1)" }
            if let rate {
                text += " (limited by max_scale_up_per_minute \(rate.max)" + (rate.added > 0 ? ", +\(rate.added) in the last minute)" : ")")
            }
            if let cappedAt { text += " (capped at max_replicas \(cappedAt))" }
            return text
        case let .scaledDown(removed, stabilized, rate):
            var text = "\(stabilized.text): -\(removed)"
            if let rate {
                text += " (limited by \(rate.rule.text)" + (rate.removed > 0 ? ", -\(rate.removed) in the last minute)" : ")")
            }
            return text
        case let .atMaxReplicas(max):
            return " but already at max_replicas \(max)"
        case let .inCooldown(left, cooldown):
            return " but in scale_up_cooldown (\(DurationText.format(left)) of \(DurationText.format(cooldown)) left)"
        case let .scaledUpThisTick(pollInterval):
            return " but scaled up already in this tick (poll_interval \(DurationText.format(pollInterval)))"
        case let .upRateReached(rate):
            return " but max_scale_up_per_minute \(rate.max) reached (+\(rate.added) in the last minute)"
        case let .atMinReplicas(min):
            return " but already at min_replicas \(min)"
        case let .stabilizationHolds(stabilized):
            return " but scale_down_stabilization \(DurationText.format(stabilized.window)) holds at \(stabilized.need)"
                + (stabilized.sourceDownWithin ? " (the source was down within it)" : "")
        case let .stillLearning(rises):
            return " but still learning the rises (\(rises) of \(Headroom.minimumRises) seen): no scale-down yet"
        case let .downRateReached(stabilized, rate):
            return "\(stabilized.text) but \(rate.rule.text) reached (-\(rate.removed) in the last minute)"
        case let .scaledToZero(removed):
            return ": -\(removed) to 0"
        case .staysAtZero:
            return ": stays at 0 until a load is seen"
        }
    }
}

extension DecisionReason.Stabilization {
    var text: String {
        "; \(rule == .mean ? "mean" : "highest") need within scale_down_stabilization \(DurationText.format(window)) is \(need)"
    }
}

extension DecisionReason.DownRule {
    var text: String {
        switch self {
        case let .perMinute(replicas): "max_scale_down_per_minute \(replicas)"
        case let .percentPerMinute(percent, allowed, before): "max_scale_down_percent_per_minute \(given(percent)) (\(allowed) of \(before))"
        }
    }
}

extension ServerLoad {
    /// `name=load`, as a reason names the busiest server; a name that could be read another way
    /// there (with `=`, a blank, a quote, a backslash, a parenthesis, `,` or `;`) quoted: `'a=b'=60`.
    var text: String {
        let plain = name.unicodeScalars.allSatisfy { !"= \t'\"\\(),;".unicodeScalars.contains($0) }
        return "\(plain ? name : EscapedText.quoted(name))=\(given(load))"
    }
}

/// A value a user or the source gave: written exact, as in the line's fields and the config.
private func given(_ value: Double) -> String {
    DecimalText.format(value)
}

/// `1 replica`, `3 replicas`.
private func replicaCount(_ count: Int) -> String {
    "\(count) replica\(count == 1 ? "" : "s")"
}

/// A figure the policy computed: to at most two decimals.
private func figure(_ value: Double) -> String {
    DecimalText.format(value, .atMost(2))
}

import AutoscaledBase

/// The text `tune` prints and writes: a `[policy]` block, and a whole config file with it.
enum TunedConfigText {
    /// The `[policy]` section for `policy`, every key spelled out, ready to paste.
    static func policyBlock(_ policy: PolicyConfig) -> [String] {
        var lines = [
            "[policy]",
            "scale_up_threshold = \(DecimalText.format(policy.scaleUpThreshold))",
            "scale_down_threshold = \(DecimalText.format(policy.scaleDownThreshold))",
            "target_load = \(DecimalText.format(policy.targetLoad))",
            "min_replicas = \(policy.minReplicas)",
            "max_replicas = \(policy.maxReplicas)",
            "initial_replicas = \(policy.initialReplicas)",
            "max_scale_up_per_minute = \(policy.maxScaleUpPerMinute)",
            "max_scale_down_per_minute = \(policy.maxScaleDownPerMinute)",
            "max_scale_down_percent_per_minute = \(DecimalText.format(policy.maxScaleDownPercentPerMinute))",
            "scale_up_cooldown = \(DurationText.format(policy.scaleUpCooldown))",
            "scale_down_stabilization = \(DurationText.format(policy.scaleDownStabilization))",
            "scale_down_stabilization_rule = \(policy.scaleDownStabilizationRule.rawValue)",
            "replica_startup = \(DurationText.format(policy.replicaStartup))",
            "trend_window = \(DurationText.format(policy.trendWindow))",
            "trend_min_span = \(DurationText.format(policy.trendMinSpan))",
            "smoothing_window = \(DurationText.format(policy.smoothingWindow))",
            "burst_ratio = \(DecimalText.format(policy.burstRatio))",
            "seasonal_periods = \(TypedValue.durations(policy.seasonalPeriods.durations).text)",
            "seasonal_confirmations = \(policy.seasonalConfirmations)",
            "seasonal_min_rise = \(DecimalText.format(policy.seasonalMinRise))",
            "headroom = \(policy.headroom.mode.rawValue)",
            "headroom_target_load = \(DecimalText.format(policy.headroom.targetLoad))",
            "headroom_quantile = \(DecimalText.format(policy.headroom.quantile))",
            "headroom_window = \(DurationText.format(policy.headroom.window))",
            "headroom_scale_down_margin = \(DecimalText.format(policy.headroom.scaleDownMargin))",
            "headroom_scale_up_tolerance = \(DecimalText.format(policy.headroom.scaleUpTolerance))",
            "headroom_square_root_room = \(DecimalText.format(policy.headroom.squareRootRoom))",
            "headroom_spread = \(policy.headroom.spread.rawValue)",
        ]
        if policy.headroom.spread == .measured {
            lines.append("headroom_scale_down_margin_unmeasured = \(DecimalText.format(policy.headroom.scaleDownMarginUnmeasured))")
        }
        if let fallback = policy.fallbackReplicas { lines.append("fallback_replicas = \(fallback)") }
        if let after = policy.scaleToZeroAfter { lines.append("scale_to_zero_after = \(DurationText.format(after))") }
        return lines
    }

    /// `tuned` with the keys `tune` always keeps taken back from `config`: `min_replicas`,
    /// `max_replicas` and `initial_replicas`, which `--min`, `--max` and `--initial` replace in the
    /// replays only.
    static func kept(_ tuned: PolicyConfig, from config: PolicyConfig) -> PolicyConfig {
        var kept = tuned
        (kept.minReplicas, kept.maxReplicas, kept.initialReplicas) = (config.minReplicas, config.maxReplicas, config.initialReplicas)
        return kept
    }

    /// `text` (a config file) with its `[policy]` section replaced by ``policyBlock(_:)`` and its
    /// `[source] poll_interval` set to `pollSeconds`; every other line is kept as it was. A
    /// `[policy]` section opened more than once is replaced where it is first opened, and its
    /// other parts are removed (the block holds every key).
    ///
    /// Lines are those ``IniDocument`` numbers; the result ends its lines, the last one included,
    /// as `text`'s first line does (`\r\n` or `\n`).
    static func config(_ text: String, policy: PolicyConfig, pollSeconds: Int, note: [String]) -> String {
        var lines = IniDocument.lines(of: Substring(text)).map(String.init)
        let lineEnd = lines.count > 1 && lines[0].unicodeScalars.last == "\r" ? "\r\n" : "\n"
        for index in lines.indices.dropLast() where lines[index].unicodeScalars.last == "\r" {
            lines[index].unicodeScalars.removeLast()
        }
        let document = IniDocument(text: text)
        var section = ""
        var policyParts: [ClosedRange<Int>] = []
        var sourceHeader: Int?
        var pollLine: Int?
        for entry in document.entries {
            switch entry.content {
            case let .section(name):
                if section == "policy", let range = policyParts.popLast() {
                    policyParts.append(range.lowerBound...(entry.line - 1))
                }
                section = name
                if name == "policy" { policyParts.append(entry.line...lines.count) }
                if name == "source" { sourceHeader = entry.line }
            case let .assignment(key, _):
                if section == "source", key == "poll_interval" { pollLine = entry.line }
            case .malformed, .malformedSection: break
            }
        }
        let poll = "poll_interval = \(DurationText.format(.seconds(pollSeconds)))"
        let block = note.map { "# " + $0 } + policyBlock(policy)
        // Edit from the bottom up so that earlier line numbers stay right.
        var edits: [(line: Int, remove: Int, insert: [String])] = []
        if !policyParts.isEmpty {
            for (index, range) in policyParts.enumerated() {
                var last = range.upperBound
                while last > range.lowerBound, lines[last - 1].allSatisfy(\.isWhitespace) { last -= 1 }
                edits.append((range.lowerBound, last - range.lowerBound + 1, index == 0 ? block : []))
            }
        } else {
            // At the end, before the empty "line" after the last line end, so that the file still ends with one.
            edits.append((lines.last == "" ? lines.count : lines.count + 1, 0, [""] + block))
        }
        if let pollLine {
            edits.append((pollLine, 1, [poll]))
        } else if let sourceHeader {
            edits.append((sourceHeader + 1, 0, [poll]))
        }
        for edit in edits.sorted(by: { $0.line > $1.line }) {
            let start = min(edit.line - 1, lines.count)
            lines.replaceSubrange(start..<min(start + edit.remove, lines.count), with: edit.insert)
        }
        // The last line ends as the others do, even where the file's did not.
        if lines.last != "" { lines.append("") }
        return lines.joined(separator: lineEnd)
    }
}

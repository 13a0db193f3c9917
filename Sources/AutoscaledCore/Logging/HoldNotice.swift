import AutoscaledBase

/// Says why the count is not where the policy wants it, at info level: once when a rule starts
/// holding it and once each time the holding rule changes, never once per evaluation.
///
/// `event=limited want=6 held_by=scale_up_cooldown left=42s replicas=4 reason="…"`
struct HoldNotice {
    /// The rule that held the count at the last evaluation, by name.
    private(set) var holding: String?
    /// Since when (seconds since the epoch) that rule holds.
    private(set) var since: Double?

    /// The `limited` record for `decision`, taken at `wallTime`, when a rule starts holding or
    /// another rule takes over.
    mutating func note(_ decision: ScalingDecision, wallTime: Double) -> LogRecord? {
        guard let rule = decision.heldBy else {
            holding = nil
            since = nil
            return nil
        }
        guard rule.name != holding else { return nil }
        holding = rule.name
        since = wallTime
        var fields: [LogField] = []
        if let wanted = decision.wanted { fields.append(LogField("want", .int(wanted))) }
        fields.append(LogField("held_by", .string(rule.name)))
        if let left = rule.left {
            // As the reason writes it (the policy rounds it up to whole milliseconds): one formatter, one number.
            fields.append(LogField("left", .string(DurationText.format(left))))
        }
        fields.append(LogField("replicas", .int(decision.to)))
        fields.append(LogField("reason", .string(decision.reason.text)))
        return LogRecord(.info, .limited, fields)
    }

    /// What the state file keeps of the hold on `decision` (noted at `wallTime`), if there is one.
    func limit(_ decision: ScalingDecision, wallTime: Double) -> StateFile.Limit? {
        guard let rule = decision.heldBy, let since else { return nil }
        let until = rule.left.map { wallTime + Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        return StateFile.Limit(heldBy: rule.name, wanted: decision.wanted, reason: decision.reason.text, sinceUnix: since,
                               untilUnix: until)
    }
}

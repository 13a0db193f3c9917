/// The operator's pause as the daemon applies it: read from the pause file next to the state file
/// (``PauseFile``) when it changes and at every evaluation, ended by `resume` or by its own `until`
/// (a pause file removed while a pause is in force is written back, not taken as a resume).
///
/// ```
///              pause file paused, until not reached
///   running ───────────────────────────────────────▶ paused ──┐ pause again: event=pause updated=true
///      ▲                                               │  ▲   │
///      └── event=resume cause=operator (resume) ───────┤  └───┘
///      └── event=resume cause=expired (until passed) ──┘
/// ```
/// While paused the count is held, or moved once to the pause's `replicas`; the policy still
/// decides every evaluation, and what it would do is logged and kept as the wish.
struct PauseControl {
    /// The pause file's path.
    let path: String
    /// The pause in force, if any.
    private(set) var active: PauseFile?
    /// Why the last read failed, if it did: warned once for each cause, until the file reads again.
    private var unreadable: String?

    init(path: String) {
        self.path = path
    }

    /// Reads the pause file as of `wallNow`; returns what to log about the change, if anything.
    /// A file that cannot be read is warned about once and leaves the pause as it was. A file gone
    /// while a pause is in force (removed by hand, or with the state directory) leaves it too, and
    /// is written back: only `resume` (which writes `"paused": false`) or the pause's `until` ends it.
    mutating func refresh(wallNow: Double) -> [LogRecord] {
        let file: PauseFile?
        do {
            file = try PauseFile.load(path)
        } catch {
            return warnOnce(cause: error.description)
        }
        if file == nil, let active, active.holds(at: wallNow) {
            do {
                try active.save(to: path)
            } catch {
                return warnOnce(cause: "\(path): removed while paused, and cannot be written back (\(error.description)); "
                    + "the pause stays in force")
            }
            unreadable = nil
            return [LogRecord(.warning, .pauseFileRestored, [
                LogField("path", .string(path)),
                LogField("cause", "removed while paused: written back; 'autoscaled resume' ends a pause"),
            ])]
        }
        unreadable = nil
        return take(file, wallNow: wallNow)
    }

    /// `pause-file-invalid` with `cause`, once until the file reads again or the cause changes; the
    /// pause stays as it was.
    private mutating func warnOnce(cause: String) -> [LogRecord] {
        defer { unreadable = cause }
        return unreadable == cause ? [] : [LogRecord(.warning, .pauseFileInvalid, [
            LogField("cause", .string(cause)),
            LogField("paused", .bool(active != nil)),
        ])]
    }

    /// Takes `file`, the pause file as read (`nil`: there is none), as of `wallNow`; returns what to
    /// log about the change, if anything.
    mutating func take(_ file: PauseFile?, wallNow: Double) -> [LogRecord] {
        guard let file, file.paused else {
            defer { active = nil }
            return active == nil ? [] : [LogRecord(.notice, .resume, [LogField("cause", "operator")])]
        }
        guard file.holds(at: wallNow) else {
            defer { active = nil }
            guard let until = file.until, active != nil else { return [] }
            return [LogRecord(.notice, .resume, [LogField("cause", "expired"), LogField("until", .string(until))])]
        }
        guard file != active else { return [] }
        let updated = active != nil
        active = file
        var fields: [LogField] = []
        if let replicas = file.replicas { fields.append(LogField("replicas", .int(replicas))) }
        if let until = file.until { fields.append(LogField("until", .string(until))) }
        if let reason = file.reason { fields.append(LogField("reason", .string(reason))) }
        if updated { fields.append(LogField("updated", .bool(true))) }
        return [LogRecord(.notice, .pause, fields)]
    }

    /// When the pause in force ends by itself (seconds since the epoch), if it does.
    var endsAt: Double? { active?.untilUnix }

    /// `decision` as the pause lets it stand: unchanged when not paused; else moved once to the
    /// pause's `replicas`, or held, with the policy's wish as the wish (``HoldingRule/pause``, even
    /// where a rule of the policy, a cooldown say, holds the count too).
    /// What the pause holds stays within `bounds` (`min_replicas`…`max_replicas` now): a pause
    /// written before a reload narrowed them, or written by hand, moves to the nearest bound.
    /// What the policy would do is kept in the reason; its need and load stay recorded, so the
    /// stabilization window and the trend are whole when the pause ends.
    func apply(_ decision: ScalingDecision, bounds: ClosedRange<Int>) -> ScalingDecision {
        guard let pause = active else { return decision }
        let current = decision.from
        let asked = pause.replicas ?? current
        let target = min(max(asked, bounds.lowerBound), bounds.upperBound)
        var held = decision
        if target != current {
            held.action = target > current ? .scaleUp : .scaleDown
            held.to = target
            held.threshold = nil
            held.reason.pause = .moving(to: target, asked: asked, note: pause.reason)
            held.recommendation = max(decision.recommendation ?? target, target)
        } else {
            held.action = .hold
            held.to = current
            held.reason.pause = .holding(at: current, policyTarget: decision.changesReplicas ? decision.to : nil, note: pause.reason)
        }
        // The pause names itself whatever rule of the policy also holds: it holds the count for as
        // long as it is in force, and the wish is the policy's own (before that rule).
        let wish = decision.wanted ?? decision.to
        if wish != held.to {
            held.heldBy = .pause
            held.wanted = wish
        }
        return held
    }
}

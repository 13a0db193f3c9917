/// The log record of a decision: `scale-up` and `scale-down` at notice, `hold` at debug.
///
/// Fields, in order: `from`, `to`, `servers_to_scale`, `threshold`, `max_load`, `max_server`, `reason`,
/// and `dry_run=true` last when `[actuator] dry_run` is on. With `paused`, the decision is what the
/// policy would do while an operator's pause holds the count: `paused=true` last, and a change at
/// info level, since nothing changes.
public func decisionRecord(_ decision: ScalingDecision, dryRun: Bool = false, paused: Bool = false) -> LogRecord {
    var fields: [LogField] = [LogField("from", .int(decision.from)), LogField("to", .int(decision.to))]
    if let serversToScale = decision.serversToScale { fields.append(LogField("servers_to_scale", .int(serversToScale))) }
    if let threshold = decision.threshold { fields.append(LogField("threshold", .number(threshold))) }
    if let busiest = decision.busiest {
        fields.append(LogField("max_load", .number(busiest.load)))
        fields.append(LogField("max_server", .string(busiest.name)))
    }
    fields.append(LogField("reason", .string(decision.reason.text)))
    if dryRun { fields.append(LogField("dry_run", .bool(true))) }
    if paused { fields.append(LogField("paused", .bool(true))) }
    return LogRecord(decisionLevel(decision.action, paused: paused), LogEvent(decision.action), fields)
}

/// The level of a decision's line (see ``decisionRecord(_:dryRun:paused:)``): known before the line
/// is made, so that a line no one reads is not (its reason's text is the costly part).
public func decisionLevel(_ action: ScalingAction, paused: Bool = false) -> LogLevel {
    action == .hold ? .debug : paused ? .info : .notice
}

extension LogEvent {
    /// The event of a decision line: `scale-up`, `scale-down` or `hold`.
    public init(_ action: ScalingAction) {
        switch action {
        case .scaleUp: self = .scaleUp
        case .scaleDown: self = .scaleDown
        case .hold: self = .hold
        }
    }
}

extension EvaluationOutcome {
    /// The records of one evaluation, in order: the pause's, the health lines (`source-up`,
    /// `source-error`, `source-down`), the decision line, then `limited` when a rule starts holding.
    /// The decision line only when `enabled` says its level is logged: most evaluations hold, at
    /// debug level, and their reason's text is not made for nothing.
    func records(source: String, dryRun: Bool, enabled: (LogLevel) -> Bool) -> [LogRecord] {
        var records = pauseEvents
        let location = LogField("source", .string(source))
        let failureCount = LogField("failures", .int(failures))
        switch input {
        case .loads:
            // After source-down at notice; after failures short of it (each one a warning) at info.
            if cameUp { records.append(LogRecord(.notice, .sourceUp, [location, failureCount])) }
            if recovered { records.append(LogRecord(.info, .sourceUp, [location, failureCount])) }
        case let .unavailable(cause), let .sourceDown(cause):
            // `source=` names the source: the cause alone follows it.
            let because = LogField("cause", .string(readError ?? cause))
            // While down, and for the same failure again within its poll interval (counted once), at debug.
            let quiet = previousHealth == .down || repeatsFailure
            records.append(LogRecord(quiet ? .debug : .warning, .sourceError, [location, because, failureCount]))
            if wentDown { records.append(LogRecord(.error, .sourceDown, [location, failureCount, because])) }
        }
        if paused && !decision.changesReplicas {
            // Paused and holding: what the policy would do, dry_run-style.
            if enabled(decisionLevel(policyDecision.action, paused: true)) {
                records.append(decisionRecord(policyDecision, dryRun: dryRun, paused: true))
            }
        } else if enabled(decisionLevel(decision.action)) {
            records.append(decisionRecord(decision, dryRun: dryRun))
        }
        if let limited { records.append(limited) }
        return records
    }
}

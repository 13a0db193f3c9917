/// What makes a state file that parsed unusable: each field is checked as it is loaded, so nothing
/// read from the file (an age worked out from a time, a count) can be out of the range the rest of
/// the code takes. Counts are read as the pause file reads them, so one that is not a whole number
/// is named (`desired_replicas: 2.5 is not a whole number`), not called "not JSON".
extension StateFile {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeWhole(Int.self, forKey: .version)
        desiredReplicas = try container.decodeWhole(Int.self, forKey: .desiredReplicas)
        appliedReplicas = try container.decodeWholeIfPresent(Int.self, forKey: .appliedReplicas)
        actuationFailing = try container.decodeIfPresent(ActuationFailure.self, forKey: .actuationFailing)
        updatedAt = try container.decode(String.self, forKey: .updatedAt)
        updatedAtUnix = try container.decodeIfPresent(Double.self, forKey: .updatedAtUnix)
        lastDecision = try container.decodeIfPresent(Decision.self, forKey: .lastDecision)
        source = try container.decodeIfPresent(SourceStatus.self, forKey: .source)
        limit = try container.decodeIfPresent(Limit.self, forKey: .limit)
        seasonalProfile = try container.decodeIfPresent(Season.self, forKey: .seasonalProfile)
        learnedRises = try container.decodeIfPresent(LearnedRises.self, forKey: .learnedRises)
    }

    /// Why the file cannot be used, naming the field (`updated_at_unix -1e+300 is not a time from 0
    /// to 1000000000000 (1970 to the year 33658)`); `nil` when it can.
    var fault: String? {
        let counts: [(String, Int?)] = [
            ("desired_replicas", desiredReplicas), ("applied_replicas", appliedReplicas), ("last_decision.from", lastDecision?.from),
            ("last_decision.to", lastDecision?.to), ("limit.wanted", limit?.wanted),
        ]
        if let fault = counts.lazy.compactMap({ JSONFileFault.countFault($0, $1) }).first { return fault }
        if let attempts = actuationFailing?.attempts, attempts < 1 {
            return "actuation_failing.attempts \(attempts) is not a count of failed attempts (at least 1)"
        }
        if let failures = source?.consecutiveFailures, failures < 0 {
            return "source.consecutive_failures \(failures) is negative"
        }
        if let down = source?.down, !down || source?.consecutiveFailures == 0 {
            return "source.down \(down) with source.consecutive_failures \(source?.consecutiveFailures ?? 0): down is written only as true, after a failed read"
        }
        let times: [(String, Double?)] = [
            ("updated_at_unix", updatedAtUnix), ("last_decision.at_unix", lastDecision?.atUnix),
            ("source.last_good_read_unix", source?.lastGoodReadUnix), ("limit.since_unix", limit?.sinceUnix),
            ("limit.until_unix", limit?.untilUnix), ("actuation_failing.since_unix", actuationFailing?.sinceUnix),
        ]
        return times.lazy.compactMap { JSONFileFault.timeFault($0, $1) }.first
    }
}

extension StateFile.Decision {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(action: try container.decode(String.self, forKey: .action), from: try container.decodeWhole(Int.self, forKey: .from),
                  to: try container.decodeWhole(Int.self, forKey: .to), reason: try container.decode(String.self, forKey: .reason),
                  at: try container.decode(String.self, forKey: .at), atUnix: try container.decode(Double.self, forKey: .atUnix))
    }
}

extension StateFile.SourceStatus {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        consecutiveFailures = try container.decodeWhole(Int.self, forKey: .consecutiveFailures)
        lastGoodRead = try container.decodeIfPresent(String.self, forKey: .lastGoodRead)
        lastGoodReadUnix = try container.decodeIfPresent(Double.self, forKey: .lastGoodReadUnix)
        lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
        down = try container.decodeIfPresent(Bool.self, forKey: .down)
    }
}

extension StateFile.Limit {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        heldBy = try container.decode(String.self, forKey: .heldBy)
        wanted = try container.decodeWholeIfPresent(Int.self, forKey: .wanted)
        reason = try container.decode(String.self, forKey: .reason)
        since = try container.decode(String.self, forKey: .since)
        sinceUnix = try container.decode(Double.self, forKey: .sinceUnix)
        untilUnix = try container.decodeIfPresent(Double.self, forKey: .untilUnix)
    }
}

extension StateFile.ActuationFailure {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        since = try container.decode(String.self, forKey: .since)
        sinceUnix = try container.decode(Double.self, forKey: .sinceUnix)
        attempts = try container.decodeWhole(Int.self, forKey: .attempts)
        cause = try container.decode(String.self, forKey: .cause)
    }
}

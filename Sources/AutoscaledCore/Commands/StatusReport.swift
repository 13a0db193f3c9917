import AutoscaledBase
import AutoscaledSystem
import FoundationEssentials

/// What `autoscaled status` shows: the state file's contents with ages worked out.
///
/// ```
/// desired replicas:  4
/// last decision:     scale-up from 3 to 4, 2min 5s ago (2026-11-29T06:12:03.037Z)
///                    1 server above scale_up_threshold 50 (max server2=55): +1
/// wanted replicas:   6, held by scale_up_cooldown for 12s (48s left)
///                    as last saved: 2 servers above scale_up_threshold 50 (max a=80); … but in scale_up_cooldown (1min of 1min left)
/// paused:            since 2min ago (2026-11-29T06:12:00.000Z), until resumed, holding the count: incident 42
/// source:            healthy, last good read 3s ago (2026-11-29T06:14:05.000Z)
/// state file:        /var/lib/autoscaled/state.json, written 3s ago (2026-11-29T06:14:05.002Z)
/// ```
struct StatusReport: Codable, Equatable {
    struct Decision: Codable, Equatable {
        var action: String
        var from: Int
        var to: Int
        var reason: String
        var at: String
        var ageSeconds: Double

        enum CodingKeys: String, CodingKey {
            case action, from, to, reason, at
            case ageSeconds = "age_seconds"
        }
    }

    struct Source: Codable, Equatable {
        /// `healthy`, `failing`, `down` (as many failures in a row as the daemon's threshold), or
        /// `unknown` (not recorded, e.g. by an older version).
        var health: String
        var consecutiveFailures: Int?
        var lastGoodRead: String?
        var lastGoodReadAgeSeconds: Double?
        var lastError: String?

        enum CodingKeys: String, CodingKey {
            case health
            case consecutiveFailures = "consecutive_failures"
            case lastGoodRead = "last_good_read"
            case lastGoodReadAgeSeconds = "last_good_read_age_seconds"
            case lastError = "last_error"
        }
    }

    /// What holds the count away from the policy's wish.
    struct Limit: Codable, Equatable {
        var heldBy: String
        var wanted: Int?
        var reason: String
        var since: String
        var sinceAgeSeconds: Double
        var leftSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case heldBy = "held_by"
            case wanted, reason, since
            case sinceAgeSeconds = "since_age_seconds"
            case leftSeconds = "left_seconds"
        }
    }

    /// An operator's pause, as `autoscaled pause` wrote it.
    struct Pause: Codable, Equatable {
        var since: String
        var sinceAgeSeconds: Double
        var until: String?
        var leftSeconds: Double?
        /// The count the daemon holds: the pause's, within `min_replicas`…`max_replicas`.
        var replicas: Int?
        /// The pause's own count, when the bounds keep the daemon from it.
        var askedReplicas: Int?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case since, until, replicas, reason
            case askedReplicas = "asked_replicas"
            case sinceAgeSeconds = "since_age_seconds"
            case leftSeconds = "left_seconds"
        }
    }

    /// The actuator's run of failed attempts, as of the last write.
    struct ActuationFailing: Codable, Equatable {
        var since: String
        var sinceAgeSeconds: Double
        var attempts: Int
        var cause: String

        enum CodingKeys: String, CodingKey {
            case since, attempts, cause
            case sinceAgeSeconds = "since_age_seconds"
        }
    }

    /// Whether a daemon holds the state file's lock now.
    struct Daemon: Codable, Equatable {
        /// `nil`: not known (`/proc/locks` could not be read).
        var running: Bool?
        /// The holder's pid, as this pid namespace sees it (0: from another namespace).
        var pid: Int32?
    }

    var daemon: Daemon?
    var stateFile: String
    var desiredReplicas: Int
    var limit: Limit?
    var pause: Pause?
    /// Why the pause file beside the state file cannot be read (then ``pause`` is `nil`: not known).
    var pauseFileError: String?
    var appliedReplicas: Int?
    var actuationFailing: ActuationFailing?
    /// Whether the config's `[actuator]` acts: then a count not confirmed applied is worth a line.
    var actuatorActs: Bool
    var updatedAt: String
    var updatedAgeSeconds: Double?
    var lastDecision: Decision?
    var source: Source

    enum CodingKeys: String, CodingKey {
        case stateFile = "state_file"
        case desiredReplicas = "desired_replicas"
        case appliedReplicas = "applied_replicas"
        case actuationFailing = "actuation_failing"
        case actuatorActs = "actuator_acts"
        case updatedAt = "updated_at"
        case updatedAgeSeconds = "updated_age_seconds"
        case lastDecision = "last_decision"
        case pauseFileError = "pause_file_error"
        case source, limit, pause, daemon
    }

    /// - Parameter failureThreshold: the config's `failure_threshold`: that many failed poll intervals in a row is "down".
    /// - Parameter pause: the pause file next to the state file, if any; shown while it holds. A
    ///   failure says why it cannot be read.
    /// - Parameter bounds: the config's `min_replicas`…`max_replicas`, which a pause's count is held within.
    /// - Parameter actuatorActs: whether the config's `[actuator]` acts (``ActuatorConfig/acts``).
    init(
        _ file: StateFile, path: String, wallNow: Double, failureThreshold: Int = SourceHealth.defaultFailureThreshold,
        pause pauseRead: Result<PauseFile?, PauseFileError> = .success(nil), bounds: ClosedRange<Int>? = nil,
        lockHolder: LockFile.Holder? = nil, actuatorActs: Bool
    ) {
        self.actuatorActs = actuatorActs
        let pauseFile = try? pauseRead.get()
        if case let .failure(error) = pauseRead { pauseFileError = error.description }
        daemon = lockHolder.map { holder in
            switch holder {
            case let .process(pid): Daemon(running: true, pid: pid)
            case .none: Daemon(running: false)
            case .unknown: Daemon(running: nil)
            }
        }
        // Below 0 for a time ahead of this clock (the clock set back since, or a file from another host).
        func age(_ unix: Double) -> Double { ((wallNow - unix) * 1000).rounded() / 1000 }
        func left(_ unix: Double?) -> Double? { unix.map { max(0, (($0 - wallNow) * 1000).rounded() / 1000) } }
        stateFile = path
        desiredReplicas = file.desiredReplicas
        limit = file.limit.map {
            Limit(heldBy: $0.heldBy, wanted: $0.wanted, reason: $0.reason, since: $0.since,
                  sinceAgeSeconds: age($0.sinceUnix), leftSeconds: left($0.untilUnix))
        }
        if let pauseFile, pauseFile.holds(at: wallNow) {
            let held = pauseFile.replicas.map { asked in bounds.map { min(max(asked, $0.lowerBound), $0.upperBound) } ?? asked }
            pause = Pause(since: pauseFile.at, sinceAgeSeconds: age(pauseFile.atUnix), until: pauseFile.until,
                          leftSeconds: left(pauseFile.untilUnix), replicas: held,
                          askedReplicas: held == pauseFile.replicas ? nil : pauseFile.replicas, reason: pauseFile.reason)
        }
        appliedReplicas = file.appliedReplicas
        actuationFailing = file.actuationFailing.map {
            ActuationFailing(since: $0.since, sinceAgeSeconds: age($0.sinceUnix), attempts: $0.attempts, cause: $0.cause)
        }
        updatedAt = file.updatedAt
        updatedAgeSeconds = file.updatedAtUnix.map(age)
        lastDecision = file.lastDecision.map {
            Decision(action: $0.action, from: $0.from, to: $0.to, reason: $0.reason, at: $0.at, ageSeconds: age($0.atUnix))
        }
        if let status = file.source {
            let failures = status.consecutiveFailures
            // The daemon's own word first: down lasts until a good read, whatever the count.
            let health = status.down == true ? .down : SourceHealth(consecutiveFailures: failures, failureThreshold: failureThreshold)
            source = Source(health: health.rawValue, consecutiveFailures: failures, lastGoodRead: status.lastGoodRead,
                            lastGoodReadAgeSeconds: status.lastGoodReadUnix.map(age), lastError: status.lastError)
        } else {
            source = Source(health: "unknown")
        }
    }

    /// The report for people. Every text that comes from the state file is escaped (``TextEscaping``):
    /// whoever wrote the file, no control character, escape sequence, bidi control or invisible
    /// character reaches the terminal raw, and a backslash is doubled, as in the logfmt line's
    /// quoted value: a tab and the two characters `\t` never print alike.
    func text() -> String {
        let shown = { (text: String) in TextEscaping.escaped(text) }
        var text = ""
        if let daemon {
            switch (daemon.running, daemon.pid) {
            case let (true?, pid?): text += line("daemon", pid > 0 ? "running (pid \(pid))" : "running (in another pid namespace)")
            case (true?, nil): text += line("daemon", "running")
            case (false?, _): text += line("daemon", "not running: what follows is what it last saved")
            case (nil, _): text += line("daemon", "unknown (/proc/locks cannot be read)")
            }
        }
        text += line("desired replicas", "\(desiredReplicas)")
        if let appliedReplicas { text += line("applied replicas", "\(appliedReplicas)") }
        if let failing = actuationFailing {
            text += line("applied replicas", "none confirmed: the actuator has failed \(failing.attempts) "
                + "time\(failing.attempts == 1 ? "" : "s") in a row since \(Self.ago(failing.sinceAgeSeconds)) (\(shown(failing.since)))")
            text += line("", "last error: \(shown(failing.cause))")
        } else if appliedReplicas == nil && actuatorActs {
            // The daemon applies a count not confirmed with its first evaluation after a start (and
            // each one after a failure): neither a confirmation nor a failure is on record since.
            let unconfirmed = switch daemon?.running {
            case true?: "none confirmed yet: the actuator has neither confirmed a count nor failed since the daemon started"
            case false?: "none confirmed: the actuator had neither confirmed a count nor failed when the daemon stopped "
                + "(the next start applies the desired count)"
            case nil: "none confirmed yet: the actuator has neither confirmed a count nor failed"
            }
            text += line("applied replicas", unconfirmed)
        }
        if let decision = lastDecision {
            text += line("last decision", "\(shown(decision.action)) from \(decision.from) to \(decision.to), "
                + "\(Self.ago(decision.ageSeconds)) (\(shown(decision.at)))")
            text += line("", shown(decision.reason))
        } else {
            text += line("last decision", "none yet")
        }
        if let limit {
            var held = limit.wanted.map { "\($0), held" } ?? "unknown (no usable data), held"
            held += " by \(shown(limit.heldBy)) for \(Self.duration(limit.sinceAgeSeconds))"
            if let left = limit.leftSeconds { held += " (\(Self.duration(left, rounding: .up)) left)" }
            text += line("wanted replicas", held)
            // The reason as the daemon last wrote it: its own time left (`of 1min left`) was true then.
            text += line("", "as last saved: " + shown(limit.reason))
        }
        if let pause {
            var paused = "since \(Self.ago(pause.sinceAgeSeconds)) (\(shown(pause.since))), until "
            if let until = pause.until, let left = pause.leftSeconds {
                paused += "\(shown(until)) (\(Self.duration(left, rounding: .up)) left)"
            } else {
                paused += "resumed"
            }
            paused += pause.replicas.map { ", holding at \($0)" } ?? ", holding the count"
            paused += pause.askedReplicas.map { " (the pause asks for \($0); min_replicas and max_replicas keep it within them)" } ?? ""
            paused += pause.reason.map { ": \(shown($0))" } ?? ""
            text += line("paused", paused)
        }
        if let pauseFileError {
            text += line("pause file", "cannot be read: \(shown(pauseFileError)) (the daemon keeps the pause it last read)")
        }
        var health = source.health
        if let failures = source.consecutiveFailures, failures > 0 {
            health += ", \(failures) failed poll interval\(failures == 1 ? "" : "s") in a row"
        }
        if let read = source.lastGoodRead, let age = source.lastGoodReadAgeSeconds {
            health += ", last good read \(Self.ago(age)) (\(shown(read)))"
        } else if source.consecutiveFailures != nil {
            health += ", no good read since the daemon started"
        } else {
            health += " (not recorded in this state file)"
        }
        text += line("source", health)
        if let error = source.lastError { text += line("", "last error: \(shown(error))") }
        let written = updatedAgeSeconds.map { "\(Self.ago($0)) (\(shown(updatedAt)))" } ?? shown(updatedAt)
        text += line("state file", "\(shown(stateFile)), written \(written)")
        return text
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { preconditionFailure("a StatusReport always encodes") }
        // Valid JSON still: what does not show as itself becomes a \u escape, which a reader decodes back.
        return TextEscaping.defanged(String(decoding: data, as: UTF8.self), notation: .json) + "\n"
    }

    private func line(_ label: String, _ value: String) -> String {
        (label.isEmpty ? "" : label + ":") + String(repeating: " ", count: max(1, 19 - label.count - (label.isEmpty ? 0 : 1)))
            + value + "\n"
    }

    /// `3s ago`, `2min 5s ago`; whole seconds, `0s ago` for less than one; a time a second or more
    /// ahead of this clock is `1min 40s ahead of this clock`, never `0s ago`.
    static func ago(_ seconds: Double) -> String {
        seconds <= -1 ? duration(-seconds) + " ahead of this clock" : duration(seconds) + " ago"
    }

    /// `3s`, `2min 5s`; whole seconds, `0s` for less than one (or for no number), and no more than
    /// the span a file's times may cover (``JSONFileFault/wallTimes``), so no value can trap.
    /// `seconds` in whole seconds: an age rounded down; a time left rounded `.up`, as the log's
    /// `left=` is (a rule 0.4s from its end has `1s` left, not `0s`).
    static func duration(_ seconds: Double, rounding: FloatingPointRoundingRule = .down) -> String {
        let whole = Int64(min(max(0, seconds), JSONFileFault.wallTimes.upperBound).rounded(rounding))
        guard whole >= 1 else { return "0s" }
        return DurationText.format(.seconds(whole))
    }
}

import AutoscaledSystem

/// What the state file holds: the desired count and the last decision, for a restart and for people.
///
/// ```json
/// {"version":1,"desired_replicas":4,"updated_at":"2026-11-29T06:10:00.123Z","updated_at_unix":1795932600.123,
///  "last_decision":{"action":"scale-up","from":3,"to":4,"reason":"…","at":"…","at_unix":1795932600.123},
///  "source":{"consecutive_failures":0,"last_good_read":"…","last_good_read_unix":1795932600.1}}
/// ```
/// Fields added after version 1 was first written (`updated_at_unix`, `applied_replicas`, `actuation_failing`,
/// `source`, `limit`, `seasonal_profile`, `learned_rises`) are optional, so older files still read, and older readers ignore them.
///
/// `applied_replicas` is absent until an actuator (`[actuator] type` other than `none`, not a dry
/// run) confirms a count; a file without it, or with another count than `desired_replicas`,
/// makes the next start apply the desired count again.
public struct StateFile: Codable, Sendable, Equatable {
    public struct Decision: Codable, Sendable, Equatable {
        public var action: String
        public var from: Int
        public var to: Int
        public var reason: String
        public var at: String
        public var atUnix: Double

        enum CodingKeys: String, CodingKey {
            case action, from, to, reason, at
            case atUnix = "at_unix"
        }

        public init(action: String, from: Int, to: Int, reason: String, at: String, atUnix: Double) {
            self.action = action
            self.from = from
            self.to = to
            self.reason = reason
            self.at = at
            self.atUnix = atUnix
        }
    }

    /// How reading the load source went, as of the last write.
    public struct SourceStatus: Codable, Sendable, Equatable {
        /// Failed reads since the last good one (0 when the last read was good).
        public var consecutiveFailures: Int
        /// When the source was last read successfully (ISO-8601 UTC); `nil` when never since start.
        public var lastGoodRead: String?
        public var lastGoodReadUnix: Double?
        /// Why the last read failed, while failing.
        public var lastError: String?
        /// `true` while the daemon counts the source as down; absent otherwise. Down lasts until a
        /// read succeeds, even where `consecutive_failures` is now below a `failure_threshold` a
        /// reload raised, so `status` says what the daemon does, not what the count alone would.
        public var down: Bool?

        enum CodingKeys: String, CodingKey {
            case consecutiveFailures = "consecutive_failures"
            case lastGoodRead = "last_good_read"
            case lastGoodReadUnix = "last_good_read_unix"
            case lastError = "last_error"
            case down
        }

        public init(consecutiveFailures: Int, lastGoodReadUnix: Double?, lastError: String?, down: Bool = false) {
            self.consecutiveFailures = consecutiveFailures
            self.lastGoodRead = lastGoodReadUnix.map(WallClock.iso8601)
            self.lastGoodReadUnix = lastGoodReadUnix
            self.lastError = lastError
            self.down = down ? true : nil
        }
    }

    /// What holds the count away from the policy's wish, as of the last write.
    public struct Limit: Codable, Sendable, Equatable {
        /// The rule's name: `scale_up_cooldown`, `max_replicas`, `pause`, … (``HoldingRule/name``).
        public var heldBy: String
        /// The count the policy wants; `nil` without data to want anything from.
        public var wanted: Int?
        /// The decision's reason, in words.
        public var reason: String
        /// Since when this rule holds (ISO-8601 UTC).
        public var since: String
        public var sinceUnix: Double
        /// When the rule ends by itself (a cooldown), as of the last write.
        public var untilUnix: Double?

        enum CodingKeys: String, CodingKey {
            case heldBy = "held_by"
            case wanted, reason, since
            case sinceUnix = "since_unix"
            case untilUnix = "until_unix"
        }

        public init(heldBy: String, wanted: Int?, reason: String, sinceUnix: Double, untilUnix: Double? = nil) {
            self.heldBy = heldBy
            self.wanted = wanted
            self.reason = reason
            self.since = WallClock.iso8601(sinceUnix)
            self.sinceUnix = sinceUnix
            self.untilUnix = untilUnix
        }
    }

    /// The actuator's latest attempts failed: since when, how many in a row, and the last cause.
    public struct ActuationFailure: Codable, Sendable, Equatable {
        public var since: String
        public var sinceUnix: Double
        public var attempts: Int
        public var cause: String

        enum CodingKeys: String, CodingKey {
            case since, attempts, cause
            case sinceUnix = "since_unix"
        }

        public init(sinceUnix: Double, attempts: Int, cause: String) {
            self.since = WallClock.iso8601(sinceUnix)
            self.sinceUnix = sinceUnix
            self.attempts = attempts
            self.cause = cause
        }
    }

    public static let currentVersion = 1

    public var version: Int
    public var desiredReplicas: Int
    /// The count last confirmed applied, when something applies counts.
    public var appliedReplicas: Int?
    /// Present while the actuator's latest attempts have failed (none since confirmed a count).
    public var actuationFailing: ActuationFailure?
    public var updatedAt: String
    public var updatedAtUnix: Double?
    public var lastDecision: Decision?
    public var source: SourceStatus?
    /// Present while a rule holds the count away from what the policy wants.
    public var limit: Limit?
    /// The recurring peaks learned so far, when `seasonal_periods` is set.
    public var seasonalProfile: Season?
    /// The rises learned so far, when `headroom = learned`.
    public var learnedRises: LearnedRises?

    enum CodingKeys: String, CodingKey {
        case version
        case desiredReplicas = "desired_replicas"
        case appliedReplicas = "applied_replicas"
        case actuationFailing = "actuation_failing"
        case updatedAt = "updated_at"
        case updatedAtUnix = "updated_at_unix"
        case lastDecision = "last_decision"
        case source, limit
        case seasonalProfile = "seasonal_profile"
        case learnedRises = "learned_rises"
    }

    public init(desiredReplicas: Int, updatedAt: String, lastDecision: Decision?) {
        self.version = Self.currentVersion
        self.desiredReplicas = desiredReplicas
        self.updatedAt = updatedAt
        self.lastDecision = lastDecision
    }

    /// A state written at `wallTime` (seconds since the epoch).
    public init(
        desiredReplicas: Int, wallTime: Double, lastDecision: Decision?, source: SourceStatus?, appliedReplicas: Int? = nil,
        limit: Limit? = nil, actuationFailing: ActuationFailure? = nil
    ) {
        self.init(desiredReplicas: desiredReplicas, updatedAt: WallClock.iso8601(wallTime), lastDecision: lastDecision)
        self.updatedAtUnix = wallTime
        self.source = source
        self.appliedReplicas = appliedReplicas
        self.limit = limit
        self.actuationFailing = actuationFailing
    }
}

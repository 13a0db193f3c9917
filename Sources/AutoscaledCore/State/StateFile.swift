/// What the state file holds: the desired count and the last decision, for a restart and for people.
///
/// ```json
/// {"version":1,"desired_replicas":4,"updated_at":"2026-11-29T06:10:00.123Z",
///  "last_decision":{"action":"scale-up","from":3,"to":4,"reason":"…","at":"…","at_unix":1795932600.123}}
/// ```
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

    public static let currentVersion = 1

    public var version: Int
    public var desiredReplicas: Int
    public var updatedAt: String
    public var lastDecision: Decision?

    enum CodingKeys: String, CodingKey {
        case version
        case desiredReplicas = "desired_replicas"
        case updatedAt = "updated_at"
        case lastDecision = "last_decision"
    }

    public init(desiredReplicas: Int, updatedAt: String, lastDecision: Decision?) {
        self.version = Self.currentVersion
        self.desiredReplicas = desiredReplicas
        self.updatedAt = updatedAt
        self.lastDecision = lastDecision
    }
}

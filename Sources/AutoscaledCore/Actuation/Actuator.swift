/// Changes the number of running replicas: the one thing every actuator does.
///
/// `apply` is called by ``ActuationCoordinator`` only, one call at a time, never on the
/// daemon's loop. Returning means the count is applied; throwing means it is not, and the
/// coordinator retries with backoff. An implementation must honour task cancellation (the
/// daemon cancels at shutdown and when `[actuator]` changes) and bound its own duration.
public protocol Actuator: Sendable {
    func apply(_ request: ActuationRequest) async throws(ActuationError) -> ActuationReport
}

/// The kinds of actuator that act, by the name `[actuator] type` and the `actuator=` field give them.
public enum ActuatorKind: String, Sendable, Equatable, CaseIterable {
    case exec, systemd, file
}

/// Which way a request moves the count, relative to the count last confirmed applied.
public enum ActuationDirection: String, Sendable, Equatable {
    case up, down
    /// The same count again: a restart, a changed actuator, or a check for drift.
    case same

    public init(from previous: Int, to replicas: Int) {
        self = replicas > previous ? .up : replicas < previous ? .down : .same
    }
}

/// One actuation: the count to run and where it comes from.
public struct ActuationRequest: Sendable, Equatable {
    /// The desired count.
    public var replicas: Int
    /// The count last confirmed applied; without one, the count the deciding evaluation started from.
    public var previous: Int
    /// The reason of the decision that set `replicas`.
    public var reason: String
    /// The highest instance number an actuator that manages numbered instances must look after:
    /// the largest `max_replicas` seen since start (instances above a lowered limit still get stopped).
    public var maxReplicas: Int

    public init(replicas: Int, previous: Int, reason: String, maxReplicas: Int) {
        self.replicas = replicas
        self.previous = previous
        self.reason = reason
        self.maxReplicas = maxReplicas
    }

    public var direction: ActuationDirection { ActuationDirection(from: previous, to: replicas) }
}

/// What an actuator did, for the `actuate` log line.
public struct ActuationReport: Sendable, Equatable {
    /// `false` when the actuator only checked and found everything in place (a drift check).
    public var changed: Bool
    /// Extra fields for the log line, e.g. `started=` and `stopped=`.
    public var fields: [LogField]

    public init(changed: Bool = true, fields: [LogField] = []) {
        self.changed = changed
        self.fields = fields
    }
}

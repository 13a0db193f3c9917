import AutoscaledBase

/// What the daemon saw at one evaluation, as its history keeps it.
///
/// Loads are kept per server up to ``maxServers`` servers (each as a 32-bit float: 7 significant
/// digits); a larger snapshot is kept as its total and count, so a record never exceeds a few KB.
public struct HistoryRecord: Sendable, Equatable {
    /// The most servers whose loads are kept one by one.
    public static let maxServers = 64

    /// The loads an evaluation saw.
    public enum Loads: Sendable, Equatable {
        /// No usable data (the read failed, was rejected or stale).
        case none
        /// Each server's load, in the order the source listed them.
        case servers([ServerLoad])
        /// The sum of the servers' loads and how many servers there were (more than ``maxServers``).
        case total(load: Double, servers: Int)

        /// What `input` holds, per server or as a total.
        public init(_ input: PolicyInput) {
            guard case let .loads(snapshot) = input else {
                self = .none
                return
            }
            if snapshot.servers.count <= HistoryRecord.maxServers {
                self = .servers(snapshot.servers.map { ServerLoad(name: $0.name, load: Double(Float($0.load))) })
            } else {
                self = .total(load: snapshot.servers.reduce(0) { $0 + $1.load }, servers: snapshot.servers.count)
            }
        }

        /// The total load, or `nil` without data.
        public var totalLoad: Double? {
            switch self {
            case .none: nil
            case let .servers(servers): servers.reduce(0) { $0 + $1.load }
            case let .total(load, _): load
            }
        }
    }

    /// Seconds since the Unix epoch when the source was read.
    public var wallTime: Double
    /// `CLOCK_MONOTONIC` at the same moment (comparable only within one boot).
    public var monotonic: MonotonicInstant
    /// The `poll_interval` in force: the longest the loads are taken to hold without a newer record.
    public var pollInterval: Duration
    /// The count the policy decided.
    public var desired: Int
    /// The count an actuator last confirmed, if any.
    public var applied: Int?
    public var loads: Loads

    public init(
        wallTime: Double, monotonic: MonotonicInstant, pollInterval: Duration, desired: Int, applied: Int?, loads: Loads
    ) {
        self.wallTime = wallTime
        self.monotonic = monotonic
        self.pollInterval = pollInterval
        self.desired = desired
        self.applied = applied
        self.loads = loads
    }
}

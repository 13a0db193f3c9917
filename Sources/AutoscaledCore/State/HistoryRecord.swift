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
        case servers(ServerLoads)
        /// The sum of the servers' loads and how many servers there were (more than ``maxServers``).
        case total(load: Double, servers: Int)

        /// What `input` holds, per server or as a total.
        public init(_ input: PolicyInput) {
            guard case let .loads(snapshot) = input else {
                self = .none
                return
            }
            if snapshot.servers.count <= HistoryRecord.maxServers {
                self = .servers(ServerLoads(snapshot.servers))
            } else {
                self = .total(load: snapshot.servers.reduce(0) { $0 + $1.load }, servers: snapshot.servers.count)
            }
        }

        /// The total load, or `nil` without data.
        public var totalLoad: Double? {
            switch self {
            case .none: nil
            case let .servers(servers): servers.loads.reduce(0) { $0 + Double($1) }
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

extension HistoryRecord {
    /// Servers' loads as a record keeps them: the names (one array, shared by the records a
    /// segment reads under one names frame) and each load as a 32-bit float, 4 bytes a server
    /// where a ``ServerLoad`` takes 24, so a long history is held in little memory.
    public struct ServerLoads: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
        public let names: [String]
        public let loads: [Float]

        /// `loads[i]` is the load of `names[i]`; both have the same count.
        init(names: [String], loads: [Float]) {
            precondition(names.count == loads.count, "one load per name")
            self.names = names
            self.loads = loads
        }

        /// `servers`, each load rounded to a 32-bit float.
        public init(_ servers: some Sequence<ServerLoad>) {
            var names: [String] = []
            var loads: [Float] = []
            for server in servers {
                names.append(server.name)
                loads.append(Float(server.load))
            }
            self.init(names: names, loads: loads)
        }

        public init(arrayLiteral servers: ServerLoad...) {
            self.init(servers)
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { loads.count }

        public subscript(position: Int) -> ServerLoad {
            ServerLoad(name: names[position], load: Double(loads[position]))
        }
    }
}

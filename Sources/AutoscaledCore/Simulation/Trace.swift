/// A recorded load trace: equal-width bins of whole seconds, starting at `start`.
///
/// Two kinds, told apart by the CSV header (see ``TraceParser``):
/// - offered load (`t_seconds,requests[,…]`): requests that arrived in each bin;
/// - per-server loads (`t_seconds,NAME1,NAME2,…`): each server's load in each bin, or no value
///   where the server was absent.
public struct Trace: Sendable, Equatable {
    /// What the trace records.
    public enum Series: Sendable, Equatable {
        /// Requests that arrived in each bin (a count, not a rate).
        case offeredLoad(requests: [Double])
        /// Each server's load per bin, bin-major: `loads[bin * names.count + server]`;
        /// `nil` where the server was absent in that bin.
        case serverLoads(names: [String], loads: [Double?])
    }

    /// `t_seconds` of the first bin.
    public var start: Int
    /// The width of every bin, in seconds (≥ 1).
    public var binSeconds: Int
    public var series: Series

    public init(start: Int, binSeconds: Int, series: Series) {
        self.start = start
        self.binSeconds = binSeconds
        self.series = series
    }

    /// The number of bins.
    public var binCount: Int {
        switch series {
        case let .offeredLoad(requests): requests.count
        case let .serverLoads(names, loads): names.isEmpty ? 0 : loads.count / names.count
        }
    }

    /// The time the trace covers, in seconds: every bin, the last one whole.
    public var spanSeconds: Int { binCount * binSeconds }

    /// All requests of an offered-load trace; `nil` for per-server loads.
    public var totalRequests: Double? {
        guard case let .offeredLoad(requests) = series else { return nil }
        return requests.reduce(0, +)
    }
}

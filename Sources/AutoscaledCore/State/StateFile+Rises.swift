import AutoscaledBase

/// The learned headroom's rises as the state file keeps them, so that a restart neither sizes from
/// the few rises seen since it nor holds the count while the rises are learned anew:
///
/// ```json
/// "learned_rises":{"horizon_ms":70000,"at_unix_ms":[1795932000000,1795932010000,…],"rises":[0,87.5,…]}
/// ```
/// `rises[i]` is how far the total load rose within `horizon_ms` (`replica_startup` and a poll)
/// after the tick at `at_unix_ms[i]`, oldest first. At most one per poll of `headroom_window`.
/// With `seasonal_periods`, each is what was left beyond the recurring rise, and the fields
/// `"seasonal_periods_ms":[300000,3600000],"seasonal_confirmations":2` say against which.
extension StateFile {
    public struct LearnedRises: Codable, Sendable, Equatable {
        public var horizonMilliseconds: Int64
        public var atUnixMilliseconds: [Int64]
        public var rises: [Double]
        /// The `seasonal_periods` the rises are beyond, in milliseconds; absent when none.
        public var seasonalPeriodsMilliseconds: [Int64]?
        /// Their `seasonal_confirmations`; absent when none.
        public var seasonalConfirmations: Int?

        enum CodingKeys: String, CodingKey {
            case horizonMilliseconds = "horizon_ms"
            case atUnixMilliseconds = "at_unix_ms"
            case rises
            case seasonalPeriodsMilliseconds = "seasonal_periods_ms"
            case seasonalConfirmations = "seasonal_confirmations"
        }

        public init(horizonMilliseconds: Int64, atUnixMilliseconds: [Int64], rises: [Double],
                    seasonalPeriodsMilliseconds: [Int64]? = nil, seasonalConfirmations: Int? = nil) {
            self.horizonMilliseconds = horizonMilliseconds
            self.atUnixMilliseconds = atUnixMilliseconds
            self.rises = rises
            self.seasonalPeriodsMilliseconds = seasonalPeriodsMilliseconds
            self.seasonalConfirmations = seasonalConfirmations
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            horizonMilliseconds = try container.decodeWhole(Int64.self, forKey: .horizonMilliseconds)
            atUnixMilliseconds = try container.decodeWholes(Int64.self, forKey: .atUnixMilliseconds)
            rises = try container.decode([Double].self, forKey: .rises)
            seasonalPeriodsMilliseconds = try container.decodeWholesIfPresent(Int64.self, forKey: .seasonalPeriodsMilliseconds)
            seasonalConfirmations = try container.decodeWholeIfPresent(Int.self, forKey: .seasonalConfirmations)
        }

        /// The saved form of `memory`'s rises, or `nil` when it has none.
        public init?(_ memory: PolicyMemory) {
            guard let saved = memory.savedRises else { return nil }
            horizonMilliseconds = saved.measure.horizon.wholeMilliseconds
            atUnixMilliseconds = saved.rises.map(\.at)
            rises = saved.rises.map { ($0.rise * 1000).rounded() / 1000 }
            if !saved.measure.seasonalPeriods.isEmpty {
                seasonalPeriodsMilliseconds = saved.measure.seasonalPeriods.milliseconds
                seasonalConfirmations = saved.measure.confirmations
            }
        }

        /// The rises saved here, checked, or why they cannot be used.
        public func checked() -> Result<PolicyMemory.SavedRises, RisesError> {
            guard horizonMilliseconds > 0 else {
                return .failure(RisesError(problem: "horizon_ms \(horizonMilliseconds) is not above 0"))
            }
            guard atUnixMilliseconds.count == rises.count else {
                return .failure(RisesError(problem: "\(atUnixMilliseconds.count) times for \(rises.count) rises"))
            }
            guard rises.count <= Headroom.maxWindowTicks + 2 else {
                return .failure(RisesError(problem: "\(rises.count) rises, more than a headroom_window can hold"))
            }
            if let bad = rises.first(where: { !$0.isFinite || $0 < 0 || $0 > LoadSnapshot.maxLoad }) {
                return .failure(RisesError(problem: "a rise of \(DecimalText.format(bad)), not a load from 0 to \(LoadSnapshot.maxLoadText)"))
            }
            let times = 0...Int64(TraceParser.maxTimestamp) * 1000
            if let bad = atUnixMilliseconds.first(where: { !times.contains($0) }) {
                return .failure(RisesError(problem: "at_unix_ms \(bad) is not a time from 0 to \(times.upperBound) (1970 to the year 33658)"))
            }
            if let index = atUnixMilliseconds.indices.dropFirst().first(where: { atUnixMilliseconds[$0] <= atUnixMilliseconds[$0 - 1] }) {
                return .failure(RisesError(problem: "at_unix_ms \(atUnixMilliseconds[index]) is not after the one before it"))
            }
            let periods = seasonalPeriodsMilliseconds ?? []
            let range = PolicyConfig.seasonalPeriodRange
            guard periods.count <= PolicyConfig.maxSeasonalPeriods else {
                return .failure(RisesError(problem: "\(periods.count) seasonal_periods_ms, more than \(PolicyConfig.maxSeasonalPeriods)"))
            }
            if let bad = periods.first(where: { !range.contains(.milliseconds($0)) }) {
                return .failure(RisesError(problem: "seasonal_periods_ms \(bad) is not from \(range.lowerBound.wholeMilliseconds) "
                    + "to \(range.upperBound.wholeMilliseconds)"))
            }
            let confirmations = seasonalConfirmations ?? 0
            guard periods.isEmpty ? confirmations == 0 : (1...PolicyConfig.maxSeasonalConfirmations).contains(confirmations) else {
                return .failure(RisesError(problem: "seasonal_confirmations \(confirmations) does not go with "
                    + "\(periods.count) seasonal_periods_ms"))
            }
            let measure = Headroom.RiseMeasure(horizon: .milliseconds(horizonMilliseconds),
                                               seasonalPeriods: SeasonalPeriods(periods.map { .milliseconds($0) }),
                                               confirmations: confirmations)
            return .success(PolicyMemory.SavedRises(measure: measure,
                                                    rises: zip(atUnixMilliseconds, rises).map { .init(at: $0, rise: $1) }))
        }
    }

    /// Why saved rises are not used.
    public struct RisesError: Error, Equatable, CustomStringConvertible {
        public var problem: String
        public var description: String { "learned_rises: \(problem)" }
    }
}

import AutoscaledBase

/// The seasonal profile as the state file keeps it, so that a restart keeps the recurring peaks
/// learned so far:
///
/// ```json
/// "seasonal_profile":{"confirmations":2,"periods":[{"period_ms":3600000,"bucket_ms":30000,
///   "latest_bucket":59832000,"peaks":[null,512,498,…,4013]}]}
/// ```
/// Bucket `n` of a period covers `[n × bucket_ms, (n + 1) × bucket_ms)` after the Unix epoch; `peaks`
/// holds the ring's buckets oldest first, the last one being `latest_bucket`, `null` where nothing
/// was seen. At most 120 × (confirmations + 1) numbers per period, 360 at the default.
extension StateFile {
    public struct Season: Codable, Sendable, Equatable {
        public struct Period: Codable, Sendable, Equatable {
            public var periodMilliseconds: Int64
            public var bucketMilliseconds: Int64
            public var latestBucket: Int64
            public var peaks: [Double?]

            enum CodingKeys: String, CodingKey {
                case periodMilliseconds = "period_ms"
                case bucketMilliseconds = "bucket_ms"
                case latestBucket = "latest_bucket"
                case peaks
            }

            public init(periodMilliseconds: Int64, bucketMilliseconds: Int64, latestBucket: Int64, peaks: [Double?]) {
                self.periodMilliseconds = periodMilliseconds
                self.bucketMilliseconds = bucketMilliseconds
                self.latestBucket = latestBucket
                self.peaks = peaks
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                periodMilliseconds = try container.decodeWhole(Int64.self, forKey: .periodMilliseconds)
                bucketMilliseconds = try container.decodeWhole(Int64.self, forKey: .bucketMilliseconds)
                latestBucket = try container.decodeWhole(Int64.self, forKey: .latestBucket)
                peaks = try container.decode([Double?].self, forKey: .peaks)
            }
        }

        public var confirmations: Int
        public var periods: [Period]

        enum CodingKeys: String, CodingKey {
            case confirmations, periods
        }

        public init(confirmations: Int, periods: [Period]) {
            self.confirmations = confirmations
            self.periods = periods
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            confirmations = try container.decodeWhole(Int.self, forKey: .confirmations)
            periods = try container.decode([Period].self, forKey: .periods)
        }

        /// The saved form of `profile` (periods that saw nothing yet are left out).
        public init(_ profile: SeasonalProfile) {
            confirmations = profile.confirmations
            periods = profile.periods.compactMap { period in
                period.latest.map { latest in
                    Period(periodMilliseconds: period.length, bucketMilliseconds: period.bucket, latestBucket: latest,
                           peaks: period.savedPeaks.map { $0.map { ($0 * 1000).rounded() / 1000 } })
                }
            }
        }

        /// The profile saved here, or why it cannot be used.
        public func profile() -> Result<SeasonalProfile, SeasonError> {
            guard (1...PolicyConfig.maxSeasonalConfirmations).contains(confirmations) else {
                return .failure(SeasonError(problem: "confirmations \(confirmations) is not from 1 to \(PolicyConfig.maxSeasonalConfirmations)"))
            }
            var restored: [SeasonalProfile.Period] = []
            for saved in periods {
                guard PolicyConfig.seasonalPeriodRange.contains(.milliseconds(saved.periodMilliseconds)) else {
                    return .failure(SeasonError(problem: "period_ms \(saved.periodMilliseconds) is not a period this autoscaled keeps"))
                }
                let empty = SeasonalProfile.Period(length: saved.periodMilliseconds, confirmations: confirmations)
                let slots = empty.peaks.count
                guard saved.bucketMilliseconds == empty.bucket else {
                    return .failure(SeasonError(problem: "period_ms \(saved.periodMilliseconds) has bucket_ms \(saved.bucketMilliseconds), "
                        + "not \(empty.bucket)"))
                }
                let buckets = 0...Int64(TraceParser.maxTimestamp) * 1000 / saved.bucketMilliseconds
                guard buckets.contains(saved.latestBucket) else {
                    return .failure(SeasonError(problem: "period_ms \(saved.periodMilliseconds) has latest_bucket \(saved.latestBucket), "
                        + "not one from 0 to \(buckets.upperBound) (1970 to the year 33658)"))
                }
                guard saved.peaks.count <= slots, !saved.peaks.isEmpty else {
                    return .failure(SeasonError(problem: "period_ms \(saved.periodMilliseconds) has \(saved.peaks.count) peaks, "
                        + "not 1 to \(slots)"))
                }
                if let bad = saved.peaks.compactMap({ $0 }).first(where: { !$0.isFinite || $0 < 0 || $0 > LoadSnapshot.maxLoad }) {
                    return .failure(SeasonError(problem: "period_ms \(saved.periodMilliseconds) has a peak of \(DecimalText.format(bad)), "
                        + "not a load from 0 to \(LoadSnapshot.maxLoadText)"))
                }
                restored.append(SeasonalProfile.Period(length: saved.periodMilliseconds, confirmations: confirmations,
                                                       latest: saved.latestBucket, savedPeaks: saved.peaks))
            }
            return .success(SeasonalProfile(restoring: restored, confirmations: confirmations))
        }
    }

    /// Why a saved seasonal profile is not used.
    public struct SeasonError: Error, Equatable, CustomStringConvertible {
        public var problem: String
        public var description: String { "seasonal_profile: \(problem)" }
    }
}

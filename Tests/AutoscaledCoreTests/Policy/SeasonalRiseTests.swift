@testable import AutoscaledCore
import Testing

/// ``SeasonalProfile/expectedRise(at:ahead:tick:)``, the recurring rise `headroom = learned` gives
/// room for: per period, the lowest of the rises from this phase to `ahead` later in each of the
/// last `confirmations` periods; the highest of the periods; none where a phase was not seen; and
/// only periods long enough to be read the same by every evaluation of a tick.
struct SeasonalRiseTests {
    typealias Expectation = SeasonalProfile.Expectation

    /// A profile of `periods` (seconds) fed one total per 10 s tick from `from` up to `to` seconds.
    static func profile(_ periods: [Int64], from: Int = 0, to: Int, skipping: Set<Int> = [],
                        load: (Int) -> Double) -> SeasonalProfile {
        var profile = SeasonalProfile(periods: periods.map { $0 * 1000 }, confirmations: 2)
        for second in stride(from: from, to: to, by: 10) where !skipping.contains(second) {
            profile.record(load(second), at: Int64(second) * 1000)
        }
        return profile
    }

    /// The rise expected at `second` within 1min 10s (a 1-minute `replica_startup` and a 10 s tick).
    static func rise(_ profile: SeasonalProfile, at second: Int, ahead: Int64 = 70) -> Expectation? {
        profile.expectedRise(at: Int64(second) * 1000, ahead: ahead * 1000, tick: 10_000)
    }

    @Test("a spike at the same phase of each of the last 2 periods is expected to rise by the lesser of its two rises")
    func lowestOfTheConfirmations() {
        // 100, and 500 at 2 min into the first 5 minutes, 400 into the second: rises of 400 and 300.
        let profile = Self.profile([300], to: 600) { second in
            second == 120 ? 500 : second == 420 ? 400 : 100
        }
        // From 50 s to 2 min into the third period the spike is within 1min 10s.
        #expect(Self.rise(profile, at: 650) == .init(load: 300, period: 300_000))
        #expect(Self.rise(profile, at: 710) == .init(load: 300, period: 300_000))
        #expect(Self.rise(profile, at: 720) == .init(load: 0, period: 300_000), "at the spike itself nothing is left to rise")
        #expect(Self.rise(profile, at: 640) == .init(load: 0, period: 300_000), "the spike is 1min 20s away")
    }

    @Test("a period that never saw this phase in one of the last periods expects nothing")
    func unseenPhaseExpectsNothing() {
        // The first period's tick at 50 s was never recorded (the daemon was down): the rise from
        // it is unknown, so the period says nothing there, though the second saw a rise.
        let gap = Self.profile([300], to: 600, skipping: [50]) { $0 % 300 == 120 ? 500 : 100 }
        #expect(Self.rise(gap, at: 650) == nil)
        #expect(Self.rise(gap, at: 660) == .init(load: 400, period: 300_000), "both periods saw 60 s")
        // Started at 200 s: no period before the second one saw 50 s at all.
        let late = Self.profile([300], from: 200, to: 600) { $0 % 300 == 120 ? 500 : 100 }
        #expect(Self.rise(late, at: 650) == nil)
        // A second period that saw every phase still answers for the profile.
        let both = Self.profile([300, 600], to: 1200, skipping: [950]) { $0 % 300 == 120 ? 500 : 100 }
        #expect(Self.rise(both, at: 1250) == .init(load: 400, period: 600_000), "5 minutes reads 950 s, 10 minutes does not")
    }

    @Test("of two periods, the one that expects the higher rise is given room for")
    func highestPeriodWins() {
        // 100; at 2 min into every 5 minutes 300, and 900 when that is 2 min into every 10 minutes.
        let load = { (second: Int) -> Double in
            second % 600 == 120 ? 900 : second % 300 == 120 ? 300 : 100
        }
        // 5 minutes saw rises of 800 and 200 (lowest 200); 10 minutes 800 twice.
        let expectation = Expectation(load: 800, period: 600_000)
        #expect(Self.rise(Self.profile([300, 600], to: 1230, load: load), at: 1250) == expectation)
        #expect(Self.rise(Self.profile([600, 300], to: 1230, load: load), at: 1250) == expectation)
        #expect(Self.rise(Self.profile([300], to: 1230, load: load), at: 1250) == .init(load: 200, period: 300_000))
    }

    @Test("a period shorter than the rise's horizon, two ticks and a bucket is not read")
    func shortPeriodNotRead() {
        // 100, and 500 at 30 s into every minute.
        let profile = Self.profile([60], to: 600) { $0 % 60 == 30 ? 500 : 100 }
        // 1 minute spans 20 s, two ticks and a 10 s bucket: read.
        #expect(Self.rise(profile, at: 610, ahead: 20) == .init(load: 400, period: 60_000))
        // It does not span 1min 10s, two ticks and a bucket: not read, though it saw the spike.
        #expect(Self.rise(profile, at: 600) == nil)
        // At the bound: 1min 40s spans 1min 10s, 20 s and 10 s exactly; 1 ms less does not.
        let reads = { (length: Int64, ahead: Int64) in
            SeasonalProfile.readsForLearnedRise(period: .init(length: length, confirmations: 2), ahead: ahead, tick: 10_000)
        }
        #expect(reads(100_000, 70_000))
        #expect(!reads(99_999, 70_000))
        // A long period's bucket is longer: 1h (30 s buckets) is read for rises within 59min 10s at most.
        #expect(reads(3_600_000, 3_550_000))
        #expect(!reads(3_600_000, 3_550_001))
    }
}

import AutoscaledBase
import AutoscaledCore
import Testing

struct RewriteRaceTests {
    static let start = MonotonicInstant(sinceOrigin: .seconds(100))
    static let bound: Duration = .seconds(2)
    static let bad = RewriteRace.Read.whole(Array("[source]\npath = \n".utf8))
    static let prefix = RewriteRace.Read.whole(Array("[source]\n".utf8))
    static let empty = RewriteRace.Read.whole([])

    static func at(_ milliseconds: Int) -> MonotonicInstant {
        start + .milliseconds(milliseconds)
    }

    @Test("a bad file is told at its second read, when it reads the same, never at its first; found again later, at once")
    func sameBytesTwice() {
        var race = RewriteRace()
        #expect(race.failed(read: Self.bad, now: Self.at(0), bound: Self.bound) == .readAgain)
        #expect(race.failed(read: Self.bad, now: Self.at(50), bound: Self.bound) == .report)
        // Told, and found again later: nothing new about a write, told at once.
        #expect(race.failed(read: Self.bad, now: Self.at(5000), bound: Self.bound) == .report)
        // Something else after it is a first failure: read again, and its bound counts from there.
        #expect(race.failed(read: Self.empty, now: Self.at(6000), bound: Self.bound) == .readAgain)
        #expect(race.failed(read: Self.empty, now: Self.at(7950), bound: Self.bound) == .readAgain)
        // A file that cannot be read, twice for the same reason: told too.
        var unreadable = RewriteRace()
        #expect(unreadable.failed(read: .refused("no such file"), now: Self.at(0), bound: Self.bound) == .readAgain)
        #expect(unreadable.failed(read: .refused("no such file"), now: Self.at(50), bound: Self.bound) == .report)
    }

    @Test("reads that fail on something else each time (a file rewritten meanwhile) are read again, until the bound")
    func otherBytesEachTime() {
        var race = RewriteRace()
        // Each read met a rewrite somewhere else: empty, then a prefix, then moved away, then empty.
        #expect(race.failed(read: Self.empty, now: Self.at(0), bound: Self.bound) == .readAgain)
        #expect(race.failed(read: Self.prefix, now: Self.at(50), bound: Self.bound) == .readAgain)
        #expect(race.failed(read: .refused("no such file"), now: Self.at(100), bound: Self.bound) == .readAgain)
        #expect(race.failed(read: Self.empty, now: Self.at(150), bound: Self.bound) == .readAgain)
        #expect(race.failed(read: Self.bad, now: Self.at(2000), bound: Self.bound) == .report)
    }

    @Test("an empty file, or one that changed while it was read, is read again until the bound, however often; then every failure is told")
    func emptyOrChangingUntilTheBound() {
        for read in [Self.empty, RewriteRace.Read.changing] {
            var race = RewriteRace()
            for milliseconds in stride(from: 0, to: 2000, by: 50) {
                #expect(race.failed(read: read, now: Self.at(milliseconds), bound: Self.bound) == .readAgain)
            }
            #expect(race.failed(read: read, now: Self.at(2000), bound: Self.bound) == .report)
            // From then on every failure is told, whatever it found, until a read succeeds.
            #expect(race.failed(read: read, now: Self.at(2050), bound: Self.bound) == .report)
            #expect(race.failed(read: Self.prefix, now: Self.at(2100), bound: Self.bound) == .report)
            race.succeeded()
            #expect(race.failed(read: read, now: Self.at(2150), bound: Self.bound) == .readAgain)
        }
    }

    @Test("a read that succeeds in between makes the next failure a first one")
    func successResets() {
        var race = RewriteRace()
        #expect(race.failed(read: Self.bad, now: Self.at(0), bound: Self.bound) == .readAgain)
        race.succeeded()
        #expect(race.failed(read: Self.bad, now: Self.at(1990), bound: Self.bound) == .readAgain)
        // The bound counts from that first failure, not from the one before the success.
        #expect(race.failed(read: Self.empty, now: Self.at(2100), bound: Self.bound) == .readAgain)
    }
}

@testable import AutoscaledBase
import AutoscaledCore
@testable import AutoscaledSystem
import Testing

struct WriteGateTests {
    static let t0 = MonotonicInstant.origin + .seconds(100)
    static func at(_ milliseconds: Int) -> MonotonicInstant { t0 + .milliseconds(milliseconds) }
    static func writing(since milliseconds: Int, count: Int = 1) -> WriteActivity {
        WriteActivity(modifications: count, lastModified: at(milliseconds))
    }

    @Test("no write in progress: read")
    func idle() {
        var gate = WriteGate(bound: .seconds(2), waitsForClose: true)
        #expect(gate.check(WriteActivity(modifications: 7), now: Self.at(0)) == .read)
    }

    @Test("a line file being written waits for the close however long it is idle, then the bound makes it a failure")
    func waitsForClose() {
        var gate = WriteGate(bound: .seconds(2), waitsForClose: true)
        #expect(gate.check(Self.writing(since: 0), now: Self.at(100)) == .wait)
        #expect(gate.check(Self.writing(since: 0), now: Self.at(1_900)) == .wait)
        #expect(gate.check(Self.writing(since: 0), now: Self.at(2_100)) == .overdue(.seconds(2)))
        #expect(gate.check(Self.writing(since: 0), now: Self.at(2_600)) == .overdue(.milliseconds(2_500)))
        // Closed: read, and the bound starts afresh with the next write.
        #expect(gate.check(WriteActivity(modifications: 2), now: Self.at(2_700)) == .read)
        #expect(gate.check(Self.writing(since: 2_800, count: 3), now: Self.at(2_900)) == .wait)
    }

    @Test("a JSON file idle for the settle time is read; one written again before it is ever idle that long fails after the bound")
    func settles() {
        var gate = WriteGate(bound: .seconds(2), waitsForClose: false)
        #expect(gate.check(Self.writing(since: 0), now: Self.at(999)) == .wait)
        #expect(gate.check(Self.writing(since: 0), now: Self.at(1_000)) == .read)
        var last = 0
        var verdicts: [WriteGate.Verdict] = []
        for now in stride(from: 1_100, through: 4_000, by: 200) {
            if now % 500 == 100 { last = now - 50 }
            verdicts.append(gate.check(Self.writing(since: last), now: Self.at(now)))
        }
        #expect(verdicts.prefix(10).allSatisfy { $0 == .wait })
        #expect(verdicts.dropFirst(10).allSatisfy { if case .overdue = $0 { true } else { false } })
    }

    @Test("reads whose data was dropped count towards the same bound")
    func putOff() {
        var gate = WriteGate(bound: .seconds(2), waitsForClose: false)
        #expect(gate.putOff(now: Self.at(0)) == .wait)
        #expect(gate.check(Self.writing(since: 900), now: Self.at(1_000)) == .wait)
        #expect(gate.putOff(now: Self.at(2_000)) == .overdue(.seconds(2)))
    }

    @Test("the bound: three poll intervals, never under twice the settle time", arguments: [
        (Duration.milliseconds(10), Duration.seconds(2)), (.seconds(1), .seconds(3)), (.seconds(10), .seconds(30)),
    ])
    func bound(poll: Duration, expected: Duration) {
        #expect(WriteGate.bound(pollInterval: poll) == expected)
    }
}

@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct DaemonWakeupsTests {
    @Test("work posted while the loop is busy coalesces into one wake-up; a stop is never lost")
    func coalesces() async {
        let wakeups = DaemonWakeups()
        for _ in 0..<100 { wakeups.post { $0.poll = true } }
        wakeups.post { $0.stop = .terminate }
        wakeups.post { $0.reload = true }
        var iterator = wakeups.stream.makeAsyncIterator()
        #expect(await iterator.next() != nil)
        let work = wakeups.take()
        #expect(work.poll && work.reload && work.stop == .terminate)
        #expect(wakeups.take().isEmpty)
    }
}

import Glibc
import Testing

@testable import AutoscaledSystem

struct MonotonicMicrosecondsTests {
    @Test("microseconds never go backwards")
    func neverBackwards() {
        var previous = monotonicMicroseconds()
        for _ in 0..<1_000 {
            let next = monotonicMicroseconds()
            #expect(next >= previous)
            previous = next
        }
    }

    @Test("it reads CLOCK_MONOTONIC, not the wall clock")
    func matchesClockMonotonic() {
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        let reading = monotonicMicroseconds()
        var after = timespec()
        clock_gettime(CLOCK_MONOTONIC, &after)
        let low = UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1_000
        let high = UInt64(after.tv_sec) * 1_000_000 + UInt64(after.tv_nsec) / 1_000
        #expect((low...high).contains(reading))
    }
}

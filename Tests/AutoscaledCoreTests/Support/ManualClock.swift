@testable import AutoscaledBase
import AutoscaledCore
@testable import AutoscaledSystem

/// A monotonic clock that only moves when a test says so.
final class ManualClock: MonotonicClock {
    private let current: Locked<MonotonicInstant>

    init(_ start: MonotonicInstant = .origin) {
        current = Locked(start)
    }

    func now() -> MonotonicInstant {
        current.withLock { $0 }
    }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0 + duration }
    }
}

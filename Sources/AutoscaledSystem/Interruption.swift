import Synchronization

/// A switch, turned once, that ends the socket waits under way and every one after: a daemon told
/// to stop does not wait out a slow peer's `read_timeout` first. A wait sees it within
/// ``checkIntervalMilliseconds``.
public final class Interruption: Sendable {
    /// How long a wait goes at most between two looks at the switch.
    public static let checkIntervalMilliseconds: Int32 = 50

    private let interrupted = Atomic<Bool>(false)

    public init() {}

    /// Turns the switch: waits end with ``SocketError/interrupted(call:subject:)``.
    public func interrupt() {
        interrupted.store(true, ordering: .releasing)
    }

    public var isInterrupted: Bool { interrupted.load(ordering: .acquiring) }
}

import Synchronization

/// What ends the socket waits under way before their timeouts: a stop, turned once, ends them and
/// every one after (a daemon told to stop does not wait out a slow peer's `read_timeout` first); a
/// reload ends only the waits under way when it comes (the reloaded source is read at once, not
/// after the old one's read). A wait sees either within ``checkIntervalMilliseconds``.
public final class Interruption: Sendable {
    /// Why a wait was cut short.
    public enum Cause: Sendable, Equatable {
        case stop
        case reload
    }

    /// How long a wait goes at most between two looks at the switch.
    public static let checkIntervalMilliseconds: Int32 = 50

    private let stopped = Atomic<Bool>(false)
    private let reloads = Atomic<UInt64>(0)

    public init() {}

    /// Turns the stop switch: every wait, under way or to come, ends with
    /// ``SocketError/interrupted(call:subject:cause:)``.
    public func interrupt() {
        stopped.store(true, ordering: .releasing)
    }

    /// Ends the waits under way now (those whose ``mark`` was taken before), not the ones after.
    public func cutForReload() {
        reloads.add(1, ordering: .releasing)
    }

    /// Taken when a wait begins, for ``cause(since:)``.
    public var mark: UInt64 { reloads.load(ordering: .acquiring) }

    /// Why a wait that began at `mark` must end now, or `nil` while it may go on.
    public func cause(since mark: UInt64) -> Cause? {
        if stopped.load(ordering: .acquiring) { return .stop }
        return reloads.load(ordering: .acquiring) != mark ? .reload : nil
    }
}

/// Counts consecutive failed reads of the load source and says when it went down or came back up.
///
/// ```
///   healthy ──failure×threshold──▶ down ──success──▶ healthy
/// ```
/// While down, further failures are not worth a warning each: the loop logs them at debug level.
public struct SourceHealth: Sendable, Equatable {
    public enum Transition: Sendable, Equatable {
        case none
        /// The failure that reached the threshold.
        case wentDown
        /// The first success after being down.
        case cameUp(afterFailures: Int)
    }

    /// Failures in a row after which the daemon counts the source as down.
    public static let defaultFailureThreshold = 3

    public var failureThreshold: Int
    public private(set) var consecutiveFailures = 0
    public private(set) var isDown = false

    public init(failureThreshold: Int = defaultFailureThreshold) {
        self.failureThreshold = max(1, failureThreshold)
    }

    public mutating func recordFailure() -> Transition {
        consecutiveFailures += 1
        guard !isDown, consecutiveFailures >= failureThreshold else { return .none }
        isDown = true
        return .wentDown
    }

    public mutating func recordSuccess() -> Transition {
        defer {
            consecutiveFailures = 0
            isDown = false
        }
        return isDown ? .cameUp(afterFailures: consecutiveFailures) : .none
    }
}

import AutoscaledBase
import AutoscaledSystem

/// Decides whether a file may be read now, given the writes in progress, and bounds how long
/// reads are put off.
///
/// ```
///  write in progress? ─no──────────────────────────────▶ read
///        │ yes
///  may it settle (not waitsForClose) and idle ≥ settle? ─yes──▶ read
///        │ no
///  put off for ≥ bound already? ─no──▶ wait      (skipped, said at debug level)
///        │ yes
///        ▼
///     overdue (a failed read: "still being written after …")
/// ```
/// A file that must be closed or renamed into place to be known whole (`waitsForClose`: the line
/// formats and the config, whose every prefix ending on a line boundary reads as valid) is never
/// read just for having settled; a JSON document is whole when it parses, so an idle one is read.
public struct WriteGate: Sendable, Equatable {
    /// How long a write in progress must be idle before a file that may settle is read anyway.
    public static let settleTime: Duration = .seconds(1)

    public var settle: Duration
    public var bound: Duration
    public var waitsForClose: Bool
    /// When the reads began to be put off; `nil` while reads go ahead.
    public private(set) var waitingSince: MonotonicInstant?

    public enum Verdict: Sendable, Equatable {
        case read
        case wait
        /// Put off for this long, at least `bound`.
        case overdue(Duration)
    }

    public init(settle: Duration = settleTime, bound: Duration, waitsForClose: Bool) {
        self.settle = settle
        self.bound = bound
        self.waitsForClose = waitsForClose
    }

    /// The bound for a file checked every `pollInterval`: three intervals, and never less than
    /// twice the settle time (a write must have a chance to settle before it counts as stuck).
    public static func bound(pollInterval: Duration, settle: Duration = settleTime) -> Duration {
        max(pollInterval * 3, settle * 2)
    }

    /// Whether to read now, given `activity`.
    public mutating func check(_ activity: WriteActivity, now: MonotonicInstant) -> Verdict {
        guard let modified = activity.lastModified, waitsForClose || now - modified < settle else {
            waitingSince = nil
            return .read
        }
        return putOff(now: now)
    }

    /// A read was made but its data dropped (the file changed while it was read): put off like a wait.
    public mutating func putOff(now: MonotonicInstant) -> Verdict {
        let since = waitingSince ?? now
        waitingSince = since
        return now - since >= bound ? .overdue(now - since) : .wait
    }
}

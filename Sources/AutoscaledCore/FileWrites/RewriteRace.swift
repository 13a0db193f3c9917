import AutoscaledBase

/// Tells a file that failed to read because it was read in the middle of a write in place from one
/// that is bad. `cp` and `>` truncate a file, then write it: a read in between fails on a file that
/// is whole a moment later. A busy host can hold the reader up for any time between the read and a
/// look at the file's change time or events, so no sign of a write can be trusted to come in time;
/// what was read is compared instead:
///
/// ```
///  failed ─▶ found what the failure before it found, and not empty or changing? ─yes──▶ report
///              │ no
///              ▶ failing for ≥ bound already? ─yes──▶ report
///              │ no
///              ▶ read again shortly
/// ```
/// A bad file is told after two reads ``readAgainDelay`` apart, and at once when a later read finds
/// the same again (nothing new about a write). An empty file, which a write held up between its
/// truncation and its first byte leaves, or one that changed while it was read, is read again
/// until the bound has passed; from then on every failure is told until a read succeeds, so a file
/// that never settles is not read every ``readAgainDelay`` for ever.
public struct RewriteRace: Sendable {
    /// How long to wait before reading a file that failed again.
    public static let readAgainDelay: Duration = .milliseconds(50)

    /// What a read that failed found.
    public enum Read: Sendable, Equatable {
        /// The file, read whole (its bytes failed to parse).
        case whole([UInt8])
        /// It could not be read, or what was read was refused, for this reason (which names what
        /// was at fault: the same reason twice is the same file).
        case refused(String)
        /// It changed while it was read: a write met halfway, never the same twice.
        case changing

        /// Whether a second read that finds the same tells nothing new about a write.
        var settles: Bool {
            switch self {
            case let .whole(bytes): !bytes.isEmpty
            case .refused: true
            case .changing: false
            }
        }
    }

    /// What the failure before found.
    private var previous: Read?
    /// When the reads that are still to be told began to fail; `nil` when none is.
    private var since: MonotonicInstant?
    /// The reads have failed for the bound: every failure is told until a read succeeds.
    private var overdue = false

    public enum Verdict: Sendable, Equatable {
        case readAgain
        case report
    }

    public init() {}

    /// A read that found `read` failed `now`; reads that fail for `bound` are reported, whatever
    /// they found.
    public mutating func failed(read: Read, now: MonotonicInstant, bound: Duration) -> Verdict {
        defer { previous = read }
        if overdue || (previous == read && read.settles) {
            since = nil
            return .report
        }
        let begun = since ?? now
        guard now - begun < bound else {
            overdue = true
            since = nil
            return .report
        }
        since = begun
        return .readAgain
    }

    /// A read succeeded: the next failure is a first one.
    public mutating func succeeded() {
        self = RewriteRace()
    }
}

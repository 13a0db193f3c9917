import AutoscaledBase

/// Tells a file that failed to read because it was read in the middle of a write in place from one
/// that is bad. `cp` and `>` truncate a file, then write it: a read in between fails on a file that
/// is whole a moment later. A busy host can hold the reader up for any time between the read and a
/// look at the file's change time or events, so no sign of a write can be trusted to come in time;
/// what was read is compared instead:
///
/// ```
///  failed ─▶ read what the failure before it read, and not empty or changing? ─yes──▶ report
///              │ no
///              ▶ failing for ≥ bound already? ─yes──▶ report
///              │ no
///              ▶ read again shortly
/// ```
/// A bad file is told after two reads ``readAgainDelay`` apart; an empty one, which a write held up
/// between its truncation and its first byte leaves, or one that changed while it was read, only
/// once the bound has passed.
public struct RewriteRace: Sendable {
    /// How long to wait before reading a file that failed again.
    public static let readAgainDelay: Duration = .milliseconds(50)

    /// What a read that failed found.
    public enum Read: Sendable, Equatable {
        /// The file, read whole (its bytes failed to parse).
        case whole([UInt8])
        /// It could not be read, for this reason.
        case unreadable(String)
        /// It changed while it was read: a write met halfway, never the same twice.
        case changing

        /// Whether a second read that finds the same tells nothing new about a write.
        var settles: Bool {
            switch self {
            case let .whole(bytes): !bytes.isEmpty
            case .unreadable: true
            case .changing: false
            }
        }
    }

    /// What the failure before found.
    private var previous: Read?
    /// When the failures began.
    private var since: MonotonicInstant?

    public enum Verdict: Sendable, Equatable {
        case readAgain
        case report
    }

    public init() {}

    /// A read that found `read` failed `now`; reads that fail for `bound` are reported, whatever
    /// they found.
    public mutating func failed(read: Read, now: MonotonicInstant, bound: Duration) -> Verdict {
        let repeated = previous == read && read.settles
        let begun = since ?? now
        guard !repeated, now - begun < bound else {
            self = RewriteRace()
            return .report
        }
        previous = read
        since = begun
        return .readAgain
    }

    /// A read succeeded: the next failure is a first one.
    public mutating func succeeded() {
        self = RewriteRace()
    }
}

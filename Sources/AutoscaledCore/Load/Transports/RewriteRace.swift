import AutoscaledBase

/// Tells a file that failed to read because it was read in the middle of a write in place from one
/// that is bad. `cp` and `>` truncate a file, then write it: a read in between fails on a file that
/// is whole a moment later. A busy host can hold the reader up for any time between the read and a
/// look at the file's change time or events, so no sign of a write can be trusted to come in time;
/// what was read is compared instead:
///
/// ```
///  failed ─▶ the same bytes as the failure before it, not empty? ─yes──▶ report
///              │ no
///              ▶ failing for ≥ bound already? ─yes──▶ report
///              │ no
///              ▶ read again shortly
/// ```
/// A bad file is told after two reads ``readAgainDelay`` apart; an empty one, which a write held up
/// between its truncation and its first byte leaves, only once the bound has passed.
public struct RewriteRace: Sendable {
    /// How long to wait before reading a file that failed again.
    public static let readAgainDelay: Duration = .milliseconds(50)

    /// The failure before, and what it read (`nil` when the file could not be read at all).
    private var previous: [UInt8]??
    /// When the failures began.
    private var since: MonotonicInstant?

    public enum Verdict: Sendable, Equatable {
        case readAgain
        case report
    }

    public init() {}

    /// A read of `bytes` (`nil` when the file could not be read) failed `now`; reads that fail
    /// for `bound` are reported, whatever they read.
    public mutating func failed(read bytes: [UInt8]?, now: MonotonicInstant, bound: Duration) -> Verdict {
        let repeated = previous.map { $0 == bytes && bytes?.isEmpty != true } ?? false
        let begun = since ?? now
        guard !repeated, now - begun < bound else {
            self = RewriteRace()
            return .report
        }
        previous = .some(bytes)
        since = begun
        return .readAgain
    }

    /// A read succeeded: the next failure is a first one.
    public mutating func succeeded() {
        self = RewriteRace()
    }
}

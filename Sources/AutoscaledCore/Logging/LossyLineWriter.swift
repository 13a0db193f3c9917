import AutoscaledSystem

/// Writes whole lines through a writer that never blocks, dropping the lines that do not fit.
///
/// ```
///  line ─▶ rest of an earlier line pending? ──yes, still blocked──▶ dropped (counted)
///               │ no (or now finished)
///               ▼
///          lines dropped earlier? ──▶ the report line first (`event=log-dropped lines=N`)
///               ▼
///          the line: all written ─▶ done;  part written ─▶ the rest is pending (finished first,
///                                                         before anything else, so no line is
///                                                         ever cut);  nothing ─▶ dropped
/// ```
/// A value type holding no descriptor: the caller passes the attempt function each time, so the
/// rules are tested with a scripted writer.
public struct LossyLineWriter: Sendable {
    /// Lines dropped since the start.
    public private(set) var droppedTotal = 0
    /// Lines dropped and not yet reported.
    public private(set) var unreported = 0
    /// The unwritten end of a line the writer took only part of.
    public private(set) var pending: [UInt8] = []

    public init() {}

    /// Writes `line` (which ends in a newline) unless that would block.
    /// - Parameters:
    ///   - report: the line (ending in a newline) that says how many lines were dropped; `nil` when
    ///     none is wanted now (the count is kept for a later report).
    ///   - attempt: one non-blocking write of the bytes given.
    public mutating func write(
        _ line: [UInt8], report: (Int) -> [UInt8]?, attempt: (UnsafeRawBufferPointer) -> WriteAttempt
    ) {
        if !pending.isEmpty {
            let rest = pending
            pending = []
            switch send(rest, attempt) {
            case .whole: break
            case .partial: return drop()
            case .nothing:
                pending = rest
                return drop()
            }
        }
        if unreported > 0, let text = report(unreported) {
            switch send(text, attempt) {
            case .whole: unreported = 0
            case .partial:
                unreported = 0
                return drop()
            case .nothing: return drop()
            }
        }
        if send(line, attempt) == .nothing { drop() }
    }

    private mutating func drop() {
        droppedTotal += 1
        unreported += 1
    }

    private enum Sent { case whole, partial, nothing }

    /// Writes as much of `bytes` as goes without blocking; a part left over becomes ``pending``.
    private mutating func send(_ bytes: [UInt8], _ attempt: (UnsafeRawBufferPointer) -> WriteAttempt) -> Sent {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { attempt(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            switch result {
            case let .wrote(count) where count > 0:
                offset += count
            case .wrote, .wouldBlock:
                guard offset > 0 else { return .nothing }
                pending = Array(bytes[offset...])
                return .partial
            case .failed:
                // Nothing more of this line can be written (a reader that is gone reads no more):
                // a line cut here is never finished, and the line counts as lost.
                return .nothing
            }
        }
        return .whole
    }
}

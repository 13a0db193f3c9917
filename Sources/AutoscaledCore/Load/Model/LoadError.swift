import AutoscaledBase


/// Why a load source's read was rejected. The whole snapshot is rejected, never a part of it.
public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not in the expected format; `line` is 1-based.
    case syntax(line: Int, message: String)
    /// The data holds no server at all.
    case noServers
    /// The file holds no byte: a file truncated by a write in place (`>`, `cp`) that has not
    /// written yet reads so, as does one that was never written.
    case emptyFile
    /// A server name is empty, too long or not printable; `line` is where the data gives it, if known.
    case invalidName(String, reason: String, line: Int? = nil)
    /// A server's load is not a finite number from 0 to ``LoadSnapshot/maxLoad``; `value` is the
    /// load as written, `line` where the data gives it, if known.
    case invalidLoad(server: String, value: String, reason: String, line: Int? = nil)
    /// The same server name appears twice; `line` is that of the second, if known.
    /// `otherSpelling`: the name as first given, when its bytes differ from this one's (`é` as one
    /// code point and as `e` and a combining accent): Unicode holds them equal, and so do the
    /// names of servers.
    case duplicateServer(String, line: Int? = nil, otherSpelling: String? = nil)
    /// The data is larger than the cap.
    case tooLarge(limit: Int, response: Bool = false)
    /// The data is older than `stale_after`.
    case stale(ageSeconds: Double, limitSeconds: Double)
    /// The data's modification time is ahead of the wall clock (by more than ``LoadReader/futureTolerance``):
    /// its age is unknown, so with `stale_after` it counts as stale.
    case modifiedInFuture(aheadSeconds: Double)
    /// A write to the file has been in progress (modified, not yet closed or renamed into place)
    /// for this long, and reads were put off all that time.
    case stillBeingWritten(seconds: Double)
    /// Reading the data failed (open, read, connect, …).
    case unreadable(String)
    /// The file changed while it was read (its size or times differ before and after, or it held
    /// another size than it said): a write met halfway, never the same twice.
    case changedWhileRead(String)
    /// The read was cut short because the daemon is stopping: it says nothing of the source.
    case interrupted(String)
    /// The data is well formed but holds nothing the selection asks for (no such metric or backend).
    case notFound(String)

    /// ``stillBeingWritten(seconds:)`` for a write that has gone on for `duration`, to the millisecond.
    public static func stillBeingWritten(after duration: Duration) -> LoadError {
        let (seconds, attoseconds) = duration.components
        return .stillBeingWritten(seconds: Double(seconds) + Double(attoseconds / 1_000_000_000_000_000) / 1000)
    }

    public var description: String {
        switch self {
        case let .syntax(line, message): "line \(line): \(message)"
        case .noServers: "no servers in the data"
        case .emptyFile: "the file is empty"
        case let .invalidName(name, reason, line): "\(prefix(line))invalid server name \(SyntaxQuoting.name(name)): \(reason)"
        case let .invalidLoad(server, value, reason, line): "\(prefix(line))server \(SyntaxQuoting.name(server)): load \(value) is \(reason)"
        case let .duplicateServer(name, line, nil): "\(prefix(line))server \(SyntaxQuoting.name(name)) appears more than once"
        case let .duplicateServer(name, line, other?):
            "\(prefix(line))server \(SyntaxQuoting.name(name)) appears more than once, spelled \(Self.codePoints(other)) and "
                + "\(Self.codePoints(name)), which Unicode holds to be the same text"
        case let .tooLarge(limit, response):
            response ? "response larger than the \(limit)-byte max_response_bytes (all of it counts: an HTTP response's head too)"
                : "data larger than the \(limit)-byte limit"
        case let .stale(age, limit): "data is \(formatSeconds(age)) old, older than stale_after \(formatSeconds(limit))"
        case let .modifiedInFuture(ahead):
            "modification time is \(formatSeconds(ahead)) in the future, so its age is unknown (counted as stale)"
        case let .stillBeingWritten(seconds):
            "still being written after \(formatSeconds(seconds)) (modified, not yet closed or renamed into place)"
        case let .unreadable(message), let .changedWhileRead(message), let .interrupted(message): message
        case let .notFound(message): message
        }
    }
}

extension LoadError {
    /// `U+0301`, as a message names a character.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `U+0065 U+0301`: each character of `text`, the first 12 (then `…`).
    static func codePoints(_ text: String) -> String {
        let shown = text.unicodeScalars.prefix(12).map(codePoint).joined(separator: " ")
        return text.unicodeScalars.count > 12 ? shown + " …" : shown
    }
}

/// `line N: `, as a syntax error starts, or nothing when the line is not known.
private func prefix(_ line: Int?) -> String {
    line.map { "line \($0): " } ?? ""
}

/// Seconds through the one log number formatter, which stays total on any age a file's
/// modification time can give (an mtime near the 64-bit limits is beyond `Int`).
/// Seconds to the millisecond (`3.804s`, never `3.8040000000000003s`).
/// From a minute on, a duration as the config writes one (`1h`, `20791d 11h 7min 39s 252ms`).
func formatSeconds(_ seconds: Double) -> String {
    let rounded = (seconds * 1000).rounded() / 1000
    // From a minute on, as durations are written everywhere else (`1h 5min`, `20791d 6h`), not
    // as a count of seconds; beyond what a Duration holds, as a number.
    guard rounded >= 60, rounded < 9e18 else { return DecimalText.format(rounded) + "s" }
    let whole = rounded.rounded(.down)
    return DurationText.format(.seconds(Int64(whole)) + .milliseconds(Int64(((rounded - whole) * 1000).rounded())))
}

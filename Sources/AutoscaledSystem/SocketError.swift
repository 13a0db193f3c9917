import AutoscaledBase

/// Why a socket exchange failed: a system call's error, a deadline passed, or too much data.
///
/// Shapes: `connect(/run/haproxy.sock): connection refused (errno 111)`,
/// `read(127.0.0.1:9100): timed out after 2s`, `read(127.0.0.1:9100): more than 16777216 bytes`.
public enum SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    case system(SystemError)
    /// `call` (`connect` or `read`) did not finish within `after`.
    case timedOut(call: String, subject: String, after: Duration)
    /// The peer sent more than `limit` bytes.
    case tooLarge(subject: String, limit: Int)
    /// A Unix socket's path names something else (`found`: "a regular file", "a directory").
    case notASocket(subject: String, found: String)
    /// `call` was cut short by an ``Interruption``: the daemon is stopping, or reloading.
    case interrupted(call: String, subject: String, cause: Interruption.Cause)

    public var description: String { description(omitting: nil) }

    /// The description without the subject when it is `named`, for a message that already names it
    /// (`127.0.0.1:9100: read: timed out after 2s`); with any other subject, whole.
    public func description(omitting named: String?) -> String {
        switch self {
        case let .system(error): error.description(omitting: named)
        case let .timedOut(call, subject, after):
            "\(Self.target(call, subject, omitting: named)): timed out after \(DurationText.format(after))"
        case let .tooLarge(subject, limit): "\(Self.target("read", subject, omitting: named)): more than \(limit) bytes"
        case let .notASocket(subject, found): "\(Self.target("connect", subject, omitting: named)): \(found), not a socket"
        case let .interrupted(call, subject, cause):
            "\(Self.target(call, subject, omitting: named)): cut short, as the daemon is "
                + (cause == .stop ? "stopping" : "reloading (its source is read again once the config is)")
        }
    }

    private static func target(_ call: String, _ subject: String, omitting named: String?) -> String {
        subject == named ? call : "\(call)(\(subject))"
    }
}

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

    public var description: String {
        switch self {
        case let .system(error): error.description
        case let .timedOut(call, subject, after): "\(call)(\(subject)): timed out after \(DurationText.format(after))"
        case let .tooLarge(subject, limit): "read(\(subject)): more than \(limit) bytes"
        }
    }
}

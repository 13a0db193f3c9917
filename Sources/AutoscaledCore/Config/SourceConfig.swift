/// `[source]`: where loads come from and how often they are read.
public struct SourceConfig: Sendable, Equatable {
    /// Where the loads are read from.
    public enum Kind: Sendable, Equatable {
        /// A file at an absolute path (relative paths are resolved against the config's directory).
        case file(path: String)
        /// A Unix socket: connect, send `request` (if any), read until the peer closes.
        case unix(path: String, request: String?, limits: SocketLimits)
        /// The same over TCP to a loopback address.
        case tcp(address: LoopbackAddress, request: String?, limits: SocketLimits)
        /// An HTTP/1.1 `GET` of a loopback URL.
        case http(url: LoopbackURL, limits: SocketLimits)
    }

    public var kind: Kind
    public var format: LoadFormat
    /// How often the source is read even without a change notification. Always at least
    /// ``minimumPollInterval``.
    public var pollInterval: Duration
    /// A snapshot older than this is not acted on; `nil` means never stale (`stale_after = 0`).
    public var staleAfter: Duration?
    /// Consecutive failed reads after which the source counts as down. Always >= 1.
    public var failureThreshold: Int

    /// The shortest `poll_interval`: a shorter one keeps a processor busy polling (the release build
    /// uses 4.4 % of a core at 10ms) and buys no reaction time, which a change notification already
    /// gives a load file.
    public static let minimumPollInterval: Duration = .milliseconds(10)

    public init(kind: Kind, format: LoadFormat, pollInterval: Duration, staleAfter: Duration?, failureThreshold: Int) {
        self.kind = kind
        self.format = format
        self.pollInterval = pollInterval
        self.staleAfter = staleAfter
        self.failureThreshold = failureThreshold
    }
}

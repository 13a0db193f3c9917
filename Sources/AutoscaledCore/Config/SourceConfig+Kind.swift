extension SourceConfig.Kind {
    /// The `type =` name: `file`, `unix`, `tcp` or `http`.
    public var typeName: String {
        switch self {
        case .file: "file"
        case .unix: "unix"
        case .tcp: "tcp"
        case .http: "http"
        }
    }

    /// The bytes sent after connecting (`request =`), for the socket types that take one.
    public var request: String? {
        switch self {
        case let .unix(_, request, _), let .tcp(_, request, _): request
        case .file, .http: nil
        }
    }

    /// Timeouts and size cap, for the types that read a socket.
    public var limits: SocketLimits? {
        switch self {
        case .file: nil
        case let .unix(_, _, limits), let .tcp(_, _, limits), let .http(_, limits): limits
        }
    }
}

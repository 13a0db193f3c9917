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

extension SourceConfig {
    /// Builds the `[source]` of a config from values that passed every check.
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        let staleAfter = (try? values.duration(.staleAfter)) ?? .zero
        self.init(
            kind: try Self.kind(values),
            format: try Self.format(values),
            pollInterval: try values.duration(.pollInterval),
            staleAfter: staleAfter == .zero ? nil : staleAfter,
            failureThreshold: try values.integer(.failureThreshold))
    }

    private static func kind(_ values: ParsedValues) throws(ParsedValues.Missing) -> Kind {
        let type = try values.string(.sourceType)
        if type == "file" { return .file(path: try values.string(.sourcePath)) }
        let limits = SocketLimits(
            connectTimeout: try values.duration(.connectTimeout), readTimeout: try values.duration(.readTimeout),
            maxResponseBytes: try values.integer(.maxResponseBytes))
        let request = try values.optional(.sourceRequest, values.string).map { (text: String) throws(ParsedValues.Missing) in
            guard let decoded = try? RequestText.decode(text) else { throw ParsedValues.Missing(key: .sourceRequest) }
            return decoded
        }
        switch type {
        case "unix":
            return .unix(path: try values.string(.sourcePath), request: request, limits: limits)
        case "tcp":
            guard let address = try? LoopbackAddress.parse(try values.string(.sourceAddress)) else {
                throw ParsedValues.Missing(key: .sourceAddress)
            }
            return .tcp(address: address, request: request, limits: limits)
        case "http":
            guard let url = try? LoopbackURL.parse(try values.string(.sourceURL)) else {
                throw ParsedValues.Missing(key: .sourceURL)
            }
            return .http(url: url, limits: limits)
        default:
            throw ParsedValues.Missing(key: .sourceType)
        }
    }

    private static func format(_ values: ParsedValues) throws(ParsedValues.Missing) -> LoadFormat {
        switch try values.choice(.sourceFormat, LoadFormat.Name.init(rawValue:)) {
        case .json: return .json
        case .lines: return .lines
        case .prometheus:
            let labelMatch = try values.optional(.labelMatch, values.string).map { (text: String) throws(ParsedValues.Missing) in
                guard let matchers = try? LabelMatcher.parseList(text) else { throw ParsedValues.Missing(key: .labelMatch) }
                return matchers
            }
            return .prometheus(PrometheusSelection(
                metric: try values.string(.metric), serverLabel: try values.optional(.serverLabel, values.string),
                labelMatch: labelMatch ?? []))
        case .haproxy:
            return .haproxy(HAProxySelection(
                backend: try values.string(.backend), field: .init(name: try values.string(.field))))
        }
    }
}

import AutoscaledSystem

/// Builds the load source a `[source]` section describes; a socket source's reads end early once
/// `interruption` is turned.
@Sendable
public func makeLoadSource(_ config: SourceConfig, interruption: Interruption? = nil) -> any LoadSource {
    switch config.kind {
    case let .file(path):
        FileLoadSource(path: path, format: config.format)
    case let .unix(path, request, limits):
        SocketLoadSource(address: .unix(path: path), request: Array((request ?? "").utf8), limits: limits,
                         format: config.format, interruption: interruption)
    case let .tcp(address, request, limits):
        SocketLoadSource(address: address.socketAddress, request: Array((request ?? "").utf8), limits: limits,
                         format: config.format, interruption: interruption)
    case let .http(url, limits):
        HTTPLoadSource(url: url, limits: limits, format: config.format, interruption: interruption)
    }
}

/// The reader (source plus `stale_after`, and the rules for a load file being written) a `[source]`
/// section describes.
/// - Parameter source: the source to read, when not the one `config` describes (tests).
public func makeLoadReader(_ config: SourceConfig, source: (any LoadSource)? = nil) -> LoadReader {
    let gate = WriteGate(bound: WriteGate.bound(pollInterval: config.pollInterval), waitsForClose: config.format.isLineBased)
    return LoadReader(source: source ?? makeLoadSource(config), staleAfter: config.staleAfter, gate: gate)
}

extension SourceConfig {
    /// Where the source reads from, for logs (`source=`): a path, `127.0.0.1:9100` or a URL.
    public var location: String {
        switch kind {
        case let .file(path), let .unix(path, _, _): path
        case let .tcp(address, _, _): address.description
        case let .http(url, _): url.description
        }
    }

    /// The file to watch for changes, when the source is a file.
    public var watchedFile: String? {
        switch kind {
        case let .file(path): path
        case .unix, .tcp, .http: nil
        }
    }
}

/// Builds the load source a `[source]` section describes.
public func makeLoadSource(_ config: SourceConfig) -> any LoadSource {
    switch config.kind {
    case let .file(path):
        FileLoadSource(path: path, format: config.format)
    case let .unix(path, request, limits):
        SocketLoadSource(address: .unix(path: path), request: Array((request ?? "").utf8), limits: limits,
                         format: config.format)
    case let .tcp(address, request, limits):
        SocketLoadSource(address: address.socketAddress, request: Array((request ?? "").utf8), limits: limits,
                         format: config.format)
    case let .http(url, limits):
        HTTPLoadSource(url: url, limits: limits, format: config.format)
    }
}

/// The reader (source plus `stale_after`) a `[source]` section describes.
public func makeLoadReader(_ config: SourceConfig) -> LoadReader {
    LoadReader(source: makeLoadSource(config), staleAfter: config.staleAfter)
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

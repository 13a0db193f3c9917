/// Builds the load source a `[source]` section describes.
public func makeLoadSource(_ config: SourceConfig) -> any LoadSource {
    switch config.kind {
    case let .file(path): FileLoadSource(path: path, format: config.format)
    }
}

/// The reader (source plus `stale_after`) a `[source]` section describes.
public func makeLoadReader(_ config: SourceConfig) -> LoadReader {
    LoadReader(source: makeLoadSource(config), staleAfter: config.staleAfter)
}

extension SourceConfig {
    /// Where the source reads from, for logs (`source=`).
    public var location: String {
        switch kind {
        case let .file(path): path
        }
    }

    /// The file to watch for changes, when the source is a file.
    public var watchedFile: String? {
        switch kind {
        case let .file(path): path
        }
    }
}

/// Turns the bytes a load source read into a validated ``LoadSnapshot``.
public enum LoadParser {
    /// Parses `bytes` in `format`, then validates the servers as one snapshot.
    /// - Parameter source: the server's name when a Prometheus metric without `server_label` is
    ///   one server (the source's location); unused by the other formats.
    /// - Throws: ``LoadError``: `.syntax` for a format fault, else the first validation fault, naming
    ///   its line (and quoting the load as written).
    public static func snapshot(
        from bytes: UnsafeRawBufferPointer, format: LoadFormat, source: String = "source"
    ) throws(LoadError) -> LoadSnapshot {
        let parsed = switch format {
        case .json: try JSONLoadParser.read(bytes)
        case .lines: try LinesLoadParser.read(bytes)
        case let .prometheus(selection): try PrometheusLoadParser.read(bytes, selection: selection, server: source)
        case let .haproxy(selection): try HAProxyStatParser.read(bytes, selection: selection)
        }
        return try LoadSnapshot(parsed)
    }

    /// Parses `bytes` in `format`, then validates the servers as one snapshot.
    /// - Throws: ``LoadError``: `.syntax` for a format fault, else the first validation fault, naming
    ///   its line (and quoting the load as written).
    public static func snapshot(
        from bytes: [UInt8], format: LoadFormat, source: String = "source"
    ) throws(LoadError) -> LoadSnapshot {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(LoadError) in try snapshot(from: buffer, format: format, source: source) }
        }
        return try result.get()
    }
}

/// Turns the bytes a load source read into a validated ``LoadSnapshot``.
///
/// A UTF-8 byte order mark at the start is skipped here, once for every format, as an editor on
/// another system may write one; the format parsers never see it, and lines keep their numbers.
public enum LoadParser {
    /// Parses `bytes` in `format`, then validates the servers as one snapshot.
    /// - Parameter source: the server's name when a Prometheus metric without `server_label` is
    ///   one server (the source's location); unused by the other formats.
    /// - Throws: ``LoadError``: `.syntax` for a format fault, else the first validation fault, naming
    ///   its line (and quoting the load as written).
    public static func snapshot(
        from bytes: UnsafeRawBufferPointer, format: LoadFormat, source: String = "source"
    ) throws(LoadError) -> LoadSnapshot {
        let bytes = withoutByteOrderMark(bytes)
        let parsed = switch format {
        case .json: try JSONLoadParser.read(bytes)
        case .lines: try LinesLoadParser.read(bytes)
        case let .prometheus(selection): try PrometheusLoadParser.read(bytes, selection: selection, server: source)
        case let .haproxy(selection): try HAProxyStatParser.read(bytes, selection: selection)
        }
        return try LoadSnapshot(parsed)
    }

    /// `bytes` past a leading UTF-8 byte order mark (`EF BB BF`), or all of them.
    static func withoutByteOrderMark(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF else { return bytes }
        return UnsafeRawBufferPointer(rebasing: bytes[3...])
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

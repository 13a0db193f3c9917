/// Turns the bytes a load source read into a validated ``LoadSnapshot``.
public enum LoadParser {
    /// Parses `bytes` in `format`, then validates the servers as one snapshot.
    /// - Throws: ``LoadError``: `.syntax` for a format fault, else the first validation fault.
    public static func snapshot(from bytes: UnsafeRawBufferPointer, format: LoadFormat) throws(LoadError) -> LoadSnapshot {
        let servers = switch format {
        case .json: try JSONLoadParser.parse(bytes)
        case .lines: try LinesLoadParser.parse(bytes)
        }
        return try LoadSnapshot(servers: servers)
    }

    /// Parses `bytes` in `format`, then validates the servers as one snapshot.
    /// - Throws: ``LoadError``: `.syntax` for a format fault, else the first validation fault.
    public static func snapshot(from bytes: [UInt8], format: LoadFormat) throws(LoadError) -> LoadSnapshot {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(LoadError) in try snapshot(from: buffer, format: format) }
        }
        return try result.get()
    }
}

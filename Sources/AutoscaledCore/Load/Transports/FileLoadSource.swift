import AutoscaledSystem

/// Reads loads from a file in one of the ``LoadFormat``s.
///
/// The file is read whole with a size cap of ``sizeLimit`` bytes; a file that changes while it is
/// read, is not a regular file, is empty, or does not parse is rejected whole.
public struct FileLoadSource: LoadSource {
    /// The largest load file accepted: 16 MiB.
    public static let sizeLimit = 16 << 20

    public var path: String
    public var format: LoadFormat

    public init(path: String, format: LoadFormat) {
        self.path = path
        self.format = format
    }

    public func read() throws(LoadError) -> LoadReading {
        let contents: RegularFileContents
        do {
            contents = try RegularFile.read(path, limit: Self.sizeLimit)
        } catch {
            // The reader names the path before the error: not said twice.
            switch error {
            case .tooLarge: throw .tooLarge(limit: Self.sizeLimit)
            case .changedWhileReading: throw .changedWhileRead(error.description(omitting: path))
            default: throw .unreadable(error.description(omitting: path))
            }
        }
        // Said as it is, not as the format's way of finding nothing: a write in place begins so.
        guard !contents.bytes.isEmpty else { throw .emptyFile }
        let parsed = contents.bytes.withUnsafeBytes { bytes in
            Result { () throws(LoadError) in try LoadParser.snapshot(from: bytes, format: format, source: path) }
        }
        return LoadReading(snapshot: try parsed.get(), modifiedAt: contents.modifiedAt)
    }
}

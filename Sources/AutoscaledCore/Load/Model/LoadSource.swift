/// Something that gives per-server loads when asked. One read is one whole snapshot or an error.
public protocol LoadSource: Sendable {
    /// Reads and validates one snapshot.
    func read() async throws(LoadError) -> LoadReading
}

/// A snapshot and, when the source knows it, when its data was last changed (wall clock).
public struct LoadReading: Sendable, Equatable {
    public var snapshot: LoadSnapshot
    /// Seconds since the Unix epoch at which the data was written (a file's mtime); `nil` if unknown.
    public var modifiedAt: Double?

    public init(snapshot: LoadSnapshot, modifiedAt: Double?) {
        self.snapshot = snapshot
        self.modifiedAt = modifiedAt
    }
}

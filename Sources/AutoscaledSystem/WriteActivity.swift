import AutoscaledBase

/// What file-change notifications tell of the writes to one file.
public struct WriteActivity: Sendable, Equatable {
    /// Modifications seen so far; a read during which this moved may hold a mix of old and new data.
    public var modifications = 0
    /// The last modification not yet followed by a close after writing or a rename into place:
    /// a write is in progress. `nil` when the file is complete as far as is known.
    public var lastModified: MonotonicInstant?

    public init(modifications: Int = 0, lastModified: MonotonicInstant? = nil) {
        self.modifications = modifications
        self.lastModified = lastModified
    }

    public var writeInProgress: Bool { lastModified != nil }
}

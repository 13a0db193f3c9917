import AutoscaledSystem

/// `[history]`: what the daemon saw at each evaluation, kept in segment files in a directory
/// (see ``HistoryLog``).
public struct HistoryConfig: Sendable, Equatable {
    /// The smallest `max_size`: room for a few segments.
    public static let minimumSize = 1 << 20

    /// `false`: nothing is recorded.
    public var enabled: Bool
    /// The directory of the segment files (absolute).
    public var path: String
    /// Segments whose newest record is older than this are removed.
    public var retention: Duration
    /// The most bytes all segments take together.
    public var maxSize: Int

    public init(enabled: Bool, path: String, retention: Duration, maxSize: Int) {
        self.enabled = enabled
        self.path = path
        self.retention = retention
        self.maxSize = maxSize
    }

    /// `history` beside the state file: `/var/lib/autoscaled/history` for `/var/lib/autoscaled/state.json`.
    public static func defaultPath(statePath: String) -> String {
        let directory = parentDirectory(of: statePath)
        return directory == "/" ? "/history" : directory + "/history"
    }
}

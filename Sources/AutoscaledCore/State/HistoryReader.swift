import AutoscaledSystem

/// Reads back what ``HistoryLog`` wrote, oldest first, while the daemon may still be appending.
public enum HistoryReader {
    /// What a directory of segments holds.
    public struct Contents: Sendable, Equatable {
        /// Every intact record, oldest first.
        public var records: [HistoryRecord]
        /// The segments read.
        public var segments: Int
        /// Segments whose tail was cut short or damaged (a crash during a write); the records
        /// before the damage are kept.
        public var damagedSegments: Int
    }

    /// The largest segment read (far above what ``HistoryLog`` writes).
    static let segmentSizeLimit = 1 << 30

    /// Reads every segment of `directory`.
    /// - Throws: when the directory or a segment cannot be read; a missing directory reads as empty.
    public static func read(_ directory: String) throws(SystemError) -> Contents {
        let folder: Directory
        do {
            folder = try Directory.open(directory)
        } catch {
            if error.isNoSuchFile { return Contents(records: [], segments: 0, damagedSegments: 0) }
            throw error
        }
        defer { folder.close() }
        var contents = Contents(records: [], segments: 0, damagedSegments: 0)
        for file in try folder.regularFiles(where: HistoryLog.isSegmentName) {
            let bytes: [UInt8]
            do {
                let fd = try folder.openForReading(file.name)
                defer { fd.close() }
                bytes = try fd.readToEnd(limit: segmentSizeLimit) ?? []
            } catch {
                // Removed by the daemon's rotation between the listing and the open.
                if error.isNoSuchFile { continue }
                throw error
            }
            let (records, intact) = HistoryCodec.records(in: bytes)
            contents.records += records
            contents.segments += 1
            if !intact { contents.damagedSegments += 1 }
        }
        return contents
    }
}

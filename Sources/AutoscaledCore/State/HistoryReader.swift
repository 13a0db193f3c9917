import AutoscaledSystem

/// Reads back what ``HistoryLog`` wrote, oldest first, while the daemon may still be appending.
public enum HistoryReader {
    /// What a directory of segments holds.
    public struct Contents: Sendable, Equatable {
        /// Every intact record, oldest first.
        public var records: [HistoryRecord]
        /// The segments read.
        public var segments: Int
        /// Segments not read to their end, in order; the records before the damage are kept.
        public var damaged: [Damage]
        /// `false` when there is no directory at the path.
        public var directoryFound = true

        /// How many segments were not read to their end.
        public var damagedSegments: Int { damaged.count }
    }

    /// A segment not read to its end.
    public enum Damage: Sendable, Equatable, CustomStringConvertible {
        /// A record that is cut short or fails its checksum (a crash, or a write in progress, when
        /// it is the last) at byte `at` of `size`; nothing after it is read.
        case torn(segment: String, at: Int, size: Int, recordsBefore: Int)
        /// The segment does not start with ``HistoryCodec/magic`` (another version wrote it, or it
        /// is no segment); `start` is its first bytes as written.
        case otherFormat(segment: String, start: String)
        /// The segment is larger than a segment is read (``HistoryReader/segmentSizeLimit``).
        case tooLarge(segment: String, limit: Int)
        /// An entry named like a segment that is no regular file (`found`: "a directory", "a
        /// symbolic link", …): the daemon never writes one.
        case notAFile(segment: String, found: String)

        public var description: String {
            switch self {
            case let .torn(segment, at, size, before):
                "\(segment): a torn or damaged record at byte \(at) of \(size) (a crash, or a write in progress); "
                    + "the \(before) record\(before == 1 ? "" : "s") before it \(before == 1 ? "is" : "are") used, "
                    + "the \(size - at) bytes from it on are not"
            case let .otherFormat(segment, start):
                "\(segment): not a history segment this version reads (it starts \(start), "
                    + "not \(HistoryReader.shown(HistoryCodec.magic))); skipped"
            case let .tooLarge(segment, limit):
                "\(segment): larger than the \(limit) bytes a segment may have; skipped"
            case let .notAFile(segment, found):
                "\(segment): \(found), not a segment file (the daemon writes only regular files); skipped"
            }
        }
    }

    /// Bytes as written, quoted for a message.
    static func shown(_ bytes: some Collection<UInt8>) -> String {
        Array(bytes).withUnsafeBytes { SyntaxQuoting.text($0, from: 0, to: $0.count) }
    }

    /// The largest segment read (far above what ``HistoryLog`` writes).
    public static let segmentSizeLimit = 1 << 30

    /// Reads every segment of `directory`; a segment larger than `sizeLimit` is skipped and told.
    /// - Throws: when the directory or a segment cannot be read; a missing directory reads as empty.
    public static func read(_ directory: String, sizeLimit: Int = segmentSizeLimit) throws(SystemError) -> Contents {
        let folder: Directory
        do {
            folder = try Directory.open(directory)
        } catch {
            if error.isNoSuchFile { return Contents(records: [], segments: 0, damaged: [], directoryFound: false) }
            throw error
        }
        defer { folder.close() }
        var contents = Contents(records: [], segments: 0, damaged: [])
        let files = HistoryLog.inOrder(try folder.regularFiles(where: HistoryLog.isSegmentName))
        let regular = Set(files.map(\.name))
        let others = try folder.names().filter { HistoryLog.isSegmentName($0) && !regular.contains($0) }
        for name in others.sorted(by: { HistoryLog.segmentNumber($0)! < HistoryLog.segmentNumber($1)! }) {
            // Gone since the listing (the daemon's rotation): nothing to tell.
            guard let kind = try folder.kind(of: name), kind != .regularFile else { continue }
            contents.damaged.append(.notAFile(segment: name, found: kind.description))
        }
        for file in files {
            let bytes: [UInt8]
            do {
                let fd = try folder.openForReading(file.name)
                defer { fd.close() }
                guard let read = try fd.readToEnd(limit: sizeLimit) else {
                    contents.segments += 1
                    contents.damaged.append(.tooLarge(segment: file.name, limit: sizeLimit))
                    continue
                }
                bytes = read
            } catch {
                // Removed by the daemon's rotation between the listing and the open.
                if error.isNoSuchFile { continue }
                throw error
            }
            let (records, intact, read) = HistoryCodec.records(in: bytes)
            contents.records += records
            contents.segments += 1
            if intact { continue }
            if read == 0, !HistoryCodec.magic.starts(with: bytes) {
                contents.damaged.append(.otherFormat(segment: file.name, start: shown(bytes.prefix(HistoryCodec.magic.count))))
            } else {
                contents.damaged.append(.torn(segment: file.name, at: read, size: bytes.count, recordsBefore: records.count))
            }
        }
        return contents
    }
}

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

        /// How many segments were not read whole (one may have records skipped and a torn tail).
        public var damagedSegments: Int { Set(damaged.map(\.segment)).count }
    }

    /// A segment not read to its end.
    public enum Damage: Sendable, Equatable, CustomStringConvertible {
        /// A record at byte `at` of `size` that is cut short (a crash, or a write in progress, when
        /// it is the last) or damaged with no whole record where its length leads; nothing after it
        /// is read.
        case torn(segment: String, at: Int, size: Int, recordsBefore: Int)
        /// `records` damaged records skipped, the first at byte `first` of `size`, each followed by a
        /// whole one; and `unattributed` per-server records after a skipped one that may have
        /// named their servers, not used.
        case skipped(segment: String, records: Int, first: Int, size: Int, unattributed: Int)
        /// The segment does not start with ``HistoryCodec/magic`` (another version wrote it, or it
        /// is no segment); `start` is its first bytes as written.
        case otherFormat(segment: String, start: String)
        /// The segment is larger than a segment is read (``HistoryReader/segmentSizeLimit``).
        case tooLarge(segment: String, limit: Int)
        /// A segment that cannot be opened or read (`reason`: the call and its errno).
        case unreadable(segment: String, reason: String)
        /// An entry named like a segment that is no regular file (`found`: "a directory", "a
        /// symbolic link", …): the daemon never writes one.
        case notAFile(segment: String, found: String)

        /// The segment's file name.
        public var segment: String {
            switch self {
            case let .torn(segment, _, _, _), let .skipped(segment, _, _, _, _), let .otherFormat(segment, _),
                 let .tooLarge(segment, _), let .unreadable(segment, _), let .notAFile(segment, _):
                segment
            }
        }

        public var description: String {
            switch self {
            case let .torn(segment, at, size, before):
                "\(segment): a torn or damaged record at byte \(at) of \(size) (cut short by a crash or a write in "
                    + "progress, or its length is damaged); "
                    + "the \(before) record\(before == 1 ? "" : "s") before it \(before == 1 ? "is" : "are") used, "
                    + (size - at == 1 ? "the 1 byte from it on is not" : "the \(size - at) bytes from it on are not")
            case let .skipped(segment, records, first, size, unattributed):
                "\(segment): \(records == 1 ? "a damaged record" : "\(records) damaged records") skipped (the first at "
                    + "byte \(first) of \(size): it fails its checksum or holds what the daemon never writes); the records "
                    + "around \(records == 1 ? "it" : "them") are used"
                    + (unattributed == 0 ? "" : ", but for \(unattributed) record\(unattributed == 1 ? "" : "s") of each "
                        + "server's load after a damaged one that may have named the servers (whose loads they are is not known)")
            case let .otherFormat(segment, start):
                "\(segment): not a history segment this version reads (it starts \(start), "
                    + "not \(HistoryReader.shown(HistoryCodec.magic))); skipped"
            case let .tooLarge(segment, limit):
                "\(segment): larger than the \(limit) bytes a segment may have; skipped"
            case let .unreadable(segment, reason):
                "\(segment): cannot be read (\(reason)); skipped"
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

    /// Reads every segment of `directory`; a segment larger than `sizeLimit`, or one that cannot be
    /// opened or read, is skipped and told.
    /// - Throws: when the directory cannot be read; a missing directory reads as empty.
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
                // Another segment's records are worth as much without this one: told, not fatal.
                contents.segments += 1
                contents.damaged.append(.unreadable(segment: file.name, reason: error.description(omitting: error.subject)))
                continue
            }
            let decoded = HistoryCodec.records(in: bytes)
            contents.records += decoded.records
            contents.segments += 1
            if let first = decoded.skipped.first {
                contents.damaged.append(.skipped(segment: file.name, records: decoded.skipped.count, first: first, size: bytes.count,
                                                 unattributed: decoded.unattributed))
            }
            guard decoded.read < bytes.count else { continue }
            if decoded.read == 0, !HistoryCodec.magic.starts(with: bytes) {
                contents.damaged.append(.otherFormat(segment: file.name, start: shown(bytes.prefix(HistoryCodec.magic.count))))
            } else {
                contents.damaged.append(.torn(segment: file.name, at: decoded.read, size: bytes.count,
                                              recordsBefore: decoded.records.count))
            }
        }
        return contents
    }
}

import AutoscaledBase
import AutoscaledSystem

/// Appends what the daemon saw at each evaluation to segment files in a directory, within a size
/// and an age bound.
///
/// ```
/// history/00000001.log  00000002.log  …  0000000N.log   (N: the one being appended to)
///          oldest ─────────────────────────▶ newest
/// ```
/// A number is 8 digits at least: after `99999999.log` comes `100000000.log`, and segments are
/// ordered by number, not by name.
/// - Each ``append(_:now:)`` is one `write(2)` of whole frames (see ``HistoryCodec``), with no
///   `fsync`: a crash loses at most the records the kernel had not written back, and a torn last
///   frame is skipped by ``HistoryReader``.
/// - A new segment starts at the first append after the log is opened (an old tail is never
///   appended to), when the current one would pass ``segmentLimit`` or is older than
///   ``segmentAge``, and after a failed write. The segment closed is `fsync`ed. A segment whose
///   first write fails (a full disk) is removed, so failures never leave a file each.
/// - Before each append the open segment is checked to be still the file its name in the
///   directory names, and as long as what was written to it: one removed (alone or with the
///   directory, even `rm -rf`), moved away, replaced or truncated is left, told in ``lost``, and a
///   new segment starts (the directory re-created as at start), so records never go on into a file
///   no reader can find or read. A new segment takes the number after the highest of any entry
///   named like a segment (a directory of that name too), so its name is always free.
/// - When a segment starts, closed segments last written longer ago than `retention` are
///   removed, then the oldest go until all of them and a full new one fit in `max_size`: the
///   size bound holds whatever the write rate.
///
/// Used by the daemon's loop only (not thread-safe).
public final class HistoryLog {
    /// Where the segments are.
    public let directory: String
    /// The most bytes one segment holds: an eighth of `max_size`.
    public let segmentLimit: Int
    /// The longest a segment is appended to: an eighth of `retention`, so old records go in steps of it.
    public let segmentAge: Duration
    private let config: HistoryConfig
    private var segment: Segment?
    private var buffer: [UInt8] = []
    /// The segment the last ``append(_:now:)`` found no longer in place, and why; `nil` when it
    /// found it in place or had none open.
    public private(set) var lost: Loss?

    /// A segment left because it was no longer the file its name in the directory names, or no
    /// longer held what was written to it.
    public struct Loss: Sendable, Equatable, CustomStringConvertible {
        /// The segment's name, e.g. `00000003.log`.
        public var segment: String
        /// Where the open file stood against its path.
        public var placement: FilePlacement
        /// In place but shorter than what was written to it (`: > segment`, a copy-and-truncate
        /// rotation).
        public var truncated: Truncation?

        /// A segment's size when found shorter than the bytes written to it.
        public struct Truncation: Sendable, Equatable {
            public var size: Int
            public var written: Int
        }

        public init(segment: String, placement: FilePlacement, truncated: Truncation? = nil) {
            self.segment = segment
            self.placement = placement
            self.truncated = truncated
        }

        public var description: String {
            let what = switch placement {
            case .removed: "removed while being appended to (alone or with its directory)"
            case .inPlace:
                truncated.map { "truncated while being appended to (\($0.size) bytes left of the \($0.written) written)" }
                    ?? "removed while being appended to (alone or with its directory)"
            case .moved: "no longer in the directory (it or the directory was moved away)"
            case .replaced: "replaced by another file of its name"
            }
            return "\(what); the records go on in a new segment"
        }
    }

    private struct Segment {
        var fd: FileDescriptor
        var size: Int
        var startedAt: MonotonicInstant
        /// The server names the segment's last names frame gave.
        var names: [String]?
    }

    /// Writes bytes to a segment; replaced in tests to make a write fail.
    typealias Write = (FileDescriptor, UnsafeRawBufferPointer) throws(SystemError) -> Void
    private let write: Write

    public convenience init(config: HistoryConfig) {
        self.init(config: config, write: { fd, bytes throws(SystemError) in try fd.writeAll(bytes) })
    }

    init(config: HistoryConfig, write: @escaping Write) {
        self.write = write
        self.config = config
        directory = config.path
        segmentLimit = config.maxSize / 8
        segmentAge = config.retention / 8
    }

    deinit {
        segment?.fd.close()
    }

    /// `true` for the name of a segment file: 8 to 18 digits and `.log`.
    public static func isSegmentName(_ name: String) -> Bool {
        segmentNumber(name) != nil
    }

    /// The number in a segment's name (8 to 18 digits, then `.log`); `nil` for any other name.
    public static func segmentNumber(_ name: String) -> Int? {
        let utf8 = Array(name.utf8)
        guard (12...22).contains(utf8.count), name.hasSuffix(".log") else { return nil }
        let digits = utf8.dropLast(4)
        guard digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// The name of segment `number`: its digits, padded with zeros to 8.
    public static func segmentName(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".log"
    }

    /// `files` (segments) oldest first: by number.
    public static func inOrder(_ files: [DirectoryFile]) -> [DirectoryFile] {
        files.sorted { (segmentNumber($0.name) ?? 0, $0.name) < (segmentNumber($1.name) ?? 0, $1.name) }
    }

    /// Appends `record`, evaluated at `now`, with one `write(2)`.
    /// - Throws: the failed call; the next append starts a new segment.
    public func append(_ record: HistoryRecord, now: MonotonicInstant) throws(SystemError) {
        lost = nil
        try checkPlacement()
        buffer.removeAll(keepingCapacity: true)
        var names = segment?.names
        HistoryCodec.append(record, names: &names, to: &buffer)
        if let current = segment, current.size + buffer.count > segmentLimit || now - current.startedAt >= segmentAge {
            try closeSegment()
        }
        if segment == nil {
            try startSegment(now: now, wallTime: record.wallTime)
            names = nil
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: HistoryCodec.magic)
            HistoryCodec.append(record, names: &names, to: &buffer)
        }
        guard var current = segment else { return }
        do throws(SystemError) {
            try buffer.withUnsafeBytes { bytes in Result { () throws(SystemError) in try write(current.fd, bytes) } }.get()
        } catch {
            // What reached the file may end in a torn frame: never append after it.
            current.fd.close()
            segment = nil
            // A segment that never took a whole write holds no record: one per failure would pile up.
            if current.size == 0 { removeSegment(current.fd.subject) }
            throw error
        }
        current.size += buffer.count
        current.names = names
        segment = current
    }

    /// `fsync`s and closes the current segment (at stop); the next append starts a new one.
    public func close() throws(SystemError) {
        try closeSegment()
    }

    /// Leaves the open segment, without `fsync`, when its name no longer names it (see ``lost``).
    private func checkPlacement() throws(SystemError) {
        guard let current = segment else { return }
        let placement: FilePlacement
        let size: Int
        do {
            // One fstat for both: where the file stands, and how much of what was written it holds.
            let own = try current.fd.stat()
            placement = try current.fd.placement(of: own, at: current.fd.subject)
            size = Int(own.st_size)
        } catch {
            current.fd.close()
            segment = nil
            throw error
        }
        var truncated: Loss.Truncation?
        if placement == .inPlace {
            guard size < current.size else { return }
            truncated = Loss.Truncation(size: size, written: current.size)
        }
        current.fd.close()
        segment = nil
        lost = Loss(segment: baseName(of: current.fd.subject), placement: placement, truncated: truncated)
    }

    private func closeSegment() throws(SystemError) {
        guard let current = segment else { return }
        segment = nil
        defer { current.fd.close() }
        try current.fd.sync()
    }

    private func startSegment(now: MonotonicInstant, wallTime: Double) throws(SystemError) {
        try AtomicFile.makeDirectories(directory)
        let folder = try Directory.open(directory)
        defer { folder.close() }
        var segments = Self.inOrder(try folder.regularFiles(where: Self.isSegmentName))
        // Past every entry named like a segment, whatever it is: the name is free.
        let number = (try folder.names().compactMap(Self.segmentNumber).max() ?? 0) + 1
        let retention = Double(config.retention.components.seconds)
        while let oldest = segments.first,
              oldest.modifiedAt < wallTime - retention || segments.reduce(0, { $0 + $1.size }) + segmentLimit > config.maxSize {
            try folder.unlink(oldest.name)
            segments.removeFirst()
        }
        let name = Self.segmentName(number)
        let fd = try folder.createForAppending(name, mode: 0o644)
        do throws(SystemError) {
            try folder.sync()
        } catch {
            fd.close()
            try? folder.unlink(name)
            throw error
        }
        segment = Segment(fd: fd, size: 0, startedAt: now, names: nil)
    }

    /// Removes the segment at `path` (best effort: the failure that led here is what is reported).
    private func removeSegment(_ path: String) {
        guard let folder = try? Directory.open(parentDirectory(of: path)) else { return }
        defer { folder.close() }
        try? folder.unlink(baseName(of: path))
    }
}

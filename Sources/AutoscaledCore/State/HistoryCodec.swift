import AutoscaledBase

/// The bytes of a history segment. Pure: records in, bytes out, and back.
///
/// ```
/// segment = magic "ASHIST1\n", then frames
/// frame   = u32 payload length, u32 CRC-32 of the payload, payload        (little-endian)
/// payload = 1 names:  u16 count, count × (u16 length, UTF-8 name)
///         | 2 sample: f64 wall, u64 monotonic ns, u32 poll ms, u32 desired, i32 applied (-1: none),
///                     u8 loads: 0 none | 1 u16 count, count × f32 (in the order of the last names)
///                                      | 2 f64 total, u32 servers
/// ```
/// A names frame precedes the first per-server sample of a segment and every change of the
/// server set. A frame that is cut short, fails its checksum or holds what the daemon never writes
/// (a time before 1970 or past ``TraceParser/maxTimestamp``, a load that is not finite, negative
/// or above ``LoadSnapshot/maxLoad``, a total above that cap times its servers, a server name a
/// source may not report, a name twice) is damage: skipped when its length leads to a whole frame
/// or to the segment's end, else the end of what is read. A write torn by a crash loses that
/// record only, and so does a flipped bit.
public enum HistoryCodec {
    public static let magic: [UInt8] = Array("ASHIST1\n".utf8)
    /// The largest payload read back; a length above it is damage, not a record.
    static let maxPayload = 1 << 20

    private enum Kind: UInt8 {
        case names = 1
        case sample = 2
    }

    /// Appends the frames of `record` to `bytes`; `names` is the server set the segment's last names
    /// frame gave (`nil` at a segment's start), updated when this record writes a new one.
    public static func append(_ record: HistoryRecord, names: inout [String]?, to bytes: inout [UInt8]) {
        if case let .servers(servers) = record.loads, names != servers.names {
            let current = servers.names
            frame(into: &bytes) { payload in
                payload.append(Kind.names.rawValue)
                appendInteger(UInt16(current.count), to: &payload)
                for name in current {
                    appendInteger(UInt16(name.utf8.count), to: &payload)
                    payload.append(contentsOf: name.utf8)
                }
            }
            names = current
        }
        frame(into: &bytes) { payload in
            payload.append(Kind.sample.rawValue)
            appendInteger(record.wallTime.bitPattern, to: &payload)
            let (seconds, attoseconds) = record.monotonic.sinceOrigin.components
            appendInteger(UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000), to: &payload)
            let (pollSeconds, pollAttoseconds) = record.pollInterval.components
            appendInteger(UInt32(clamping: pollSeconds * 1000 + pollAttoseconds / 1_000_000_000_000_000), to: &payload)
            appendInteger(UInt32(clamping: record.desired), to: &payload)
            appendInteger(Int32(clamping: record.applied ?? -1), to: &payload)
            switch record.loads {
            case .none:
                payload.append(0)
            case let .servers(servers):
                payload.append(1)
                appendInteger(UInt16(servers.count), to: &payload)
                for load in servers.loads { appendInteger(load.bitPattern, to: &payload) }
            case let .total(load, count):
                payload.append(2)
                appendInteger(load.bitPattern, to: &payload)
                appendInteger(UInt32(clamping: count), to: &payload)
            }
        }
    }

    /// What one segment's bytes hold.
    public struct Decoded: Sendable, Equatable {
        /// The records read, in the order written.
        public var records: [HistoryRecord] = []
        /// The bytes up to the tail that could not be read (all of them when it is read to its end;
        /// 0 when the segment does not start with ``magic``).
        public var read = 0
        /// Where each frame skipped as damaged starts: failing its checksum, or holding what the
        /// daemon never writes, with a whole frame or the segment's end after it.
        public var skipped: [Int] = []
        /// Per-server records not kept because a skipped frame may have been the list of server
        /// names they refer to.
        public var unattributed = 0
        /// The segment's size.
        public var size = 0

        /// Every byte read as records, nothing skipped.
        public var intact: Bool { read == size && skipped.isEmpty && unattributed == 0 }
    }

    /// The records of one segment's bytes. A frame that cannot be read is skipped when its length
    /// leads to a whole frame (length, checksum and kind) or to the segment's end, as a flipped bit
    /// leaves it; otherwise reading stops there (a write torn by a crash, zeros after a power loss,
    /// a damaged length).
    /// After a skipped frame that was not plainly a sample, the server names are not known until
    /// the next names frame: the per-server samples before it are counted, not kept.
    public static func records(in bytes: [UInt8]) -> Decoded {
        var decoded = Decoded(size: bytes.count)
        guard bytes.starts(with: magic) else {
            decoded.read = 0
            return decoded
        }
        var names: [String]?
        var namesLost = false
        var offset = magic.count
        while offset < bytes.count {
            let end = frameEnd(at: offset, in: bytes)
            if let end, checksumMatches(at: offset, end: end, in: bytes) {
                var payload = ByteReader(bytes, from: offset + 8, to: end)
                switch payload.integer(UInt8.self).flatMap(Kind.init(rawValue:)) {
                case .names?:
                    if let read = readNames(&payload) {
                        (names, namesLost) = (read, false)
                        offset = end
                        continue
                    }
                case .sample?:
                    switch readSample(&payload, names: names) {
                    case let .record(record)?:
                        decoded.records.append(record)
                        offset = end
                        continue
                    case .unnamed? where namesLost:
                        decoded.unattributed += 1
                        offset = end
                        continue
                    case .unnamed?, nil:
                        break
                    }
                case nil:
                    break
                }
            }
            // Damaged: skipped when its length (never 0: zeros are no frame) leads to a whole frame
            // or to the segment's end (a torn write is short of its length), else the tail is lost.
            guard let end, end > offset + 8, end == bytes.count || isWholeFrame(at: end, in: bytes) else { break }
            decoded.skipped.append(offset)
            if !isSampleShaped(bytes, from: offset + 8, to: end) { (names, namesLost) = (nil, true) }
            offset = end
        }
        decoded.read = offset
        return decoded
    }

    /// Where the frame at `offset` ends by its length field, when that is within the bytes and
    /// the largest payload read.
    private static func frameEnd(at offset: Int, in bytes: [UInt8]) -> Int? {
        var header = ByteReader(bytes, from: offset)
        guard let length = header.integer(UInt32.self), Int(length) <= maxPayload, offset + 8 + Int(length) <= bytes.count
        else { return nil }
        return offset + 8 + Int(length)
    }

    private static func checksumMatches(at offset: Int, end: Int, in bytes: [UInt8]) -> Bool {
        var header = ByteReader(bytes, from: offset + 4)
        return header.integer(UInt32.self) == CRC32.checksum(bytes[(offset + 8)..<end])
    }

    /// A frame at `offset` whose length fits, whose checksum matches and whose kind is known (a
    /// run of zeros is none: its length is 0).
    private static func isWholeFrame(at offset: Int, in bytes: [UInt8]) -> Bool {
        guard let end = frameEnd(at: offset, in: bytes), end > offset + 8, Kind(rawValue: bytes[offset + 8]) != nil else {
            return false
        }
        return checksumMatches(at: offset, end: end, in: bytes)
    }

    /// Whether a payload is, by its kind byte and its length, a sample (30 bytes with no data, 42
    /// with a total, 32 + 4 a server with each server's load).
    private static func isSampleShaped(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        let length = end - start
        guard length > 0, bytes[start] == Kind.sample.rawValue else { return false }
        return length == 30 || length == 42 || (length >= 36 && (length - 32) % 4 == 0)
    }

    private static func readNames(_ payload: inout ByteReader) -> [String]? {
        // A snapshot has at least one server and, kept one by one, at most `maxServers`: the daemon
        // never writes an empty set or a larger one.
        guard let count = payload.integer(UInt16.self), count > 0, count <= HistoryRecord.maxServers else { return nil }
        var names: [String] = []
        for _ in 0..<count {
            guard let length = payload.integer(UInt16.self), let name = payload.text(Int(length)),
                  (try? LoadSnapshot.validate(name: name)) != nil else { return nil }
            names.append(name)
        }
        return payload.isAtEnd && Set(names).count == names.count ? names : nil
    }

    /// A sample as read: a record, or a well-formed per-server sample read with no names known.
    private enum Sample {
        case record(HistoryRecord)
        case unnamed
    }

    private static func readSample(_ payload: inout ByteReader, names: [String]?) -> Sample? {
        // From 1970 on, and no later than a trace's t_seconds may be (the year 33658).
        guard let wall = payload.integer(UInt64.self).map(Double.init(bitPattern:)),
              wall >= 0, wall <= Double(TraceParser.maxTimestamp),
              let monotonic = payload.integer(UInt64.self), let pollMillis = payload.integer(UInt32.self),
              let desired = payload.integer(UInt32.self), let applied = payload.integer(Int32.self),
              let kind = payload.integer(UInt8.self)
        else { return nil }
        let loads: HistoryRecord.Loads
        switch kind {
        case 0:
            loads = .none
        case 1:
            guard let count = payload.integer(UInt16.self), count > 0, names.map({ $0.count == Int(count) }) ?? true
            else { return nil }
            var values: [Float] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let load = payload.integer(UInt32.self).map(Float.init(bitPattern:)), isLoad(Double(load))
                else { return nil }
                values.append(load)
            }
            guard let names else { return payload.isAtEnd ? .unnamed : nil }
            // The segment's names array itself: every record under one names frame shares it.
            loads = .servers(HistoryRecord.ServerLoads(names: names, loads: values))
        case 2:
            guard let total = payload.integer(UInt64.self).map(Double.init(bitPattern:)),
                  let count = payload.integer(UInt32.self), isLoad(total, servers: Int(count)) else { return nil }
            loads = .total(load: total, servers: Int(count))
        default:
            return nil
        }
        guard payload.isAtEnd else { return nil }
        return .record(HistoryRecord(
            wallTime: wall, monotonic: MonotonicInstant(sinceOrigin: .nanoseconds(Int64(clamping: monotonic))),
            pollInterval: .milliseconds(Int64(pollMillis)), desired: Int(desired), applied: applied < 0 ? nil : Int(applied),
            loads: loads))
    }

    /// A load the daemon may have recorded, of one server or the total of `servers`: finite, not
    /// negative, and at most ``LoadSnapshot/maxLoad`` for each server it sums.
    private static func isLoad(_ load: Double, servers: Int = 1) -> Bool {
        load.isFinite && load >= 0 && load <= Double(servers) * LoadSnapshot.maxLoad
    }

    /// Appends a frame whose payload `body` writes: the length and checksum are filled in after.
    private static func frame(into bytes: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0])
        body(&bytes)
        let payload = bytes[(start + 8)...]
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { bytes.replaceSubrange(start..<(start + 4), with: $0) }
        withUnsafeBytes(of: CRC32.checksum(payload).littleEndian) { bytes.replaceSubrange((start + 4)..<(start + 8), with: $0) }
    }

    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian integers and UTF-8 text from a byte range, never past its end.
private struct ByteReader {
    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    init(_ bytes: [UInt8], from offset: Int, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    var isAtEnd: Bool { offset == end }

    mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard offset + size <= end else { return nil }
        var value = T.zero
        for index in 0..<size { value |= T(bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    mutating func text(_ length: Int) -> String? {
        guard offset + length <= end else { return nil }
        defer { offset += length }
        return String(validating: bytes[offset..<(offset + length)], as: UTF8.self)
    }
}

/// CRC-32 (IEEE 802.3, as zlib computes it).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

@testable import AutoscaledBase
@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

struct HistoryLogTests {
    static func record(
        at wall: Double, loads: HistoryRecord.Loads = .servers([ServerLoad(name: "a", load: 30), ServerLoad(name: "b", load: 55.5)]),
        desired: Int = 3, applied: Int? = 3
    ) -> HistoryRecord {
        HistoryRecord(
            wallTime: wall, monotonic: MonotonicInstant(sinceOrigin: .seconds(wall - 1_000_000)),
            pollInterval: .seconds(10), desired: desired, applied: applied, loads: loads)
    }

    static func config(
        _ dir: TemporaryDirectory, maxSize: Int = HistoryConfig.defaults.maxSize,
        retention: Duration = HistoryConfig.defaults.retention
    ) -> HistoryConfig {
        modified(HistoryConfig.defaults) { ($0.path, $0.retention, $0.maxSize) = (dir.file("history"), retention, maxSize) }
    }

    /// The files of the history directory, with their sizes.
    static func files(_ dir: TemporaryDirectory) throws -> [DirectoryFile] {
        let folder = try Directory.open(dir.file("history"))
        defer { folder.close() }
        return try folder.regularFiles { _ in true }
    }

    @Test("records read back as written: per-server loads, a changed server set, a total, no data")
    func codecRoundTrip() {
        let records = [
            Self.record(at: 1_000_000),
            Self.record(at: 1_000_010, loads: .servers([ServerLoad(name: "b", load: 0.25)]), applied: nil),
            Self.record(at: 1_000_020, loads: .total(load: 12_345.5, servers: 500), desired: 250),
            Self.record(at: 1_000_030, loads: .none),
            Self.record(at: 1_000_040, loads: .servers([ServerLoad(name: "b", load: 1)])),
        ]
        var bytes = HistoryCodec.magic
        var names: [String]?
        for record in records { HistoryCodec.append(record, names: &names, to: &bytes) }
        let decoded = HistoryCodec.records(in: bytes)
        #expect(decoded.records == records)
        #expect(decoded.intact)
    }

    @Test("the records read under one names frame share its names: a long history is held as its loads, 4 bytes a server")
    func namesShared() {
        var bytes = HistoryCodec.magic
        var names: [String]?
        for index in 0..<3 {
            let loads = HistoryRecord.ServerLoads((0..<64).map { ServerLoad(name: "server-\($0)", load: Double(index + $0)) })
            HistoryCodec.append(Self.record(at: 1_000_000 + Double(index), loads: .servers(loads)), names: &names, to: &bytes)
        }
        HistoryCodec.append(Self.record(at: 1_000_003, loads: .servers([ServerLoad(name: "other", load: 1)])), names: &names, to: &bytes)
        let storage = HistoryCodec.records(in: bytes).records.map { record -> UnsafeRawPointer? in
            guard case let .servers(servers) = record.loads else { return nil }
            return servers.names.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        #expect(storage.count == 4 && storage.allSatisfy { $0 != nil })
        #expect(Set(storage.prefix(3)).count == 1, "one array for the three records of the first names frame")
        #expect(storage[3] != storage[0])
    }

    struct Impossible: CustomTestStringConvertible, Sendable {
        var name: String
        var record: HistoryRecord
        var testDescription: String { name }
    }

    static let impossibles: [Impossible] = [
        Impossible(name: "a time that is not a number", record: HistoryRecord(
            wallTime: .nan, monotonic: .origin, pollInterval: .seconds(10), desired: 3, applied: 3, loads: .none)),
        Impossible(name: "an infinite time", record: HistoryRecord(
            wallTime: .infinity, monotonic: .origin, pollInterval: .seconds(10), desired: 3, applied: 3, loads: .none)),
        Impossible(name: "a time before 1970", record: HistoryRecord(
            wallTime: -1, monotonic: .origin, pollInterval: .seconds(10), desired: 3, applied: 3, loads: .none)),
        Impossible(name: "a time past what a trace holds (it would overflow the export's bins)", record: HistoryRecord(
            wallTime: 1e19, monotonic: .origin, pollInterval: .milliseconds(Int64(UInt32.max)), desired: 3, applied: 3,
            loads: .servers([ServerLoad(name: "a", load: 1)]))),
        Impossible(name: "a load that is not a number", record: record(at: 1_000_010, loads: .servers([ServerLoad(name: "a", load: .nan)]))),
        Impossible(name: "an infinite load", record: record(at: 1_000_010, loads: .servers([ServerLoad(name: "a", load: .infinity)]))),
        Impossible(name: "a negative load", record: record(at: 1_000_010, loads: .servers([ServerLoad(name: "a", load: -5)]))),
        Impossible(name: "a load above the daemon's cap of 1e15 (the largest f32)", record: record(
            at: 1_000_010, loads: .servers([ServerLoad(name: "a", load: 3.4e38)]))),
        Impossible(name: "a total above the cap for its servers", record: record(at: 1_000_010, loads: .total(load: 2.5e17, servers: 100))),
        Impossible(name: "a total for no server", record: record(at: 1_000_010, loads: .total(load: 1, servers: 0))),
        Impossible(name: "a negative total", record: record(at: 1_000_010, loads: .total(load: -1, servers: 100))),
        Impossible(name: "an infinite total", record: record(at: 1_000_010, loads: .total(load: .infinity, servers: 100))),
        Impossible(name: "a server name a source may not report", record: record(
            at: 1_000_010, loads: .servers([ServerLoad(name: "a\nb", load: 1)]))),
        Impossible(name: "a snapshot of no server (an empty names frame)", record: record(at: 1_000_010, loads: .servers([]))),
        Impossible(name: "more servers kept one by one than maxServers", record: record(
            at: 1_000_010, loads: .servers(HistoryRecord.ServerLoads((0...HistoryRecord.maxServers).map { ServerLoad(name: "s\($0)", load: 1) })))),
        Impossible(name: "a server named twice", record: record(
            at: 1_000_010, loads: .servers([ServerLoad(name: "a", load: 1), ServerLoad(name: "a", load: 2)]))),
    ]

    @Test("a checksummed record of what the daemon never writes is damage, never a record: skipped, the records around it read",
          arguments: impossibles)
    func impossible(_ bad: Impossible) {
        var bytes = HistoryCodec.magic
        var names: [String]?
        for record in [Self.record(at: 1_000_000), bad.record, Self.record(at: 1_000_020)] {
            HistoryCodec.append(record, names: &names, to: &bytes)
        }
        let decoded = HistoryCodec.records(in: bytes)
        #expect(decoded.records == [Self.record(at: 1_000_000), Self.record(at: 1_000_020)])
        #expect(!decoded.skipped.isEmpty && decoded.read == bytes.count && !decoded.intact)
    }

    /// Three records of `servers` (a names frame, then three samples), their bytes and where each frame starts.
    static func threeRecords() -> (bytes: [UInt8], frames: [Int]) {
        var bytes = HistoryCodec.magic
        var names: [String]?
        var frames: [Int] = []
        for index in 0..<3 {
            frames.append(bytes.count)
            HistoryCodec.append(Self.record(at: 1_000_000 + Double(index)), names: &names, to: &bytes)
        }
        return (bytes, frames)
    }

    @Test("a flipped bit in a sample, in the middle of a segment or at its end, loses that record only")
    func flippedSample() {
        let (original, frames) = Self.threeRecords()
        // The second record's frame holds its sample only (the names came before the first); flip
        // a bit in its payload, then in its checksum; then in the last record (its frame ends the segment).
        for position in [frames[1] + 8 + 12, frames[1] + 5, frames[2] + 8 + 12] {
            var bytes = original
            bytes[position] ^= 0x08
            let decoded = HistoryCodec.records(in: bytes)
            let damaged = position > frames[2] ? 2 : 1
            #expect(decoded.records.map(\.wallTime) == [0, 1, 2].filter { $0 != damaged }.map { 1_000_000 + Double($0) })
            #expect(decoded.skipped == [frames[damaged]] && decoded.unattributed == 0 && decoded.read == bytes.count)
        }
    }

    @Test("after a damaged names frame, the records of each server's load up to the next names frame are counted, not kept")
    func flippedNames() {
        let (original, _) = Self.threeRecords()
        var bytes = original
        // The first frame is the names; a bit of a name flipped.
        bytes[HistoryCodec.magic.count + 8 + 5] ^= 0x01
        var decoded = HistoryCodec.records(in: bytes)
        #expect(decoded.records.isEmpty)
        #expect(decoded.skipped == [HistoryCodec.magic.count] && decoded.unattributed == 3 && decoded.read == bytes.count)
        // A record with no data, or a total, needs no names: it is read.
        var names: [String]?
        HistoryCodec.append(Self.record(at: 1_000_003, loads: .none), names: &names, to: &bytes)
        names = ["a", "b"]
        HistoryCodec.append(Self.record(at: 1_000_004, loads: .total(load: 10, servers: 100)), names: &names, to: &bytes)
        decoded = HistoryCodec.records(in: bytes)
        #expect(decoded.records.map(\.wallTime) == [1_000_003, 1_000_004] && decoded.unattributed == 3)
    }

    @Test("a damaged length, or zeros after a power loss, ends what is read: no whole frame follows")
    func damagedLength() {
        let (original, frames) = Self.threeRecords()
        var bytes = original
        bytes[frames[1]] ^= 0x04
        var decoded = HistoryCodec.records(in: bytes)
        #expect(decoded.records.map(\.wallTime) == [1_000_000] && decoded.skipped.isEmpty && decoded.read == frames[1])
        bytes = original + [UInt8](repeating: 0, count: 64) + original.dropFirst(frames[1])
        decoded = HistoryCodec.records(in: bytes)
        #expect(decoded.records.count == 3 && decoded.skipped.isEmpty && decoded.read == original.count)
    }

    @Test("a snapshot of more than maxServers servers is kept as its total and count")
    func largeSnapshot() throws {
        let servers = (0..<100).map { ServerLoad(name: "s\($0)", load: 2) }
        #expect(HistoryRecord.Loads(.loads(try LoadSnapshot(servers: servers))) == .total(load: 200, servers: 100))
        #expect(HistoryRecord.Loads(.unavailable("x")) == .none)
    }

    @Test("each append is one frame in the same segment; a reopened log starts a new segment")
    func append() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = HistoryLog(config: Self.config(dir))
        try log.append(Self.record(at: 1_000_000), now: .origin)
        let first = try Self.files(dir)
        try log.append(Self.record(at: 1_000_010), now: .origin + .seconds(10))
        let second = try Self.files(dir)
        #expect(first.map(\.name) == ["00000001.log"])
        #expect(second.map(\.name) == ["00000001.log"])
        // The second record's frame alone: the names did not change.
        #expect(second[0].size - first[0].size == 8 + 1 + 8 + 8 + 4 + 4 + 4 + 1 + 2 + 2 * 4)
        try log.close()
        let reopened = HistoryLog(config: Self.config(dir))
        try reopened.append(Self.record(at: 1_000_020), now: .origin + .seconds(20))
        let contents = try HistoryReader.read(dir.file("history"))
        #expect(contents.records.map(\.wallTime) == [1_000_000, 1_000_010, 1_000_020])
        #expect(contents.segments == 2)
        #expect(contents.damagedSegments == 0)
    }

    @Test("the size bound holds under any write rate: full segments rotate and the oldest go")
    func rotate() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = HistoryLog(config: Self.config(dir, maxSize: 1 << 20))
        let servers = HistoryRecord.Loads.servers(HistoryRecord.ServerLoads((0..<64).map { ServerLoad(name: "server-\($0)", load: Double($0)) }))
        var largest = 0
        for index in 0..<10_000 {
            try log.append(Self.record(at: 1_000_000 + Double(index) / 1000, loads: servers), now: .origin)
            if index % 250 == 0 {
                largest = max(largest, try Self.files(dir).reduce(0) { $0 + $1.size })
            }
        }
        let files = try Self.files(dir)
        #expect(largest <= 1 << 20)
        #expect(files.reduce(0) { $0 + $1.size } <= 1 << 20)
        #expect(files.allSatisfy { $0.size <= log.segmentLimit })
        #expect(files.first?.name != "00000001.log")
        #expect(files.count >= 7)
        let records = try HistoryReader.read(dir.file("history")).records
        #expect(records.last?.wallTime == 1_000_000 + 9_999.0 / 1000)
        #expect(records.count > 2_500 && records.count < 4_000)
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.wallTime < $1.wallTime })
    }

    @Test("a segment is closed when older than an eighth of retention; segments last written before retention go")
    func retention() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = HistoryLog(config: Self.config(dir, retention: .seconds(800)))
        #expect(log.segmentAge == .seconds(100))
        let now = WallClock.now()
        try log.append(Self.record(at: now), now: .origin)
        try log.append(Self.record(at: now + 99), now: .origin + .seconds(99))
        try log.append(Self.record(at: now + 100), now: .origin + .seconds(100))
        #expect(try Self.files(dir).map(\.name) == ["00000001.log", "00000002.log"])
        // Both segments were last written now (by the file clock); 900 s later by the records' clock
        // both are past retention when the next segment starts.
        try log.append(Self.record(at: now + 900), now: .origin + .seconds(200))
        #expect(try Self.files(dir).map(\.name) == ["00000003.log"])
        #expect(try HistoryReader.read(dir.file("history")).records.map(\.wallTime) == [now + 900])
    }

    /// A segment of three records written by ``HistoryLog`` in `dir`, then rewritten as `damage`
    /// makes it; returns the bytes written.
    static func damagedSegment(in dir: TemporaryDirectory, _ damage: ([UInt8]) -> [UInt8]) throws -> [UInt8] {
        let log = HistoryLog(config: Self.config(dir))
        for index in 0..<3 { try log.append(Self.record(at: 1_000_000 + Double(index)), now: .origin) }
        try log.close()
        let path = dir.file("history/00000001.log")
        let fd = try FileDescriptor.open(path, O_RDONLY)
        let bytes = try #require(try fd.readToEnd(limit: 1 << 20))
        fd.close()
        let damaged = damage(bytes)
        let out = try FileDescriptor.open(path, O_WRONLY | O_TRUNC)
        try damaged.withUnsafeBytes { buffer in Result { () throws(SystemError) in try out.writeAll(buffer) } }.get()
        out.close()
        return damaged
    }

    struct Damage: CustomTestStringConvertible, Sendable {
        var name: String
        var damage: @Sendable ([UInt8]) -> [UInt8]
        var kept: Int
        /// The bytes from the damage to the end (a record of two servers takes 48).
        var unread: Int
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "last record cut mid-frame", damage: { Array($0.dropLast(5)) }, kept: 2, unread: 43),
        Damage(name: "last record cut inside its header", damage: { Array($0.dropLast(45)) }, kept: 2, unread: 3),
        Damage(name: "zeros after the last record (a power loss)", damage: { $0 + [UInt8](repeating: 0, count: 4096) },
               kept: 3, unread: 4096),
    ]

    @Test("a torn or damaged tail is skipped, never fatal; the next start writes a new segment", arguments: damages)
    func tornTail(_ damage: Damage) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let damaged = try Self.damagedSegment(in: dir, damage.damage)
        let restarted = HistoryLog(config: Self.config(dir))
        try restarted.append(Self.record(at: 1_000_010), now: .origin)
        let contents = try HistoryReader.read(dir.file("history"))
        #expect(contents.records.map(\.wallTime) == (0..<damage.kept).map { 1_000_000 + Double($0) } + [1_000_010])
        #expect(contents.damaged == [.torn(segment: "00000001.log", at: damaged.count - damage.unread, size: damaged.count,
                                           recordsBefore: damage.kept)])
        #expect(contents.segments == 2)
    }

    @Test("a damaged record says where it is and how much after it is not read")
    func tornText() {
        #expect(HistoryReader.Damage.torn(segment: "00000001.log", at: 73, size: 217, recordsBefore: 1).description
            == "00000001.log: a torn or damaged record at byte 73 of 217 (cut short by a crash or a write in progress, or its "
            + "length is damaged); "
            + "the 1 record before it is used, the 144 bytes from it on are not")
        #expect(HistoryReader.Damage.torn(segment: "00000002.log", at: 8, size: 20, recordsBefore: 0).description
            == "00000002.log: a torn or damaged record at byte 8 of 20 (cut short by a crash or a write in progress, or its "
            + "length is damaged); "
            + "the 0 records before it are used, the 12 bytes from it on are not")
        #expect(HistoryReader.Damage.skipped(segment: "00000003.log", records: 1, first: 73, size: 217, unattributed: 0).description
            == "00000003.log: a damaged record skipped (the first at byte 73 of 217: it fails its checksum or holds what the "
            + "daemon never writes); the records around it are used")
        #expect(HistoryReader.Damage.skipped(segment: "00000003.log", records: 2, first: 8, size: 217, unattributed: 5).description
            == "00000003.log: 2 damaged records skipped (the first at byte 8 of 217: it fails its checksum or holds what the "
            + "daemon never writes); the records around them are used, but for 5 records of each server's load after a damaged "
            + "one that may have named the servers (whose loads they are is not known)")
        #expect(HistoryReader.Damage.unreadable(segment: "00000004.log", reason: "openat: permission denied (errno 13)").description
            == "00000004.log: cannot be read (openat: permission denied (errno 13)); skipped")
    }

    @Test("a segment with a damaged record in the middle is read around it, and the reader says so")
    func skippedInReader() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let frames = Self.threeRecords().frames
        let bytes = try Self.damagedSegment(in: dir) { bytes in
            var bytes = bytes
            bytes[frames[1] + 8 + 12] ^= 0x08
            return bytes
        }
        let contents = try HistoryReader.read(dir.file("history"))
        #expect(contents.records.map(\.wallTime) == [1_000_000, 1_000_002])
        #expect(contents.damaged == [.skipped(segment: "00000001.log", records: 1, first: frames[1], size: bytes.count, unattributed: 0)])
        #expect(contents.damagedSegments == 1)
    }

    static let otherFormats: [([UInt8], String)] = [
        (Array("ASHIST2\n\u{1}\0\0\0".utf8),
         #"00000001.log: not a history segment this version reads (it starts 'ASHIST2\n', not 'ASHIST1\n'); skipped"#),
        ([0xFF, 0x00, 0x41],
         #"00000001.log: not a history segment this version reads (it starts '\xFF\u{0}A', not 'ASHIST1\n'); skipped"#),
        (Array("ASHI".utf8),
         "00000001.log: a torn or damaged record at byte 0 of 4 (cut short by a crash or a write in progress, or its length is "
            + "damaged); the 0 records before it are used, the 4 bytes from it on are not"),
    ]

    @Test("a segment another version wrote is named as such, not as a torn record; a torn start is torn",
          arguments: otherFormats)
    func otherFormat(_ bytes: [UInt8], _ note: String) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try AtomicFile.makeDirectories(dir.file("history"))
        let fd = open(dir.file("history/00000001.log"), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        #expect(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
        close(fd)
        let log = HistoryLog(config: Self.config(dir))
        try log.append(Self.record(at: 1_000_010), now: .origin)
        let contents = try HistoryReader.read(dir.file("history"))
        #expect(contents.records.map(\.wallTime) == [1_000_010])
        #expect(contents.damaged.map(\.description) == [note])
    }

    @Test("a segment larger than the reader's limit is skipped and told, never read as empty")
    func tooLarge() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = HistoryLog(config: Self.config(dir))
        for index in 0..<3 { try log.append(Self.record(at: 1_000_000 + Double(index)), now: .origin) }
        try log.close()
        let restarted = HistoryLog(config: Self.config(dir))
        try restarted.append(Self.record(at: 1_000_010), now: .origin)
        let contents = try HistoryReader.read(dir.file("history"), sizeLimit: 100)
        #expect(contents.records.map(\.wallTime) == [1_000_010])
        #expect(contents.segments == 2)
        #expect(contents.damaged.map(\.description) == ["00000001.log: larger than the 100 bytes a segment may have; skipped"])
    }

    @Test("a missing history directory reads as empty")
    func missingDirectory() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(try HistoryReader.read(dir.file("none"))
            == HistoryReader.Contents(records: [], segments: 0, damaged: [], directoryFound: false))
    }

    struct Loss: CustomTestStringConvertible, Sendable {
        var name: String
        /// Done to the history directory `history` of a temporary directory while a segment is open.
        var act: @Sendable (TemporaryDirectory) -> Void
        var placement: FilePlacement
        /// The segments after the next append.
        var segments: [String]
        var testDescription: String { name }
    }

    static let losses: [Loss] = [
        Loss(name: "the directory removed (rm -rf)", act: { dir in
            unlink(dir.file("history/00000001.log"))
            rmdir(dir.file("history"))
        }, placement: .removed, segments: ["00000001.log"]),
        Loss(name: "the segment removed", act: { dir in unlink(dir.file("history/00000001.log")) },
             placement: .removed, segments: ["00000001.log"]),
        Loss(name: "the directory moved away", act: { dir in rename(dir.file("history"), dir.file("old")) },
             placement: .moved, segments: ["00000001.log"]),
        Loss(name: "another file renamed over the segment", act: { dir in
            dir.write("other", "")
            rename(dir.file("other"), dir.file("history/00000001.log"))
        }, placement: .removed, segments: ["00000001.log", "00000002.log"]),
        Loss(name: "the directory moved away and another made, with a file of the segment's name", act: { dir in
            rename(dir.file("history"), dir.file("old"))
            mkdir(dir.file("history"), 0o755)
            dir.write("history/00000001.log", "")
        }, placement: .replaced, segments: ["00000001.log", "00000002.log"]),
    ]

    @Test("a segment removed, moved or replaced while open is told and left; the records go on in a new segment",
          arguments: losses)
    func lostSegment(_ loss: Loss) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = HistoryLog(config: Self.config(dir))
        try log.append(Self.record(at: 1_000_000), now: .origin)
        #expect(log.lost == nil)
        loss.act(dir)
        try log.append(Self.record(at: 1_000_010), now: .origin + .seconds(10))
        #expect(log.lost == HistoryLog.Loss(segment: "00000001.log", placement: loss.placement))
        #expect(try Self.files(dir).map(\.name) == loss.segments)
        #expect(try HistoryReader.read(dir.file("history")).records.last?.wallTime == 1_000_010)
        try log.append(Self.record(at: 1_000_020), now: .origin + .seconds(20))
        #expect(log.lost == nil)
        #expect(try Self.files(dir).map(\.name) == loss.segments)
    }

    @Test("a segment truncated in place while open (: > segment, copy-and-truncate) is told and left; the records go on in a new segment")
    func truncatedSegment() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = HistoryLog(config: Self.config(dir))
        try log.append(Self.record(at: 1_000_000), now: .origin)
        let written = try #require(Self.files(dir).first?.size)
        #expect(truncate(dir.file("history/00000001.log"), 0) == 0)
        try log.append(Self.record(at: 1_000_010), now: .origin + .seconds(10))
        #expect(log.lost == HistoryLog.Loss(segment: "00000001.log", placement: .inPlace,
                                             truncated: .init(size: 0, written: written)))
        #expect(log.lost?.description == "truncated while being appended to (0 bytes left of the \(written) written); "
            + "the records go on in a new segment")
        #expect(try Self.files(dir).map(\.name) == ["00000001.log", "00000002.log"])
        let contents = try HistoryReader.read(dir.file("history"))
        #expect(contents.records.map(\.wallTime) == [1_000_010])
        try log.append(Self.record(at: 1_000_020), now: .origin + .seconds(20))
        #expect(log.lost == nil)
    }

    @Test("a new segment's name is free: past any entry named like a segment (a directory too), and past 99999999.log")
    func segmentNames() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        mkdir(dir.file("history"), 0o755)
        mkdir(dir.file("history/00000001.log"), 0o755)
        let log = HistoryLog(config: Self.config(dir))
        try log.append(Self.record(at: 1_000_000), now: .origin)
        #expect(try Self.files(dir).map(\.name) == ["00000002.log"])
        // The directory is told, never read as a segment nor passed over in silence.
        let contents = try HistoryReader.read(dir.file("history"))
        #expect(contents.records.count == 1)
        #expect(contents.damaged == [.notAFile(segment: "00000001.log", found: "a directory")])
        #expect("\(contents.damaged[0])" == "00000001.log: a directory, not a segment file (the daemon writes only regular files); skipped")
        try log.close()

        rename(dir.file("history/00000002.log"), dir.file("history/99999999.log"))
        let next = HistoryLog(config: Self.config(dir))
        try next.append(Self.record(at: 1_000_010), now: .origin + .seconds(10))
        try next.close()
        #expect(try Self.files(dir).map(\.name) == ["100000000.log", "99999999.log"])
        // Read by number: the newer segment's record comes last.
        #expect(try HistoryReader.read(dir.file("history")).records.map(\.wallTime) == [1_000_000, 1_000_010])
        #expect(HistoryLog.segmentNumber("100000000.log") == 100_000_000)
        #expect(HistoryLog.segmentNumber("0000001.log") == nil && HistoryLog.segmentNumber("0000000a.log") == nil)
    }

    @Test("a full disk leaves no empty segment per failed write: a segment whose first write fails is removed")
    func fullDisk() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        final class Disk { var full = false }
        let disk = Disk()
        let log = HistoryLog(config: Self.config(dir)) { fd, bytes throws(SystemError) in
            if disk.full { throw SystemError(call: "write", subject: fd.subject, errno: ENOSPC) }
            try fd.writeAll(bytes)
        }
        try log.append(Self.record(at: 1_000_000), now: .origin)
        disk.full = true
        for index in 1...12 {
            #expect(throws: SystemError(call: "write", subject: dir.file("history/0000000\(index == 1 ? 1 : 2).log"), errno: ENOSPC)) {
                try log.append(Self.record(at: 1_000_000 + Double(index)), now: .origin + .seconds(index))
            }
        }
        #expect(try Self.files(dir).map(\.name) == ["00000001.log"])
        disk.full = false
        try log.append(Self.record(at: 1_000_013), now: .origin + .seconds(13))
        #expect(try Self.files(dir).map(\.name) == ["00000001.log", "00000002.log"])
        let contents = try HistoryReader.read(dir.file("history"))
        #expect(contents.records.map(\.wallTime) == [1_000_000, 1_000_013])
        #expect(contents.damaged.isEmpty)
    }
}

import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Glibc

/// What one history record costs the loop: ``HistoryLog/append(_:now:)`` (encode, one `write(2)`,
/// rotation and pruning when due) in a scratch directory, and what a week of records takes on disk;
/// then what `history export` takes to read a large history back (time and peak memory).
enum HistoryBench {
    static func run(binary: String, records: Int = 100_000) {
        appends(records: records)
        export(binary: binary, records: 200_000, servers: 64)
    }

    /// `history export` of `records` records of `servers` servers each (one every 10 s, the last
    /// one now), written by the daemon's own ``HistoryLog``: the wall time and the peak RSS of the
    /// command, its trace sent to /dev/null.
    static func export(binary: String, records: Int, servers: Int) {
        let workspace = BenchWorkspace(pollInterval: "10s", logLevel: "info")
        defer { workspace.remove() }
        let history = modified(HistoryConfig.defaults) {
            ($0.path, $0.retention, $0.maxSize) = ("\(workspace.path)/history", .seconds(86_400 * 30), 1 << 30)
        }
        let log = HistoryLog(config: history)
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let now = Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9
        guard append(records, of: servers, to: log, from: now - Double(records) * 10) else { return }
        try? log.close()
        let size = Double(regularFileBytes(in: "\(workspace.path)/history"))
        let start = ContinuousClock.now
        let child = BenchChild(binary, ["history", "export", "--config", workspace.configPath])
        let (status, peak) = child.waitForExit()
        let elapsed = (ContinuousClock.now - start).seconds
        print("\nhistory export: \(records) records of \(servers) servers (\(Format.fixed(size / 1_048_576, 1)) MiB of segments), "
            + "trace to /dev/null: \(Format.fixed(elapsed, 2)) s, peak RSS \(Format.fixed(Double(peak) / 1024, 1)) MiB "
            + "(\(Format.fixed(Double(peak) * 1024 / size, 1))× the segments), exit status \(status)")
    }

    static func appends(records: Int) {
        print("\nhistory: \(records) appends of one evaluation's record to a HistoryLog (max_size 64MiB)")
        for servers in [3, 64] {
            var template = Array("/tmp/autoscaled-bench-XXXXXX".utf8CString)
            guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { fatalError("mkdtemp") }
            let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            defer { _ = system("rm -rf '\(path)'") }
            let log = HistoryLog(config: modified(HistoryConfig.defaults) { $0.path = "\(path)/history" })
            let loads = Self.loads(of: servers)
            let start = ContinuousClock.now
            guard append(records, of: servers, to: log, from: 1_800_000_000) else { return }
            let elapsed = (ContinuousClock.now - start).seconds
            try? log.close()
            // A record's frame once the segment has named the servers.
            var frame: [UInt8] = []
            var names: [String]? = (0..<servers).map { "server\($0)" }
            HistoryCodec.append(HistoryRecord(wallTime: 0, monotonic: .origin, pollInterval: .seconds(10), desired: 3, applied: 3,
                                              loads: loads), names: &names, to: &frame)
            let perRecord = Double(frame.count)
            print("  \(servers) servers: \(Format.time(elapsed / Double(records))) per append, "
                + "\(Format.fixed(perRecord, 1)) bytes per record on disk, "
                + "a week at poll_interval 10s: \(Format.fixed(perRecord * 60_480 / 1_048_576, 1)) MiB")
        }
    }

    /// One record's loads: `servers` servers, named `server0`…
    private static func loads(of servers: Int) -> HistoryRecord.Loads {
        .servers(HistoryRecord.ServerLoads((0..<servers).map { ServerLoad(name: "server\($0)", load: Double($0 % 90)) }))
    }

    /// Appends `records` records of `servers` servers, one every 10 s from `wallStart`; `false`
    /// (said on standard output) when an append fails.
    private static func append(_ records: Int, of servers: Int, to log: HistoryLog, from wallStart: Double) -> Bool {
        let loads = loads(of: servers)
        for index in 0..<records {
            let record = HistoryRecord(
                wallTime: wallStart + Double(index) * 10, monotonic: MonotonicInstant(sinceOrigin: .seconds(index * 10)),
                pollInterval: .seconds(10), desired: 3, applied: 3, loads: loads)
            do {
                try log.append(record, now: record.monotonic)
            } catch {
                print("  append failed: \(error)")
                return false
            }
        }
        return true
    }

    /// The bytes of the regular files in `directory` (not below it).
    private static func regularFileBytes(in directory: String) -> Int {
        guard let listing = opendir(directory) else { return 0 }
        defer { closedir(listing) }
        var total = 0
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var info = stat()
            if stat("\(directory)/\(name)", &info) == 0, info.st_mode & S_IFMT == S_IFREG { total += Int(info.st_size) }
        }
        return total
    }
}

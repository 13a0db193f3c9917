import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Glibc

/// What one history record costs the loop: ``HistoryLog/append(_:now:)`` (encode, one `write(2)`,
/// rotation and pruning when due) in a scratch directory, and what a week of records takes on disk.
enum HistoryBench {
    static func run(records: Int = 100_000) {
        print("\nhistory: \(records) appends of one evaluation's record to a HistoryLog (max_size 64MiB)")
        for servers in [3, 64] {
            var template = Array("/tmp/autoscaled-bench-XXXXXX".utf8CString)
            guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { fatalError("mkdtemp") }
            let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            defer { _ = system("rm -rf '\(path)'") }
            let log = HistoryLog(config: modified(HistoryConfig.defaults) { $0.path = "\(path)/history" })
            let loads = HistoryRecord.Loads.servers((0..<servers).map { ServerLoad(name: "server\($0)", load: Double($0 % 90)) })
            let start = ContinuousClock.now
            for index in 0..<records {
                let record = HistoryRecord(
                    wallTime: 1_800_000_000 + Double(index) * 10, monotonic: MonotonicInstant(sinceOrigin: .seconds(index * 10)),
                    pollInterval: .seconds(10), desired: 3, applied: 3, loads: loads)
                do {
                    try log.append(record, now: record.monotonic)
                } catch {
                    print("  append failed: \(error)")
                    return
                }
            }
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
}

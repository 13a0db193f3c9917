@testable import AutoscaledBase
@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Testing

/// `history export` over a history written by ``HistoryLog``, at a wall time the test sets.
struct HistoryExportCommandTests {
    /// A config whose history is `dir/state/history`, and that history holding `records`.
    static func history(_ dir: TemporaryDirectory, _ records: [HistoryRecord]) throws -> String {
        let config = dir.file("autoscaled.conf")
        dir.write("autoscaled.conf", "[source]\npath = loads.json\n[state]\npath = \(dir.file("state/state.json"))\n")
        let log = HistoryLog(config: modified(HistoryConfig.defaults) { $0.path = dir.file("state/history") })
        for record in records { try log.append(record, now: record.monotonic) }
        try log.close()
        return config
    }

    static func record(_ wall: Double, _ load: Double, poll: Duration = .seconds(1)) -> HistoryRecord {
        HistoryRecord(wallTime: wall, monotonic: MonotonicInstant(sinceOrigin: .seconds(wall - 1_000_000)),
                      pollInterval: poll, desired: 3, applied: nil, loads: .servers([ServerLoad(name: "a", load: load)]))
    }

    @Test("records stamped after now (a wall clock set ahead) are left out with a note, not in silence")
    func recordsAhead() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let now = 1_796_000_100.0
        let config = try Self.history(dir, [
            Self.record(now - 60, 5, poll: .seconds(10)), Self.record(now - 50, 6, poll: .seconds(10)),
            Self.record(now + 3_600, 7, poll: .seconds(10)), Self.record(now + 3_610, 8, poll: .seconds(10)),
        ])
        let output = HistoryExportCommand.run(HistoryExportOptions(configPath: config), wallClock: { now })
        #expect(output.exitStatus == CommandOutput.success)
        #expect(output.standardOutput == "t_seconds,a\n1796000040,5\n1796000050,6\n1796000060,6\n")
        #expect(output.standardError == "\(dir.file("state/history")): 2 records are stamped after now (the first "
            + "\(WallClock.iso8601(now + 3_600))), taken while the wall clock was ahead: left out of the trace\n")

        // Only records ahead: the note says where the data went, before the error.
        let ahead = TemporaryDirectory()
        defer { ahead.remove() }
        let onlyAhead = try Self.history(ahead, [Self.record(now + 3_600, 7)])
        let none = HistoryExportCommand.run(HistoryExportOptions(configPath: onlyAhead), wallClock: { now })
        #expect(none.exitStatus == CommandOutput.runtimeFailure)
        #expect(none.standardError.hasPrefix("\(ahead.file("state/history")): 1 record is stamped after now"))
        #expect(none.standardError.hasSuffix(": no load data recorded until \(WallClock.iso8601(now))\n"))
    }

    @Test("now is read once the segments are read: a record written meanwhile by a running daemon is not 'ahead'")
    func nowAfterTheRead() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let now = 1_796_000_100.0
        let config = try Self.history(dir, [Self.record(now - 60, 5, poll: .seconds(10)), Self.record(now - 50, 6, poll: .seconds(10))])
        // The clock removes the history when it is read: read before the segments, it would leave nothing to export.
        var reads = 0
        let output = HistoryExportCommand.run(HistoryExportOptions(configPath: config), wallClock: {
            reads += 1
            dir.removeTree("state/history")
            return now
        })
        #expect(reads == 1)
        #expect(output.exitStatus == CommandOutput.success, "\(output.standardError)")
        #expect(output.standardOutput == "t_seconds,a\n1796000040,5\n1796000050,6\n")
    }

    @Test("load data that fits in one row is padded to the two a trace needs, and the note says so", arguments: HistoryTrace.Format.allCases)
    func oneRowPadded(format: HistoryTrace.Format) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let now = 1_796_000_000.0
        let config = try Self.history(dir, [Self.record(now - 3.5, 6), Self.record(now - 2.5, 6), Self.record(now - 1.5, 6)])
        let output = HistoryExportCommand.run(HistoryExportOptions(configPath: config, since: .seconds(1), format: format), wallClock: { now })
        #expect(output.exitStatus == CommandOutput.success)
        let (header, row) = format == .offered ? ("requests", "0") : ("a", "")
        #expect(output.standardOutput == "t_seconds,\(header)\n1795999999,6\n1796000000,\(row)\n")
        #expect(output.standardError == "\(dir.file("state/history")): the load data in the range fits in one row of 1 s; a "
            + "second row, \(format == .offered ? "of 0 requests" : "with no data"), pads the trace to the two rows simulate "
            + "needs (a wider --since needs none)\n")
        // Two rows of data: no padding, no note.
        let wider = HistoryExportCommand.run(HistoryExportOptions(configPath: config, since: .seconds(2), format: format), wallClock: { now })
        #expect(wider.standardOutput == "t_seconds,\(header)\n1795999998,6\n1795999999,6\n")
        #expect(wider.standardError == "")
    }
}

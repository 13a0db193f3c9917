@testable import AutoscaledCore
import Testing

struct HistoryTraceTests {
    static func record(_ wall: Double, _ loads: HistoryRecord.Loads, poll: Duration = .seconds(10)) -> HistoryRecord {
        HistoryRecord(wallTime: wall, monotonic: .origin, pollInterval: poll, desired: 1, applied: nil, loads: loads)
    }

    static func servers(_ pairs: KeyValuePairs<String, Double>) -> HistoryRecord.Loads {
        .servers(HistoryRecord.ServerLoads(pairs.map { ServerLoad(name: $0.key, load: $0.value) }))
    }

    @Test("per-server: bins of the poll interval, each one reading as the daemon took it, empty where a server was absent")
    func perServer() throws {
        let records = [
            Self.record(1000, Self.servers(["a": 30, "b": 60])),
            Self.record(1015, Self.servers(["a": 50])),
            Self.record(1020, Self.servers(["a": 10, "c": 5])),
        ]
        let export = try HistoryTrace.export(records, format: .perServer)
        #expect(export.csv == """
            t_seconds,a,b,c
            1000,30,60,
            1010,50,,
            1020,10,,5

            """)
        #expect(export.binSeconds == 10)
        let trace = try TraceParser.parse(Array(export.csv.utf8))
        #expect(trace.binCount == 3)
        #expect(trace.series == .serverLoads(names: ["a", "b", "c"], loads: [30, 60, nil, 50, nil, nil, 10, nil, 5]))
    }

    @Test("per-server: a step between two of the daemon's ticks is never a row that mixes both loads; a row read twice keeps its highest reading")
    func perServerReadings() throws {
        // Rows on multiples of 3 s (999, 1002, …), ticks 1.65 s into each: the step to 90 at 1006.65 is the row of 1005, as read.
        let ticks = [1000.65, 1003.65, 1006.65, 1009.65, 1012.65]
        let loads: [Double] = [40, 40, 90, 90, 90]
        var records = zip(ticks, loads).map { Self.record($0, Self.servers(["a": $1]), poll: .seconds(3)) }
        // A reading between ticks (the load file rewritten): the burst, though the tick after it reads less.
        records.insert(Self.record(1010.2, Self.servers(["a": 300]), poll: .seconds(3)), at: 4)
        // A tick late by more than a row: the row it skipped holds the reading still in force.
        records.append(Self.record(1019.1, Self.servers(["a": 20]), poll: .seconds(3)))
        let export = try HistoryTrace.export(records, format: .perServer)
        #expect(export.csv == """
            t_seconds,a
            999,40
            1002,40
            1005,90
            1008,300
            1011,90
            1014,90
            1017,20
            1020,20

            """)
    }

    @Test("offered: one-second bins of the total load; a gap longer than twice the poll interval is 0")
    func offered() throws {
        let records = [
            Self.record(100, Self.servers(["a": 30, "b": 60]), poll: .seconds(1)),
            Self.record(101.5, .total(load: 200, servers: 100), poll: .seconds(1)),
            Self.record(106, .none, poll: .seconds(1)),
            Self.record(107, Self.servers(["a": 1]), poll: .seconds(1)),
        ]
        let export = try HistoryTrace.export(records, format: .offered)
        #expect(export.csv == """
            t_seconds,requests
            100,90
            101,145
            102,200
            103,200
            104,0
            105,0
            106,0
            107,1

            """)
        #expect(export.emptyBins == 3)
        #expect(try TraceParser.parse(Array(export.csv.utf8)).totalRequests == 636)
    }

    @Test("a per-server trace of records that hold only a total is refused with what to use instead")
    func totalsOnly() {
        let records = [Self.record(100, .total(load: 200, servers: 100))]
        #expect(throws: HistoryTrace.Failure.totalsOnly(at: 100, servers: 100)) {
            try HistoryTrace.export(records, format: .perServer)
        }
        #expect(HistoryTrace.Failure.totalsOnly(at: 100, servers: 100).description
            == "the record of 1970-01-01T00:01:40.000Z holds a total over 100 servers, not each server's load "
            + "(more than 64 servers): use --format offered")
    }

    @Test("an export that ends now (as history export's does) holds no second after it, and its padding row is no gap")
    func endsNow() throws {
        let records = [Self.record(1000.2, .total(load: 100, servers: 1), poll: .milliseconds(300)),
                       Self.record(1000.5, .total(load: 100, servers: 1), poll: .milliseconds(300)),
                       Self.record(1000.8, .total(load: 100, servers: 1), poll: .milliseconds(300))]
        let ended = try HistoryTrace.export(records, format: .offered, to: 1000.85)
        // The second row only pads the trace to the two rows a trace needs: it is not a second without data.
        #expect(ended.csv == "t_seconds,requests\n1000,100\n1001,0\n")
        #expect(ended.emptyBins == 0)
        // Without the end, the last record's hold runs 300 ms past it, into a second that may not have come.
        let open = try HistoryTrace.export(records, format: .offered)
        #expect(open.csv == "t_seconds,requests\n1000,100\n1001,100\n")
    }

    @Test("since and until cut the records; a range without load data is an error")
    func range() throws {
        let records = (0..<10).map { Self.record(Double(1000 + 10 * $0), Self.servers(["a": Double($0)])) }
        let export = try HistoryTrace.export(records, format: .perServer, from: 1030, to: 1060)
        #expect(export.csv == "t_seconds,a\n1030,3\n1040,4\n1050,5\n")
        #expect(throws: HistoryTrace.Failure.noData(from: 2000, to: nil)) {
            try HistoryTrace.export(records, format: .offered, from: 2000)
        }
        #expect(HistoryTrace.Failure.noData(from: 2000, to: nil).description
            == "no load data recorded since 1970-01-01T00:33:20.000Z")
        #expect(throws: HistoryTrace.Failure.noData(from: nil, to: nil)) {
            try HistoryTrace.export([Self.record(1000, .none)], format: .offered)
        }
    }

    @Test("a range wider than the history starts and ends with its data, not with rows of no data", arguments: HistoryTrace.Format.allCases)
    func rangeBeyondTheHistory(format: HistoryTrace.Format) throws {
        let records = (0..<10).map { Self.record(Double(1000 + 10 * $0), Self.servers(["a": Double($0)])) }
        let wide = try HistoryTrace.export(records, format: format, from: 1000 - 86400, to: 1100 + 86400)
        #expect(wide == (try HistoryTrace.export(records, format: format)))
        #expect(wide.csv.split(separator: "\n").dropFirst().first?.hasPrefix("1000,") == true)
        #expect(wide.emptyBins == 0)
    }

    @Test("a server whose name the trace would read as another column is refused, with what to use instead",
          arguments: [("a,b", "a comma"), ("\"a\"", "a double quote"), (" a", "a leading blank"), ("a\t", "a trailing blank"),
                      ("requests", "a column name of the trace format"), ("t_seconds", "a column name of the trace format"),
                      ("Requests", "too like the trace format's column 'requests'")])
    func notAColumn(_ name: String, _ problem: String) throws {
        let records = [Self.record(100, Self.servers(["a": 1])), Self.record(110, .servers([ServerLoad(name: name, load: 2)]))]
        #expect(throws: HistoryTrace.Failure.notAColumn(server: name, at: 110, problem: problem)) {
            try HistoryTrace.export(records, format: .perServer)
        }
        #expect(try HistoryTrace.export(records, format: .offered).bins == 20)
    }

    @Test("a server name that cannot head a column says so")
    func notAColumnText() {
        #expect(HistoryTrace.Failure.notAColumn(server: "a,b", at: 110, problem: "a comma").description
            == "the record of 1970-01-01T00:01:50.000Z has a server named 'a,b', which cannot head a column of a "
            + "per-server trace (a comma): use --format offered")
    }

    @Test("a range longer than a replay covers is refused, not written bin by bin (a wall clock set wrong)")
    func tooLong() throws {
        let records = [
            Self.record(5, Self.servers(["a": 1]), poll: .seconds(1000)),
            Self.record(100_001_000, Self.servers(["a": 2]), poll: .seconds(1000)),
        ]
        #expect(throws: HistoryTrace.Failure.tooLong(from: 5, to: 100_002_000)) {
            try HistoryTrace.export(records, format: .perServer)
        }
        #expect(HistoryTrace.Failure.tooLong(from: 5, to: 100_002_000).description
            == "the records run from 1970-01-01T00:00:05.000Z to 1973-03-03T10:20:00.000Z, more than the 100000000 s "
            + "a replay may cover (was a wall clock set wrong?): choose a range with --since and --until")
        let export = try HistoryTrace.export(records, format: .perServer, from: 100_000_000)
        #expect(export.csv == "t_seconds,a\n100001000,2\n100002000,\n")
    }

    @Test("a wall clock that went back between records is told, since the times it repeated are mixed")
    func clockStepsBack() throws {
        let times: [Double] = [1000, 1010, 1020, 1030, 1005, 1015, 1025, 1035, 1045, 1040]
        let records = times.map { Self.record($0, Self.servers(["a": $0 >= 1005 && $0.truncatingRemainder(dividingBy: 10) == 5 ? 2 : 1])) }
        let steps = try HistoryTrace.export(records, format: .perServer).clockStepsBack
        #expect(steps == HistoryTrace.ClockStepsBack(count: 2, firstTo: 1005, largest: 25))
        #expect(steps?.description == "the wall clock went back between records 2 times (first to "
            + "1970-01-01T00:16:45.000Z, by at most 25 s): the records of the times it repeated are mixed in the trace")
        #expect(try HistoryTrace.export(records, format: .offered, from: 1040).clockStepsBack
            == HistoryTrace.ClockStepsBack(count: 1, firstTo: 1040, largest: 5))
        #expect(try HistoryTrace.export(Array(records.prefix(4)), format: .offered).clockStepsBack == nil)
        #expect(HistoryTrace.ClockStepsBack(count: 1, firstTo: 1005, largest: 0.5).description == "the wall clock went back "
            + "between records once (first to 1970-01-01T00:16:45.000Z, by at most 0.5 s): the records of the times it "
            + "repeated are mixed in the trace")
    }

    @Test("a single record still makes a trace simulate reads (two bins)")
    func singleRecord() throws {
        let export = try HistoryTrace.export([Self.record(1000, Self.servers(["a": 7]))], format: .perServer)
        #expect(export.csv == "t_seconds,a\n1000,7\n1010,\n")
        #expect(try TraceParser.parse(Array(export.csv.utf8)).binCount == 2)
    }

    @Test("an offered second whose total is above what a trace holds is refused, not written for simulate to refuse")
    func totalAboveTheBound() throws {
        // 2^49 each (a record keeps 32-bit floats: this one is exact), 1 125 899 906 842 624 together.
        let records = [Self.record(1000, Self.servers(["a": 0x1p49, "b": 0x1p49])), Self.record(1010, Self.servers(["a": 1, "b": 1]))]
        #expect(throws: HistoryTrace.Failure.totalTooLarge(at: 1000, total: 0x1p50)) {
            try HistoryTrace.export(records, format: .offered)
        }
        #expect(HistoryTrace.Failure.totalTooLarge(at: 1000, total: 1.2e15).description
            == "the total load of the second at 1970-01-01T00:16:40.000Z is 1200000000000000, above the 1e15 a trace holds: "
            + "use --format per-server")
        // Each server's load is within the bound: the per-server trace holds it.
        #expect(try HistoryTrace.export(records, format: .perServer).csv.hasPrefix("t_seconds,a,b\n1000,562949953421312,562949953421312\n"))
    }

    @Test("a total above what a trace holds, of records that keep only totals, points to a range, not to the other format")
    func totalAboveTheBoundTotalsOnly() throws {
        let records = [Self.record(1000, .total(load: 9e16, servers: 100)), Self.record(1010, .total(load: 10, servers: 100))]
        let failure = HistoryTrace.Failure.totalTooLarge(at: 1000, total: 9e16, totalsOnly: true)
        #expect(throws: failure) { try HistoryTrace.export(records, format: .offered) }
        #expect(failure.description == "the total load of the second at 1970-01-01T00:16:40.000Z is 9e+16, above "
            + "the 1e15 a trace holds: its records keep only the total of more than 64 servers, so no trace holds it; choose a "
            + "range without it with --since and --until")
        #expect(throws: HistoryTrace.Failure.totalsOnly(at: 1000, servers: 100)) { try HistoryTrace.export(records, format: .perServer) }
    }
}

import AutoscaledBase
import AutoscaledSystem

/// Turns history records into a trace CSV that `simulate` reads (see ``TraceParser``). Pure.
///
/// A record's loads hold from its time until the next record, but never longer than twice its
/// `poll_interval` (the daemon evaluates at least that often while it runs; the last record
/// holds for one interval).
/// - `per-server`: `t_seconds,NAME1,NAME2,…`, bins of the `poll_interval` most records were taken
///   with (whole seconds); each bin holds one reading as the daemon took it (``rowReading``), so
///   a replay sees the loads the daemon decided on, a poll later at most; a server is empty where
///   that reading lacked it or nothing was recorded.
/// - `offered`: `t_seconds,requests`, one-second bins of the time-weighted mean total load of what
///   held during each (so `simulate --capacity 100` models a replica at load 100); seconds with no
///   data are written as 0 requests.
///
/// Times are wall-clock seconds since the Unix epoch; where the wall clock went back between
/// records, the times it repeated mix both passes, and ``Export/clockStepsBack`` says so.
public enum HistoryTrace {
    /// The trace kinds of `history export --format`.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        case perServer = "per-server"
        case offered
    }

    /// A trace and what the reader should know about it.
    public struct Export: Sendable, Equatable {
        public var csv: String
        /// Bins with no data (offered: written as 0).
        public var emptyBins: Int
        public var bins: Int
        public var binSeconds: Int
        /// Whether the load data fits in one row, and a second (with no data: 0 requests in
        /// `offered`, empty in `per-server`) pads the trace to the two rows a trace needs.
        public var padded: Bool
        /// Where the wall clock went back between two records (in the range): the times it
        /// repeated hold the records of both passes, mixed.
        public var clockStepsBack: ClockStepsBack?
    }

    /// The wall clock went back between records written one after the other.
    public struct ClockStepsBack: Sendable, Equatable, CustomStringConvertible {
        public var count: Int
        /// The time of the first record after the first step.
        public var firstTo: Double
        /// The largest step, in seconds.
        public var largest: Double

        public var description: String {
            "the wall clock went back between records \(count == 1 ? "once" : "\(count) times") (first to "
                + "\(WallClock.iso8601(firstTo)), by at most \(DecimalText.format(largest, .atMost(3))) s): "
                + "the records of the times it repeated are mixed in the trace"
        }
    }

    /// Why there is no trace to write.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// No record with loads in the range.
        case noData(from: Double?, to: Double?)
        /// A per-server trace was asked for but some records hold only a total.
        case totalsOnly(at: Double, servers: Int)
        /// A server's name cannot head a column of a per-server trace (see
        /// ``TraceParser/columnProblem(serverName:)``).
        case notAColumn(server: String, at: Double, problem: String)
        /// The range spans more than a replay covers (``TraceParser/maxSpanSeconds``): a record of a
        /// wall clock set wrong, or a range too wide.
        case tooLong(from: Double, to: Double)
        /// An offered trace's second whose total is above what a trace holds (``LoadSnapshot/maxLoad``):
        /// `simulate` would refuse the file. `totalsOnly`: records in that second keep only a total
        /// (more than ``HistoryRecord/maxServers`` servers), so a per-server trace cannot hold it either.
        case totalTooLarge(at: Int, total: Double, totalsOnly: Bool = false)

        public var description: String {
            switch self {
            case let .noData(from, to):
                let range = [from.map { "since \(WallClock.iso8601($0))" }, to.map { "until \(WallClock.iso8601($0))" }]
                    .compactMap { $0 }.joined(separator: " ")
                return range.isEmpty ? "no load data recorded yet" : "no load data recorded \(range)"
            case let .totalsOnly(at, servers):
                return "the record of \(WallClock.iso8601(at)) holds a total over \(servers) servers, not each "
                    + "server's load (more than \(HistoryRecord.maxServers) servers): use --format offered"
            case let .notAColumn(server, at, problem):
                return "the record of \(WallClock.iso8601(at)) has a server named \(EscapedText.quoted(server)), which "
                    + "cannot head a column of a per-server trace (\(problem)): use --format offered"
            case let .tooLong(from, to):
                return "the records run from \(WallClock.iso8601(from)) to \(WallClock.iso8601(to)), more than the "
                    + "\(TraceParser.maxSpanSeconds) s a replay may cover (was a wall clock set wrong?): "
                    + "choose a range with --since and --until"
            case let .totalTooLarge(at, total, totalsOnly):
                return "the total load of the second at \(WallClock.iso8601(Double(at))) is \(DecimalText.format(total, .atMost(3))), "
                    + "above the \(LoadSnapshot.maxLoadText) a trace holds: "
                    + (totalsOnly
                        ? "its records keep only the total of more than \(HistoryRecord.maxServers) servers, so no trace "
                            + "holds it; choose a range without it with --since and --until"
                        : "use --format per-server")
            }
        }
    }

    /// The trace of `records` (in the order written, their wall times finite) between `from` and
    /// `to` (wall-clock seconds; `nil`: from the first record, to the end of the last), from the
    /// first record's data in that range to the end of the last's, which must span at most what a
    /// replay covers.
    public static func export(
        _ records: [HistoryRecord], format: Format, from: Double? = nil, to: Double? = nil
    ) throws(Failure) -> Export {
        let spans = holdSpans(records, from: from, to: to)
        guard let first = spans.first?.start, let last = spans.last?.end, spans.contains(where: { $0.loads != .none })
        else { throw .noData(from: from, to: to) }
        // From the first data in the range to the last: time before the history began (or after it
        // ended) was not recorded as empty, it was not recorded; an offered trace would replay it as
        // hours of no requests. A gap between records stays, as the daemon saw it.
        let (lower, upper) = (first, last)
        guard upper - lower <= Double(TraceParser.maxSpanSeconds) else { throw .tooLong(from: lower, to: upper) }
        var export: Export
        switch format {
        case .offered:
            export = try offered(spans, lower: lower, upper: upper)
        case .perServer:
            if let total = spans.first(where: { if case .total = $0.loads { true } else { false } }),
               case let .total(_, servers) = total.loads {
                throw .totalsOnly(at: total.start, servers: servers)
            }
            export = try perServer(spans, lower: lower, upper: upper, binSeconds: commonPollSeconds(spans))
        }
        export.clockStepsBack = clockStepsBack(records, lower: lower, upper: upper)
        return export
    }

    /// Where the wall clock went back, between records written one after the other, to a time
    /// within `lower..<upper`.
    static func clockStepsBack(_ records: [HistoryRecord], lower: Double, upper: Double) -> ClockStepsBack? {
        var steps: ClockStepsBack?
        for (previous, record) in zip(records, records.dropFirst())
        where record.wallTime < previous.wallTime && record.wallTime >= lower && record.wallTime < upper {
            var seen = steps ?? ClockStepsBack(count: 0, firstTo: record.wallTime, largest: 0)
            seen.count += 1
            seen.largest = max(seen.largest, previous.wallTime - record.wallTime)
            steps = seen
        }
        return steps
    }

    /// A time range over which one record's loads held.
    struct Span {
        var start: Double
        var end: Double
        var loads: HistoryRecord.Loads
        var pollSeconds: Double
    }

    static func holdSpans(_ records: [HistoryRecord], from: Double?, to: Double?) -> [Span] {
        let sorted = records.enumerated().sorted { ($0.element.wallTime, $0.offset) < ($1.element.wallTime, $1.offset) }.map(\.element)
        var spans: [Span] = []
        for (index, record) in sorted.enumerated() {
            let poll = max(0.001, record.pollInterval.seconds)
            let next = index + 1 < sorted.count ? sorted[index + 1].wallTime : record.wallTime + poll
            let start = max(record.wallTime, from ?? -.infinity)
            let end = min(next, record.wallTime + 2 * poll, to ?? .infinity)
            if end > start { spans.append(Span(start: start, end: end, loads: record.loads, pollSeconds: poll)) }
        }
        return spans
    }

    /// The poll interval most of the time was recorded with, in whole seconds (at least 1).
    static func commonPollSeconds(_ spans: [Span]) -> Int {
        var time: [Int: Double] = [:]
        for span in spans { time[max(1, Int(span.pollSeconds.rounded())), default: 0] += span.end - span.start }
        return time.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 1
    }

    private static func offered(_ spans: [Span], lower: Double, upper: Double) throws(Failure) -> Export {
        let bins = Bins(lower: lower, upper: upper, width: 1)
        var text = Array("t_seconds,requests\n".utf8)
        var empty = 0
        var cursor = SpanCursor(spans)
        for bin in 0..<bins.count {
            let (start, end) = bins.range(bin)
            var weighted = 0.0
            var covered = 0.0
            var totalsOnly = false
            cursor.overlapping(start, end) { span, overlap in
                guard let total = span.loads.totalLoad else { return }
                weighted += total * overlap
                covered += overlap
                if case .total = span.loads { totalsOnly = true }
            }
            // The row a one-row range is padded with (a trace needs two) is no gap in the data.
            if covered == 0, bin < bins.covered { empty += 1 }
            let total = covered > 0 ? weighted / covered : 0
            guard total <= LoadSnapshot.maxLoad else {
                throw .totalTooLarge(at: bins.startSecond + bin, total: total, totalsOnly: totalsOnly)
            }
            DecimalText.appendInteger(bins.startSecond + bin, to: &text)
            text.append(UInt8(ascii: ","))
            DecimalText.append(total, .atMost(3), to: &text)
            text.append(UInt8(ascii: "\n"))
        }
        return Export(csv: String(decoding: text, as: UTF8.self), emptyBins: empty, bins: bins.count, binSeconds: 1,
                      padded: bins.covered < bins.count, clockStepsBack: nil)
    }

    private static func perServer(_ spans: [Span], lower: Double, upper: Double, binSeconds: Int) throws(Failure) -> Export {
        var names: [String] = []
        var column: [String: Int] = [:]
        for span in spans {
            guard case let .servers(servers) = span.loads else { continue }
            for server in servers where column[server.name] == nil {
                if let problem = TraceParser.columnProblem(serverName: server.name) {
                    throw .notAColumn(server: server.name, at: span.start, problem: problem)
                }
                column[server.name] = names.count
                names.append(server.name)
            }
        }
        let bins = Bins(lower: lower, upper: upper, width: binSeconds)
        var text = Array(("t_seconds," + names.joined(separator: ",") + "\n").utf8)
        var row = [Float?](repeating: nil, count: names.count)
        var empty = 0
        var cursor = SpanCursor(spans)
        for bin in 0..<bins.count {
            let (start, end) = bins.range(bin)
            for index in names.indices { row[index] = nil }
            if case let .servers(servers)? = rowReading(&cursor, start, end) {
                for (name, load) in zip(servers.names, servers.loads) { row[column[name]!] = load }
            }
            if !row.contains(where: { $0 != nil }), bin < bins.covered { empty += 1 }
            DecimalText.appendInteger(bins.startSecond + bin * binSeconds, to: &text)
            for load in row {
                text.append(UInt8(ascii: ","))
                if let load { DecimalText.append(Double(load), .atMost(3), to: &text) }
            }
            text.append(UInt8(ascii: "\n"))
        }
        return Export(csv: String(decoding: text, as: UTF8.self), emptyBins: empty, bins: bins.count, binSeconds: binSeconds,
                      padded: bins.covered < bins.count, clockStepsBack: nil)
    }
}

extension HistoryTrace {
    /// The loads of a per-server row from `start` to `end`: a reading the daemon took within the
    /// row, as it read it, never a mean of two (a row that mixes the loads before and after a step
    /// would replay as a load the daemon never saw, and size another count). Of the readings taken
    /// within the row, the one with the highest total (the daemon scales up at once on any, and a
    /// tick read several times counts as its highest need); with none, the reading still in
    /// force at the row's start. `nil`, or `.none`, for no data.
    fileprivate static func rowReading(_ cursor: inout SpanCursor, _ start: Double, _ end: Double) -> HistoryRecord.Loads? {
        var inForce: HistoryRecord.Loads?
        var taken: (loads: HistoryRecord.Loads, total: Double)?
        cursor.overlapping(start, end) { span, _ in
            guard span.start >= start else {
                inForce = span.loads
                return
            }
            let total = span.loads.totalLoad ?? -.infinity
            if taken == nil || total > taken!.total { taken = (span.loads, total) }
        }
        return taken?.loads ?? inForce
    }
}

/// Equal bins of whole seconds, aligned to their width, covering `lower..<upper`; at least two
/// (a trace needs two rows to have a bin width).
private struct Bins {
    let startSecond: Int
    let width: Int
    let count: Int
    /// The bins the range covers; ``count`` is at least 2, as a trace needs two rows.
    let covered: Int

    init(lower: Double, upper: Double, width: Int) {
        self.width = width
        startSecond = Int((lower / Double(width)).rounded(.down)) * width
        covered = Int(((upper - Double(startSecond)) / Double(width)).rounded(.up))
        count = max(2, covered)
    }

    func range(_ bin: Int) -> (Double, Double) {
        let start = Double(startSecond + bin * width)
        return (start, start + Double(width))
    }
}

/// Walks sorted, non-overlapping spans bin by bin, never going back further than the first span
/// still open.
fileprivate struct SpanCursor {
    let spans: [HistoryTrace.Span]
    var first = 0

    init(_ spans: [HistoryTrace.Span]) {
        self.spans = spans
    }

    mutating func overlapping(_ start: Double, _ end: Double, _ body: (HistoryTrace.Span, Double) -> Void) {
        while first < spans.count, spans[first].end <= start { first += 1 }
        var index = first
        while index < spans.count, spans[index].start < end {
            let overlap = min(end, spans[index].end) - max(start, spans[index].start)
            if overlap > 0 { body(spans[index], overlap) }
            index += 1
        }
    }
}

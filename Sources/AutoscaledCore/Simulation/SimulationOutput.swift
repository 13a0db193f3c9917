import AutoscaledBase
import AutoscaledSystem

/// What `autoscaled simulate` shows while it replays: the decision and `limited` lines the daemon
/// would log (stamped with the trace's time) and, when asked, one CSV row per simulated second.
struct SimulationOutput: SimulationObserver {
    /// Log lines, each ending in a newline; empty when quiet.
    private(set) var log = ""
    private let logger: (level: LogLevel, encoder: LogEncoder)?
    private let csv: BufferedFileWriter?
    private var row: [UInt8] = []
    /// The rule holding the count, for the `event=limited` lines the daemon logs beside its decisions.
    private var holds = HoldNotice()
    /// The picture drawn as the replay goes, when one was asked for.
    var picture: SimulationPicture?

    /// - Parameters:
    ///   - log: the `[log]` settings to encode and filter decision lines with; `nil` for none.
    ///   - csv: where `t,load,desired,serving` rows go, header first; `nil` for none. `load` is
    ///     empty in a second with requests and no replica serving.
    init(log: LogConfig?, csv: BufferedFileWriter?) {
        logger = log.map { ($0.level, LogEncoder(format: $0.format, style: .terminal)) }
        self.csv = csv
        csv?.append("t,load,desired,serving\n".utf8)
    }

    mutating func decision(_ decision: ScalingDecision, at time: Int) {
        guard let logger else { return }
        // The decision line, then `limited` when a rule starts holding: the daemon's pair.
        let line = decisionLevel(decision.action) >= logger.level ? decisionRecord(decision) : nil
        for record in [line, holds.note(decision, wallTime: Double(time))].compactMap({ $0 })
        where record.level >= logger.level {
            log += logger.encoder.encode(record, wallTime: Double(time)) + "\n"
        }
    }

    mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double) {
        picture?.add(load: load, desired: desired, serving: serving, overCapacity: overCapacity)
        guard let csv else { return }
        row.removeAll(keepingCapacity: true)
        DecimalText.appendInteger(time, to: &row)
        row.append(UInt8(ascii: ","))
        // Requests and no replica serving: no replica's load to give, so the field stays empty.
        if load.isFinite { DecimalText.append(load, .atMost(3), to: &row) }
        row.append(UInt8(ascii: ","))
        DecimalText.appendInteger(desired, to: &row)
        row.append(UInt8(ascii: ","))
        DecimalText.appendInteger(serving, to: &row)
        row.append(UInt8(ascii: "\n"))
        csv.append(row)
    }
}

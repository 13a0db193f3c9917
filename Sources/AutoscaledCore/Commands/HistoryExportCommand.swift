import AutoscaledBase
import AutoscaledSystem

/// `autoscaled history export`: the daemon's recorded loads as a trace for `simulate`.
public enum HistoryExportCommand {
    /// - Parameter wallClock: read once, when the segments have been read: a record the daemon
    ///   wrote while they were read is not ahead of it.
    public static func run(_ options: HistoryExportOptions, wallClock: () -> Double = { WallClock.now() }) -> CommandOutput {
        let config: Config
        switch ConfigLoader.load(path: options.configPath, disk: nil) {
        case let .success(loaded): config = loaded
        case let .failure(errors): return .invalidConfig(errors)
        }
        let directory = config.history.path
        let contents: HistoryReader.Contents
        do {
            contents = try HistoryReader.read(directory)
        } catch {
            return .failure(error.description)
        }
        let wallNow = wallClock()
        // Told first, whatever follows: a failure may come of the damage.
        var notes = contents.damaged.map { "\(TextEscaping.escaped(directory))/\($0)" }
        guard !contents.records.isEmpty else {
            // What was found, not a guess at why: the directory may have been removed while a daemon ran.
            let why = !contents.damaged.isEmpty
                ? "no segment holds a record that can be read"
                : !config.history.enabled
                ? "[history] enabled = false in \(TextEscaping.escaped(options.configPath))"
                : !contents.directoryFound
                ? "the directory does not exist"
                : contents.segments == 0
                ? "the directory holds no segment"
                : "the \(contents.segments) segment\(contents.segments == 1 ? " holds" : "s hold") no record"
            return .failure(lines: notes + ["\(TextEscaping.escaped(directory)): no history yet (\(why))"])
        }
        // A range ends at now at the latest: a record stamped later was taken while the wall clock was ahead.
        let ahead = contents.records.filter { $0.wallTime > wallNow }
        if let first = ahead.min(by: { $0.wallTime < $1.wallTime }) {
            let count = ahead.count == 1 ? "1 record is" : "\(ahead.count) records are"
            notes.append("\(TextEscaping.escaped(directory)): \(count) stamped after now (the first \(WallClock.iso8601(first.wallTime))), taken while "
                + "the wall clock was ahead: left out of the trace")
        }
        let export: HistoryTrace.Export
        do {
            export = try HistoryTrace.export(
                contents.records, format: options.format, from: options.since.map { wallNow - $0.seconds },
                // Never past now: the last record's loads hold until the next poll, which has not come yet.
                to: wallNow - (options.until?.seconds ?? 0))
        } catch {
            return .failure(lines: notes + ["\(TextEscaping.escaped(directory)): \(error)"])
        }
        if let steps = export.clockStepsBack {
            notes.append("\(TextEscaping.escaped(directory)): \(steps)")
        }
        if export.padded {
            let row = options.format == .offered ? "of 0 requests" : "with no data"
            notes.append("\(TextEscaping.escaped(directory)): the load data in the range fits in one row of \(export.binSeconds) s; a second row, "
                + "\(row), pads the trace to the two rows simulate needs" + (options.since == nil ? "" : " (a wider --since needs none)"))
        }
        if options.format == .offered, export.emptyBins > 0 {
            notes.append("\(TextEscaping.escaped(directory)): \(export.emptyBins) of \(export.bins) seconds have no load data "
                + "(the daemon was not running or its source failed); they are written as 0 requests")
        }
        return CommandOutput(standardOutput: export.csv, standardError: CommandOutput.lines(notes),
                             exitStatus: CommandOutput.success)
    }
}

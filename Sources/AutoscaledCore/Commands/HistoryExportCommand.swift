import AutoscaledBase
import AutoscaledSystem

/// `autoscaled history export`: the daemon's recorded loads as a trace for `simulate`.
public enum HistoryExportCommand {
    public static func run(_ options: HistoryExportOptions, wallNow: Double = WallClock.now()) -> CommandOutput {
        let config: Config
        switch ConfigLoader.load(path: options.configPath) {
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
        // Told first, whatever follows: a failure may come of the damage.
        var notes = contents.damaged.map { "\(directory)/\($0)" }
        guard !contents.records.isEmpty else {
            // What was found, not a guess at why: the directory may have been removed while a daemon ran.
            let why = !contents.damaged.isEmpty
                ? "no segment holds a record that can be read"
                : !config.history.enabled
                ? "[history] enabled = false in \(options.configPath)"
                : !contents.directoryFound
                ? "the directory does not exist"
                : contents.segments == 0
                ? "the directory holds no segment"
                : "the \(contents.segments) segment\(contents.segments == 1 ? " holds" : "s hold") no record"
            return .failure((notes + ["\(directory): no history yet (\(why))"]).joined(separator: "\n"))
        }
        let export: HistoryTrace.Export
        do {
            export = try HistoryTrace.export(
                contents.records, format: options.format, from: options.since.map { wallNow - $0.seconds },
                // Never past now: the last record's loads hold until the next poll, which has not come yet.
                to: wallNow - (options.until?.seconds ?? 0))
        } catch {
            return .failure((notes + ["\(directory): \(error)"]).joined(separator: "\n"))
        }
        if let steps = export.clockStepsBack {
            notes.append("\(directory): \(steps)")
        }
        if options.format == .offered, export.emptyBins > 0 {
            notes.append("\(directory): \(export.emptyBins) of \(export.bins) seconds have no load data "
                + "(the daemon was not running or its source failed); they are written as 0 requests")
        }
        return CommandOutput(standardOutput: export.csv, standardError: notes.map { $0 + "\n" }.joined(),
                             exitStatus: CommandOutput.success)
    }
}

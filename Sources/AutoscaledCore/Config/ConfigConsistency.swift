import AutoscaledBase
import AutoscaledSystem

/// The rules that relate keys to one another, checked once every key has a valid value.
///
/// A rule only runs when all of its keys have valid values, so one bad value never causes a
/// second, misleading error. A fault is placed on the last line among the keys involved.
enum ConfigConsistency {
    /// One broken rule: the line to blame (`nil` if every key took its default) and the message.
    struct Fault: Equatable {
        var line: Int?
        var message: String
    }

    /// - Parameter configPath: the config file's own absolute path, when it is read from a file: no
    ///   key may name it (the daemon would write over its own config).
    /// - Parameter disk: what the file rules may learn from the disk; `nil` keeps the rules pure (no
    ///   file is looked at).
    static func faults(in values: ParsedValues, configPath: String? = nil, disk: ConfigDiskProbe? = nil) -> [Fault] {
        thresholdFaults(values) + rateFaults(values) + replicaFaults(values) + limitFaults(values)
            + fileFaults(values, configPath: configPath, disk: disk)
    }

    /// `key (value)`, with `not set: unset` in the parentheses when the file does not give the key,
    /// so a message about a key the user never wrote says where its value came from.
    private static func named(_ key: ConfigKey, _ value: Double, _ values: ParsedValues, unset: String = "its default") -> String {
        named(key, text: DecimalText.format(value), values, unset: unset)
    }

    private static func named(_ key: ConfigKey, _ value: Int, _ values: ParsedValues) -> String {
        named(key, text: "\(value)", values)
    }

    private static func named(_ key: ConfigKey, _ value: Duration, _ values: ParsedValues) -> String {
        named(key, text: DurationText.format(value), values)
    }

    private static func named(_ key: ConfigKey, text: String, _ values: ParsedValues, unset: String = "its default") -> String {
        "\(key.name) (\(text)" + (values.line(of: key) == nil ? ", not set: \(unset))" : ")")
    }

    /// The band and the size: scale_down_threshold < target_load ≤ scale_up_threshold, target_load > 0.
    private static func thresholdFaults(_ values: ParsedValues) -> [Fault] {
        var faults: [Fault] = []
        let down = try? values.number(.scaleDownThreshold)
        let up = try? values.number(.scaleUpThreshold)
        let target = try? values.number(.targetLoad)
        if let down, let up, down >= up {
            faults.append(Fault(
                line: values.latestLine(of: .scaleDownThreshold, .scaleUpThreshold),
                message: "\(named(.scaleDownThreshold, down, values)) must be below "
                    + named(.scaleUpThreshold, up, values)))
        }
        if let target, target <= 0 {
            faults.append(Fault(
                line: values.latestLine(of: .targetLoad, .scaleUpThreshold),
                message: "\(named(.targetLoad, target, values, unset: "scale_up_threshold's")) must be above 0 "
                    + "(replicas are sized as total load / target_load)"))
        }
        // Where target_load sits in the band is only worth saying once the band and target_load are sound.
        if let down, let up, let target, down < up, target > 0, !(target > down && target <= up) {
            faults.append(Fault(
                line: values.latestLine(of: .targetLoad, .scaleDownThreshold, .scaleUpThreshold),
                message: "\(named(.targetLoad, target, values, unset: "scale_up_threshold's")) must be above "
                    + "\(named(.scaleDownThreshold, down, values)) and at most \(named(.scaleUpThreshold, up, values))"))
        }
        if let target = try? values.number(.headroomTargetLoad), target <= 0 {
            faults.append(Fault(
                line: values.latestLine(of: .headroomTargetLoad),
                message: "headroom_target_load (\(DecimalText.format(target))) must be above 0 "
                    + "(replicas are sized as (load + rise) / headroom_target_load)"))
        }
        if let quantile = try? values.number(.headroomQuantile), !(quantile > 0 && quantile <= 1) {
            faults.append(Fault(
                line: values.latestLine(of: .headroomQuantile),
                message: "headroom_quantile (\(DecimalText.format(quantile))) must be above 0 and at most 1"))
        }
        for key in [ConfigKey.headroomScaleDownMargin, .headroomScaleDownMarginUnmeasured] {
            // The second takes the first's value when absent: a fault of that value is the first's.
            guard let margin = try? values.number(key), !(margin >= 0 && margin <= Headroom.maxScaleDownMargin),
                  key == .headroomScaleDownMargin || values.line(of: key) != nil
            else { continue }
            faults.append(Fault(
                line: values.latestLine(of: key),
                message: "\(key.name) (\(DecimalText.format(margin))) must be at least 0 and at most "
                    + "\(DecimalText.format(Headroom.maxScaleDownMargin)) (replicas of room a scale-down keeps beyond the need)"))
        }
        if let room = try? values.number(.headroomSquareRootRoom), !(room >= 0 && room <= Headroom.maxSquareRootRoom) {
            faults.append(Fault(
                line: values.latestLine(of: .headroomSquareRootRoom),
                message: "headroom_square_root_room (\(DecimalText.format(room))) must be at least 0 and at most "
                    + "\(DecimalText.format(Headroom.maxSquareRootRoom)) (replicas of room per square root of the replicas the "
                    + "load fills)"))
        }
        if let tolerance = try? values.number(.headroomScaleUpTolerance),
           !(tolerance >= 0 && tolerance <= Headroom.maxScaleUpTolerance) {
            faults.append(Fault(
                line: values.latestLine(of: .headroomScaleUpTolerance),
                message: "headroom_scale_up_tolerance (\(DecimalText.format(tolerance))) must be at least 0 and at most "
                    + "\(DecimalText.format(Headroom.maxScaleUpTolerance)) (the share of the count a need may exceed it by "
                    + "and not be taken)"))
        }
        if let mode = try? values.string(.headroom), mode == Headroom.Mode.learned.rawValue,
           let window = try? values.duration(.headroomWindow), let tick = try? values.duration(.pollInterval),
           tick > .zero, window / tick > Double(Headroom.maxWindowTicks) {
            faults.append(Fault(
                line: values.latestLine(of: .headroomWindow, .pollInterval),
                message: "headroom_window (\(DurationText.format(window))) must span at most \(Headroom.maxWindowTicks) "
                    + "poll_interval ticks (\(DurationText.format(tick)) each): one rise is kept per tick"))
        }
        if let mode = try? values.string(.headroom), mode == Headroom.Mode.learned.rawValue,
           let window = try? values.duration(.headroomWindow), let tick = try? values.duration(.pollInterval),
           let startup = try? values.duration(.replicaStartup),
           case let shortest = Headroom.shortestWindow(replicaStartup: startup, tick: tick), window < shortest {
            faults.append(Fault(
                line: values.latestLine(of: .headroomWindow, .replicaStartup, .pollInterval),
                message: "headroom_window (\(DurationText.format(window))) is too short for headroom = learned: it must "
                    + "span a rise's horizon (replica_startup \(DurationText.format(startup)) and a poll_interval of "
                    + "\(DurationText.format(tick))) and the \(Headroom.minimumRises) poll_intervals of the rises needed "
                    + "to scale down, at least \(DurationText.format(shortest))\(Self.beyondAnyDuration(shortest))"))
        }
        if let mode = try? values.string(.headroom), mode == Headroom.Mode.learned.rawValue,
           let periods = try? values.durations(.seasonalPeriods), !periods.isEmpty,
           let startup = try? values.duration(.replicaStartup), let tick = try? values.duration(.pollInterval) {
            let ahead = Headroom.horizon(replicaStartup: startup, tick: tick).wholeMilliseconds
            for period in periods {
                guard let shortest = SeasonalProfile.learnedPeriodShortfall(
                    length: period.wholeMilliseconds, ahead: ahead, tick: tick.wholeMilliseconds) else { continue }
                let bucket = Duration.milliseconds(SeasonalProfile.Period.bucket(of: period.wholeMilliseconds))
                faults.append(Fault(
                    line: values.latestLine(of: .seasonalPeriods, .replicaStartup, .pollInterval),
                    message: "seasonal_periods \(DurationText.format(period)) is too short for headroom = learned: a period "
                        + "must span a rise's horizon (replica_startup \(DurationText.format(startup)) and a poll_interval of "
                        + "\(DurationText.format(tick))), two more poll_intervals and one phase bucket "
                        + "(\(DurationText.format(bucket))), at least \(DurationText.format(.milliseconds(shortest)))"
                        + Self.beyondAnyDuration(.milliseconds(shortest))))
            }
        }
        if let rise = try? values.number(.seasonalMinRise), rise < 1 {
            faults.append(Fault(
                line: values.latestLine(of: .seasonalMinRise),
                message: "seasonal_min_rise (\(DecimalText.format(rise))) must be at least 1 "
                    + "(a recurring peak is a rise of the load)"))
        }
        return faults
    }

    /// What to add to "at least `shortest`" when no duration may be that long: the keys that make it so.
    private static func beyondAnyDuration(_ shortest: Duration) -> String {
        guard shortest > KeyType.maxDuration else { return "" }
        return ", longer than any duration may be (\(DurationText.format(KeyType.maxDuration))): "
            + "shorten poll_interval or replica_startup"
    }

    /// Bursts, the trend and the way down.
    private static func rateFaults(_ values: ParsedValues) -> [Fault] {
        var faults: [Fault] = []
        if let ratio = try? values.number(.burstRatio), ratio != 0, ratio <= 1 {
            faults.append(Fault(
                line: values.latestLine(of: .burstRatio),
                message: "burst_ratio (\(DecimalText.format(ratio))) must be 0 (off) or above 1"))
        }
        if let span = try? values.duration(.trendMinSpan), let window = try? values.duration(.trendWindow), span > window {
            faults.append(Fault(
                line: values.latestLine(of: .trendMinSpan, .trendWindow),
                message: "\(named(.trendMinSpan, span, values)) must be at most \(named(.trendWindow, window, values)): "
                    + "the trend is observed within the window"))
        }
        if let percent = try? values.number(.maxScaleDownPercentPerMinute), !(0...100).contains(percent) {
            faults.append(Fault(
                line: values.latestLine(of: .maxScaleDownPercentPerMinute),
                message: "max_scale_down_percent_per_minute (\(DecimalText.format(percent))) must be between 0 (off) and 100"))
        }
        return faults
    }

    /// min_replicas ≤ initial_replicas, fallback_replicas ≤ max_replicas, scale_to_zero_after with
    /// min_replicas = 0 and at least a poll_interval.
    private static func replicaFaults(_ values: ParsedValues) -> [Fault] {
        var faults: [Fault] = []
        if let min = try? values.integer(.minReplicas), let max = try? values.integer(.maxReplicas) {
            if min > max {
                faults.append(Fault(
                    line: values.latestLine(of: .minReplicas, .maxReplicas),
                    message: "\(named(.minReplicas, min, values)) must not be above \(named(.maxReplicas, max, values))"))
            }
            // With the bounds crossed, a count is still wrong when it is beyond both of them.
            let bounds = Swift.min(min, max)...Swift.max(min, max)
            for key in [ConfigKey.initialReplicas, .fallbackReplicas] {
                guard let count = try? values.integer(key), !bounds.contains(count) else { continue }
                faults.append(Fault(
                    line: values.latestLine(of: key, .minReplicas, .maxReplicas),
                    message: "\(named(key, count, values)) must be between \(named(.minReplicas, min, values)) and "
                        + named(.maxReplicas, max, values)))
            }
        }
        if let after = try? values.duration(.scaleToZeroAfter), let min = try? values.integer(.minReplicas), min != 0 {
            faults.append(Fault(
                line: values.latestLine(of: .scaleToZeroAfter, .minReplicas),
                message: "scale_to_zero_after (\(DurationText.format(after))) needs min_replicas = 0 (it is \(min)"
                    + (values.line(of: .minReplicas) == nil ? ", not set: its default)" : ")")))
        }
        if let after = try? values.duration(.scaleToZeroAfter), let tick = try? values.duration(.pollInterval), tick > .zero,
           after < tick || after / tick > Double(PolicyConfig.maxScaleToZeroTicks) {
            faults.append(Fault(
                line: values.latestLine(of: .scaleToZeroAfter, .pollInterval),
                message: "scale_to_zero_after (\(DurationText.format(after))) must span at least 1 and at most "
                    + "\(PolicyConfig.maxScaleToZeroTicks) poll_interval ticks (\(DurationText.format(tick)) each): "
                    + "one load is kept per tick"))
        }
        return faults
    }

    /// Why the kernel would refuse `path` (a name of more than `NAME_MAX` bytes in it, or more than
    /// `PATH_MAX` in all), or the temporary file it is written through (`.<name>.autoscaled-tmp.<pid>`).
    static func lengthProblem(_ path: String, writtenThroughTemporary: Bool) -> String? {
        let bytes = path.utf8.count
        if bytes > AtomicFile.maxPathBytes {
            return "is \(bytes) bytes long, more than the \(AtomicFile.maxPathBytes) a path may have"
        }
        let names = path.utf8.split(separator: UInt8(ascii: "/"))
        if let long = names.first(where: { $0.count > AtomicFile.maxNameBytes }) {
            return "has a name of \(long.count) bytes in it (\(EscapedText.quoted(String(decoding: long.prefix(24), as: UTF8.self)))…), "
                + "more than the \(AtomicFile.maxNameBytes) a file name may have"
        }
        if writtenThroughTemporary, let last = names.last,
           AtomicFile.longestTemporaryNameBytes(for: last.count) > AtomicFile.maxNameBytes {
            return "has a file name of \(last.count) bytes: it is written through a temporary file whose name is "
                + "\(AtomicFile.longestTemporaryNameBytes(for: last.count) - last.count) bytes longer (.NAME.autoscaled-tmp.PID), "
                + "more than the \(AtomicFile.maxNameBytes) a file name may have"
        }
        return nil
    }

    /// The files the daemon reads or writes, each its own: the file actuator's count written over
    /// the state file or the loads, or the metrics over either or over the config, would be read
    /// back as something else; nor may one lie inside the history's directory, whose files the
    /// history reads as its segments. With `nonDirectory`, the history's directory (while the history
    /// is enabled) must be one, or not exist yet: a file there (or, for `[history] path`, above it)
    /// fails every write.
    private static func fileFaults(_ values: ParsedValues, configPath: String?, disk: ConfigDiskProbe?) -> [Fault] {
        /// A path the daemon reads or writes: the config file, one a key names, or one it keeps
        /// beside a key's.
        struct NamedFile {
            var key: ConfigKey?
            var path: String
            /// What the path is beside the key's own, e.g. "the lock file"; nil for the key's own.
            var beside: String?
            var isDirectory = false
            /// Whether the daemon writes it (and so makes its directory, and refuses anything but a
            /// regular file there: it never writes through a link). The pause file is `pause`'s and
            /// `resume`'s to write, which refuse what they cannot replace themselves; the daemon only
            /// reads it, and a pause file it cannot read is `pause-file-invalid`, not a config error.
            var isWritten = true
            /// Whether `pause` and `resume` replace it (through a temporary file, as the daemon does its own).
            var isWrittenByCommands = false
            var subject: String {
                guard let key else { return "the config file" }
                return beside.map { "\($0) beside [\(key.section)] \(key.name)" } ?? "[\(key.section)] \(key.name)"
            }
            var role: String {
                guard let key else { return "the config file itself" }
                return beside.map { "\($0) beside [\(key.section)] \(key.name)" }
                    ?? "the \(isDirectory ? "directory" : "file") [\(key.section)] \(key.name) names"
            }
        }
        var files: [NamedFile] = []
        if let configPath { files.append(NamedFile(key: nil, path: configPath, isWritten: false)) }
        if let type = try? values.string(.sourceType), type == "file" || type == "unix",
           let path = try? values.string(.sourcePath) {
            files.append(NamedFile(key: .sourcePath, path: path, isWritten: false))
        }
        if let path = try? values.string(.statePath) {
            files.append(NamedFile(key: .statePath, path: path))
            files.append(NamedFile(key: .statePath, path: StateStore.lockPath(forState: path), beside: "the lock file"))
            files.append(NamedFile(key: .statePath, path: PauseFile.path(forState: path), beside: "the pause file", isWritten: false,
                                   isWrittenByCommands: true))
            if (try? values.optional(.historyPath, values.string)) == nil {
                let history = HistoryConfig.defaultPath(statePath: path)
                files.append(NamedFile(key: .statePath, path: history,
                                       beside: "the history's directory ([history] path unset)", isDirectory: true))
                // Not checked as a written file: where it cannot be made, the history's directory is told.
                files.append(NamedFile(key: .statePath, path: DaemonHistory.lockPath(history),
                                       beside: "the history's lock file ([history] path unset)", isWritten: false))
            }
        }
        if let path = try? values.optional(.historyPath, values.string) {
            files.append(NamedFile(key: .historyPath, path: path, isDirectory: true))
            files.append(NamedFile(key: .historyPath, path: DaemonHistory.lockPath(path), beside: "the lock file", isWritten: false))
        }
        if let path = try? values.string(.metricsTextfile) { files.append(NamedFile(key: .metricsTextfile, path: path)) }
        if (try? values.string(.actuatorType)) == "file", let path = try? values.string(.actuatorPath) {
            files.append(NamedFile(key: .actuatorPath, path: path))
        }
        func line(_ a: NamedFile, _ b: NamedFile) -> Int? {
            [a.key, b.key].compactMap { $0 }.compactMap(values.line(of:)).max()
        }
        var faults: [Fault] = []
        // Names the kernel refuses (ENAMETOOLONG): every open, mkdir and rename of them would fail.
        // Told once a key, for the first of its files.
        var tooLong: Set<ConfigKey> = []
        for file in files {
            let throughTemporary = !file.isDirectory && (file.isWritten || file.isWrittenByCommands)
            guard let key = file.key, !tooLong.contains(key),
                  let problem = lengthProblem(file.path, writtenThroughTemporary: throughTemporary)
            else { continue }
            tooLong.insert(key)
            faults.append(Fault(line: values.line(of: key), message: "\(file.subject) \(EscapedText.quoted(file.path)) \(problem)"))
        }
        if let nonDirectory = disk?.nonDirectory, (try? values.boolean(.historyEnabled)) == true,
           let history = files.first(where: { $0.isDirectory }), let found = nonDirectory(history.path),
           // Beside the state file, a file above it is the state's directory: claiming the state file tells that.
           found.path == history.path || history.key == .historyPath {
            let what = found.path == history.path ? "it" : EscapedText.quoted(found.path)
            faults.append(Fault(
                line: history.key.flatMap(values.line(of:)),
                message: "\(history.subject) \(EscapedText.quoted(history.path)) must be a directory (the history's "
                    + "segment files are kept in it), but \(what) is \(found.kind)"))
        }
        // A file written below a file: its directory cannot be made. Told once, for the first key.
        var blocked: Set<String> = []
        if let nonDirectory = disk?.nonDirectory {
            for file in files where file.isWritten && !file.isDirectory {
                guard let found = nonDirectory(parentDirectory(of: file.path)), blocked.insert(found.path).inserted else { continue }
                faults.append(Fault(
                    line: file.key.flatMap(values.line(of:)),
                    message: "\(file.subject) \(EscapedText.quoted(file.path)) cannot be written: "
                        + "\(EscapedText.quoted(found.path)) is \(found.kind), not a directory"))
            }
        }
        // A file written where a directory, a device, a socket, a FIFO or a symbolic link stands:
        // every write would fail (the daemon replaces only regular files, and never writes through
        // a link). Told once, for the first key.
        if let kind = disk?.kind {
            for file in files where file.isWritten && !file.isDirectory {
                guard let found = kind(file.path), found != .regularFile,
                      blocked.insert(file.path).inserted else { continue }
                let advice = found == .symbolicLink ? " (the daemon never writes through one: set the path to the real location)" : ""
                faults.append(Fault(
                    line: file.key.flatMap(values.line(of:)),
                    message: "\(file.subject) \(EscapedText.quoted(file.path)) cannot be written: it is \(found), "
                        + "not a regular file\(advice)"))
            }
        }
        // A source that is a directory, or of the wrong kind for its type: every read would fail. A
        // path with nothing there yet is the writer's to make before the first poll.
        if let targetKind = disk?.targetKind, let source = files.first(where: { $0.key == .sourcePath }),
           let found = targetKind(source.path) {
            let socket = (try? values.string(.sourceType)) == "unix"
            // A file source reads regular files only; a socket, FIFO or device there never reads.
            if found == .directory || (socket && found == .regularFile) || (!socket && found == .other) {
                faults.append(Fault(
                    line: values.line(of: .sourcePath),
                    message: "path \(EscapedText.quoted(source.path)) is \(found), not \(socket ? "a Unix socket" : "a file of loads"): "
                        + "every read would fail"))
            }
        }
        // Two names of one file (a symlinked directory, `..`): where they lead, from the disk.
        let places = files.map { file in disk.flatMap { $0.place(file.path) } }
        let historyPlace = files.firstIndex(where: { $0.isDirectory }).flatMap { places[$0] }
        var historyEntries: [(String, FilePlace)]?
        /// How `file` is in the history's directory other than by its path's text: `is inside` (under
        /// another name of that directory), `leads inside` (a symbolic link to a file there, made or
        /// not), `is another name of a file inside` (a hard link, or a link, to a segment); `nil` when not.
        func inHistoryElsewhere(_ file: NamedFile) -> InDirectory? {
            guard let historyPlace, let disk, let history = files.first(where: { $0.isDirectory }) else { return nil }
            if disk.place(parentDirectory(of: file.path)) == historyPlace { return .inside }
            let destination = disk.destination(file.path)
            if destination != file.path, disk.place(parentDirectory(of: destination)) == historyPlace { return .leadsInside }
            guard let own = disk.place(file.path), case .file = own else { return nil }
            // Listed once a load, and a match looked at again (an inode freed by a rename can be
            // taken by a new segment meanwhile, which is no alias).
            let entries = historyEntries ?? disk.names(history.path).map { history.path + "/" + $0 }
                .compactMap { path in disk.place(path).map { (path, $0) } }
            historyEntries = entries
            guard entries.contains(where: { $0.1 == own && stillOnePlace(file.path, $0.0) }) else { return nil }
            return .anotherNameInside
        }
        // Looked at again before two paths are called one file (``FilePlace/stillOne(_:_:looks:place:)``).
        func stillOnePlace(_ a: String, _ b: String) -> Bool {
            guard let disk else { return false }
            return FilePlace.stillOne(a, b) { disk.place($0) }
        }
        for (index, file) in files.enumerated() {
            if let earlier = files[..<index].indices.first(where: { earlier in
                files[earlier].path == file.path
                    || (places[earlier] != nil && places[earlier] == places[index] && stillOnePlace(files[earlier].path, file.path))
            }).map({ files[$0] }) {
                faults.append(Fault(
                    line: line(earlier, file),
                    message: "\(file.subject) \(EscapedText.quoted(file.path)) is \(earlier.role); each must be a file of its own"))
            } else if let history = files.first(where: { $0.isDirectory }), !file.isDirectory,
                      let relation = (history.path != "/" && file.path.hasPrefix(history.path + "/")) ? InDirectory.inside
                          : inHistoryElsewhere(file) {
                faults.append(Fault(
                    line: line(history, file),
                    message: "\(file.subject) \(EscapedText.quoted(file.path)) \(relation.text) \(history.role), whose files "
                        + "are the history's own"))
            }
        }
        return faults
    }

    /// What the actuator and the transport can carry.
    private static func limitFaults(_ values: ParsedValues) -> [Fault] {
        var faults: [Fault] = []
        if (try? values.string(.actuatorType)) == "systemd", let max = try? values.integer(.maxReplicas),
           max > SystemdActuator.maxInstances {
            faults.append(Fault(
                line: values.latestLine(of: .maxReplicas, .actuatorType),
                message: "max_replicas (\(max)) must be at most \(SystemdActuator.maxInstances) with type = systemd "
                    + "(one instance of the unit per replica)"))
        }
        if (try? values.string(.sourceType)) == "unix", let path = try? values.string(.sourcePath),
           path.utf8.count >= SocketAddress.unixPathCapacity {
            faults.append(Fault(
                line: values.line(of: .sourcePath),
                message: "path: \(EscapedText.quoted(path)) is \(path.utf8.count) bytes long; a Unix socket "
                    + "address holds at most \(SocketAddress.unixPathCapacity - 1)"))
        }
        if let fault = sourceNameFault(values) { faults.append(fault) }
        return faults
    }

    /// Without `server_label`, a Prometheus metric is one server named after the source
    /// (``SourceConfig/location``): a name every snapshot must take, or every read would fail.
    private static func sourceNameFault(_ values: ParsedValues) -> Fault? {
        guard let source = try? SourceConfig(values: values), case let .prometheus(selection) = source.format,
              selection.serverLabel == nil else { return nil }
        do {
            try LoadSnapshot.validate(name: source.location)
            return nil
        } catch {
            let key: ConfigKey = switch source.kind {
            case .file, .unix: .sourcePath
            case .tcp: .sourceAddress
            case .http: .sourceURL
            }
            return Fault(
                line: values.latestLine(of: key, .sourceFormat),
                message: "\(key.name) names the one server of format = prometheus without server_label, "
                    + "and it cannot: \(error); set server_label, or a shorter \(key.name)")
        }
    }
}

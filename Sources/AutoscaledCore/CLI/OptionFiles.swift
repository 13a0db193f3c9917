import AutoscaledBase
import AutoscaledSystem

/// The files a subcommand's options name, to be read or written: each output must be a file of
/// its own, neither an input nor another output (a `--csv` naming the trace would replace it).
struct OptionFiles {
    /// An option and the path it names (its default when it was not given).
    struct Named {
        var option: String
        var path: String
        /// What it is, as a message says it: `the file '--trace' names`, `the pause file beside [state] path`.
        var name: String

        init(_ option: String, _ path: String) {
            self.option = option
            self.path = path
            name = "the file '--\(option)' names"
        }

        init(daemonFile name: String, _ path: String) {
            option = ""
            self.path = path
            self.name = name
        }
    }

    /// The files `config` has the daemon read or write, which no output may replace: the state file
    /// and the lock and pause files beside it, the history's lock file, a load file, the metrics
    /// textfile, the file actuator's.
    static func daemonFiles(of config: Config) -> [Named] {
        let state = config.state.path
        var files: [Named] = [
            Named(daemonFile: "the file [state] path names", state),
            Named(daemonFile: "the lock file beside [state] path", StateStore.lockPath(forState: state)),
            Named(daemonFile: "the pause file beside [state] path", PauseFile.path(forState: state)),
        ]
        files.append(Named(daemonFile: "the lock file beside [history] path", DaemonHistory.lockPath(config.history.path)))
        if let load = config.source.watchedFile { files.append(Named(daemonFile: "the file [source] path names", load)) }
        if let textfile = config.metrics.textfile { files.append(Named(daemonFile: "the file [metrics] textfile names", textfile)) }
        if case let .file(path) = config.actuator.kind { files.append(Named(daemonFile: "the file [actuator] path names", path)) }
        return files
    }

    /// The directory whose files the daemon writes, which no output may be put in: the history's.
    static func daemonDirectories(of config: Config) -> [Named] {
        [Named(daemonFile: "the directory [history] path names", config.history.path)]
    }

    var inputs: [Named]
    var outputs: [Named]
    /// Directories no output may be in (``daemonDirectories(of:)``).
    var directories: [Named] = []

    /// Throws a usage error for an output that can only name a directory (`out/`), one in a
    /// directory of ``directories`` (the same path, or the same directory under another name), and
    /// for the first output that names an input or an earlier output: the same
    /// path once made absolute against `directory` and normalised lexically, or the same file under
    /// another name (device and inode, as `identity` gives them): of the file where it exists, else
    /// of its parent directory with the same file name (`linkdir/out` and `realdir/out`).
    ///
    /// An output is in a directory of ``directories`` too when a symbolic link leads into it (to a
    /// file made or not: `--csv` writes through links) or when it is another name (a hard link) of a
    /// file there: `names` lists a directory, `destination` follows an output's links.
    func check(
        subcommand: String, directory: String = currentDirectory() ?? ".",
        identity: (String) -> FileIdentity? = { try? FileIdentity(path: $0) },
        names: (String) -> [String] = { Directory.names(at: $0) },
        destination: (String) -> String = { writeDestination(of: $0) }
    ) throws(UsageError) {
        for output in outputs where PathText.namesDirectory(output.path) {
            throw UsageError("option '--\(output.option)': \(EscapedText.quoted(output.path)) names a directory, not a file",
                             subcommand: subcommand)
        }
        for output in outputs {
            let resolved = PathText.resolve(output.path, against: directory)
            let folder = parentDirectory(of: resolved)
            let folderIdentity = identity(folder)
            let outputIdentity = identity(resolved)
            let target = destination(resolved)
            let targetFolderIdentity = target == resolved ? nil : identity(parentDirectory(of: target))
            for named in directories {
                let daemonDirectory = PathText.resolve(named.path, against: directory)
                let daemonIdentity = identity(daemonDirectory)
                let relation: String
                if daemonDirectory == resolved || (outputIdentity != nil && daemonIdentity == outputIdentity) {
                    relation = "is"
                } else if daemonDirectory == folder || (folderIdentity != nil && daemonIdentity == folderIdentity) {
                    relation = InDirectory.inside.text
                } else if targetFolderIdentity != nil && daemonIdentity == targetFolderIdentity {
                    relation = InDirectory.leadsInside.text
                } else if let outputIdentity, names(daemonDirectory).contains(where: { name in
                    // Looked at again: an inode freed by a rename can be taken meanwhile, which is no alias.
                    let entry = daemonDirectory + "/" + name
                    return identity(entry) == outputIdentity
                        && FilePlace.stillOne(resolved, entry) { FilePlace.of($0, identity: identity) }
                }) {
                    relation = InDirectory.anotherNameInside.text
                } else {
                    continue
                }
                throw UsageError("option '--\(output.option)': \(EscapedText.quoted(resolved)) \(relation) \(named.name); "
                    + "each output must be a file of its own", subcommand: subcommand)
            }
        }
        let resolved = (inputs + outputs).map { PathText.resolve($0.path, against: directory) }
        let identities = resolved.map { FilePlace.of($0, identity: identity) }
        for index in inputs.count..<resolved.count {
            // Found at one place, looked at again (a running daemon's load file replaced meanwhile
            // can free its inode for the other to take, which is no alias).
            let clash = (0..<index).first { earlier in
                resolved[earlier] == resolved[index]
                    || (identities[earlier] != nil && identities[earlier] == identities[index]
                        && FilePlace.stillOne(resolved[earlier], resolved[index]) { FilePlace.of($0, identity: identity) })
            }
            guard let clash else { continue }
            let output = outputs[index - inputs.count].option
            let other = clash < inputs.count ? inputs[clash].name : outputs[clash - inputs.count].name
            throw UsageError("option '--\(output)': \(EscapedText.quoted(resolved[index])) is \(other); "
                + "each output must be a file of its own", subcommand: subcommand)
        }
    }
}

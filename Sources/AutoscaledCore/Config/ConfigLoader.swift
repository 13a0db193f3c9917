import AutoscaledSystem

/// Reads a config file from disk and parses it.
public enum ConfigLoader {
    /// The largest config file read: 1 MiB.
    public static let sizeLimit = 1 << 20

    /// Reads and validates the config at `path`; relative paths inside it are resolved against its
    /// directory. With `disk` (the daemon's start and reload, `check-config`), a path the daemon writes
    /// below a file or over what is no regular file (or a history directory, while enabled, that stands
    /// where a file is) is refused, and so are two paths that lead to one file. The commands that
    /// only read the config and the daemon's state (`status`, `pause`, `simulate`, …) pass `nil`, and
    /// `once` ``ConfigDiskProbe/source``: what the disk holds at a file the daemon writes is the
    /// daemon's to tell, and must not lock an operator out of `status` or `resume`.
    public static func load(path: String, disk: ConfigDiskProbe? = .live) -> Result<Config, ConfigErrors> {
        loadReading(path: path, disk: disk).result
    }

    /// ``load(path:disk:)``, with what it read.
    public static func loadReading(path: String, disk: ConfigDiskProbe? = .live)
        -> (result: Result<Config, ConfigErrors>, read: RewriteRace.Read)
    {
        let absolute = absolutePath(path)
        let contents: RegularFileContents
        do {
            contents = try RegularFile.read(absolute, limit: sizeLimit)
        } catch {
            let message: String
            if case let .system(systemError) = error {
                message = "cannot read config: \(systemError.reason) (errno \(systemError.errno))"
            } else {
                message = "cannot read config: \(errorText(error, after: absolute))"
            }
            return (.failure(ConfigErrors([ConfigError(file: path, line: nil, message: message)])), failedRead(error, message: message))
        }
        // Paths that pass the pure rules and then fail every write, or name one file twice: refused here.
        return (ConfigParser.parse(bytes: contents.bytes, file: path, directory: parentDirectory(of: absolute), disk: disk),
                .whole(contents.bytes))
    }
}

extension ConfigLoader {
    /// What a read that failed with `error` (told as `message`) found, for ``RewriteRace``: a file
    /// that changed while it was read met a write and is read again until the bound; any other
    /// failure is the same file when its message is the same.
    static func failedRead(_ error: FileReadError, message: String) -> RewriteRace.Read {
        if case .changedWhileReading = error { return .changing }
        return .refused(message)
    }
}

/// What the config's file rules learn from the disk (``ConfigConsistency``): without it the rules are
/// pure, and look at path text only.
public struct ConfigDiskProbe: Sendable {
    /// What stands where a directory must be (``AutoscaledSystem/nonDirectory(onPath:)``).
    var nonDirectory: @Sendable (String) -> (path: String, kind: Directory.EntryKind)?
    /// Where a path leads (``AutoscaledSystem/FilePlace``): two paths that lead to one place name one file.
    var place: @Sendable (String) -> FilePlace?
    /// What stands at a path (``AutoscaledSystem/entryKind(at:)``): a file the daemon writes must be a
    /// regular file, or not there yet.
    var kind: @Sendable (String) -> Directory.EntryKind? = { _ in nil }
    /// What a path leads to, symbolic links followed: a file the daemon reads must not be a directory.
    var targetKind: @Sendable (String) -> Directory.EntryKind? = { _ in nil }
    /// The names in a directory (none when it cannot be read): another name of a history segment is
    /// looked for among them.
    var names: @Sendable (String) -> [String] = { _ in [] }
    /// Where a path's symbolic links lead (``AutoscaledSystem/writeDestination(of:)``), to a file not
    /// made yet too.
    var destination: @Sendable (String) -> String = { $0 }

    /// What `once` looks at: the source it reads (a directory there is refused), not the files
    /// the daemon writes.
    public static let source = ConfigDiskProbe(
        nonDirectory: { _ in nil }, place: { _ in nil }, targetKind: { AutoscaledSystem.entryKind(at: $0, followingLinks: true) })

    /// The disk as it is.
    public static let live = ConfigDiskProbe(
        nonDirectory: { AutoscaledSystem.nonDirectory(onPath: $0) }, place: { FilePlace.of($0) },
        kind: { AutoscaledSystem.entryKind(at: $0) }, targetKind: { AutoscaledSystem.entryKind(at: $0, followingLinks: true) },
        names: { Directory.names(at: $0) },
        destination: { writeDestination(of: $0) })
}

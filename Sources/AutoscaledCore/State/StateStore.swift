import AutoscaledSystem
import FoundationEssentials

/// Reads and atomically writes the state file.
public struct StateStore: Sendable {
    /// What was found at start.
    public enum Loaded: Sendable, Equatable {
        case found(StateFile)
        case missing
        /// Present but unusable; the cause is for a warning.
        case corrupt(String)
        /// There, but it cannot be read (its permissions, an I/O error): it may hold
        /// the count to resume from, so the daemon neither starts from another nor writes over it.
        case unreadable(String)
        /// A state file of a `version` this build does not know: not resumed, and not to be
        /// overwritten before it is set aside (see ``unknownVersionSuffix(_:)``).
        case unknownVersion(Int)
    }

    /// The largest state file read back; anything bigger is corrupt.
    public static let sizeLimit = 1 << 20

    public var path: String

    public init(path: String) {
        self.path = path
    }

    public func load() -> Loaded {
        let contents: RegularFileContents
        do {
            contents = try RegularFile.read(path, limit: Self.sizeLimit)
        } catch {
            if case let .system(systemError) = error {
                return systemError.isNoSuchFile ? .missing : .unreadable(error.description)
            }
            return .corrupt(error.description)
        }
        let data = Data(contents.bytes)
        if let version = JSONFileFault.version(of: data), version != StateFile.currentVersion {
            return .unknownVersion(version)
        }
        do {
            let state = try JSONDecoder().decode(StateFile.self, from: data)
            if let fault = JSONFileFault.duplicateKeyFault(in: data) {
                return .corrupt("\(path): not a valid state file (\(fault))")
            }
            if let fault = state.fault { return .corrupt("\(path): \(fault)") }
            return .found(state)
        } catch {
            return .corrupt("\(path): not a valid state file (\(JSONFileFault.summary(of: error)))")
        }
    }

    /// What `status` and `pause` say when there is no state file at `path`: `whenIdle` when no
    /// daemon holds its lock; else that one runs but has not written it yet (a full disk, say).
    public static func missingText(_ path: String, whenIdle: String) -> String {
        guard case let .process(pid) = lockHolder(forState: path) else {
            return "no state file at \(path): \(whenIdle)"
        }
        let daemon = pid > 0 ? "a daemon (pid \(pid))" : "a daemon (in another pid namespace)"
        return "no state file at \(path): \(daemon) holds its lock but has not written it yet "
            + "(its log says why: event=state-write-failed)"
    }

    /// The lock file beside the state file that a running daemon holds: `<path>.lock`.
    public var lockPath: String { Self.lockPath(forState: path) }

    /// The lock file beside the state file at `statePath`.
    public static func lockPath(forState statePath: String) -> String { statePath + ".lock" }

    /// Who holds the lock of the state file at `statePath`: the daemon running with it, if any.
    public static func lockHolder(forState statePath: String) -> LockFile.Holder {
        LockFile.holder(of: lockPath(forState: statePath))
    }

    /// Writes `state` atomically with mode 0644, creating the directory (0755) when missing.
    /// A symlink or anything but a regular file at the path is refused (see ``AtomicFile``).
    public func save(_ state: StateFile) throws(FileWriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(state) } catch {
            preconditionFailure("encoding a StateFile cannot fail: \(error)")
        }
        let directory = parentDirectory(of: path)
        if !directoryExists(directory) {
            try FileWriteError.wrapping { () throws(SystemError) in try AtomicFile.makeDirectories(directory) }
        }
        try AtomicFile.write(Array(data) + [0x0A], to: path, mode: 0o644)
    }

    /// The suffix a state file of unknown `version` is set aside with: `<path>.unknown-version-<version>`.
    public static func unknownVersionSuffix(_ version: Int) -> String { "unknown-version-\(version)" }

    /// Renames the state file to `<path>.<suffix>` (or, when that is taken, the same name with `.2`,
    /// `.3`, …), in its directory and never over another file.
    /// - Returns: the new path.
    public func setAside(as suffix: String) throws(FileWriteError) -> String {
        try FileWriteError.wrapping { () throws(SystemError) in
            let directory = try Directory.open(parentDirectory(of: path))
            defer { directory.close() }
            let base = "\(baseName(of: path)).\(suffix)"
            var name = base
            var copy = 1
            while try directory.kind(of: name) != nil {
                copy += 1
                name = "\(base).\(copy)"
            }
            try directory.rename(baseName(of: path), to: name)
            try directory.sync()
            return directory.pathOf(name)
        }
    }
}

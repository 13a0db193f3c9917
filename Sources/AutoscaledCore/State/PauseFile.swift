import AutoscaledBase
import AutoscaledSystem
import FoundationEssentials

/// What an operator asked with `autoscaled pause` or `autoscaled resume`, kept next to the state
/// file (`state.json` → `state.json.pause`) so the daemon sees it and it survives a restart.
///
/// ```json
/// {"version":1,"paused":true,"at":"2026-11-30T13:00:00.000Z","at_unix":1796043600,
///  "replicas":2,"until":"2026-11-30T13:30:00.000Z","until_unix":1796045400,"reason":"incident 42"}
/// ```
/// `resume` writes `"paused":false` rather than removing the file, so a watch on the directory
/// sees it the way it sees every other write: a rename into place.
public struct PauseFile: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    /// The largest pause file read; what `pause` writes stays far below it (``PauseOptions/maxReasonBytes``).
    public static let sizeLimit = 64 * 1024

    public var version: Int
    public var paused: Bool
    /// When the pause (or the resume) was asked for.
    public var at: String
    public var atUnix: Double
    /// The count to hold at (moved to once); `nil`: hold the count the pause found.
    public var replicas: Int?
    /// When the pause ends by itself; `nil`: until `resume`.
    public var until: String?
    public var untilUnix: Double?
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case version, paused, at, replicas, until, reason
        case atUnix = "at_unix"
        case untilUnix = "until_unix"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeWhole(Int.self, forKey: .version)
        paused = try container.decode(Bool.self, forKey: .paused)
        at = try container.decode(String.self, forKey: .at)
        atUnix = try container.decode(Double.self, forKey: .atUnix)
        replicas = try container.decodeWholeIfPresent(Int.self, forKey: .replicas)
        until = try container.decodeIfPresent(String.self, forKey: .until)
        untilUnix = try container.decodeIfPresent(Double.self, forKey: .untilUnix)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
    }

    private init(version: Int, paused: Bool, at: String, atUnix: Double, replicas: Int? = nil, until: String? = nil,
                 untilUnix: Double? = nil, reason: String? = nil) {
        self.version = version
        self.paused = paused
        self.at = at
        self.atUnix = atUnix
        self.replicas = replicas
        self.until = until
        self.untilUnix = untilUnix
        self.reason = reason
    }

    /// A pause asked for at `wallTime`, lasting `duration` when given.
    public static func pause(wallTime: Double, replicas: Int?, duration: Duration?, reason: String?) -> PauseFile {
        let until = duration.map { wallTime + Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        return PauseFile(version: currentVersion, paused: true, at: WallClock.iso8601(wallTime), atUnix: wallTime,
                         replicas: replicas, until: until.map(WallClock.iso8601), untilUnix: until, reason: reason)
    }

    /// The resume asked for at `wallTime`.
    public static func resume(wallTime: Double) -> PauseFile {
        PauseFile(version: currentVersion, paused: false, at: WallClock.iso8601(wallTime), atUnix: wallTime)
    }

    /// Whether the pause holds at `wallTime`: asked for, and its `until` not reached.
    public func holds(at wallTime: Double) -> Bool {
        paused && (untilUnix.map { wallTime < $0 } ?? true)
    }

    /// Where the pause file of the state file at `statePath` lives.
    public static func path(forState statePath: String) -> String {
        statePath + ".pause"
    }

    /// The pause file at `path`: `nil` when there is none.
    /// - Throws: a message naming the file when it cannot be read or is not a pause file.
    public static func load(_ path: String) throws(PauseFileError) -> PauseFile? {
        let contents: RegularFileContents
        do {
            contents = try RegularFile.read(path, limit: sizeLimit)
        } catch {
            // No file, or no directory to hold one: no pause.
            if case let .system(systemError) = error, systemError.isNoSuchPath { return nil }
            throw PauseFileError(path: path, problem: errorText(error, after: path))
        }
        let data = Data(contents.bytes)
        // The version first: a file another version wrote may differ in any other field.
        if let version = JSONFileFault.version(of: data), version != currentVersion {
            throw PauseFileError(
                path: path, problem: "version \(version) is unknown to this autoscaled (it reads version \(currentVersion))")
        }
        let file: PauseFile
        do {
            file = try JSONDecoder().decode(PauseFile.self, from: data)
        } catch {
            throw PauseFileError(path: path, problem: "not a valid pause file (\(JSONFileFault.summary(of: error)))")
        }
        if let fault = JSONFileFault.duplicateKeyFault(in: data) {
            throw PauseFileError(path: path, problem: "not a valid pause file (\(fault))")
        }
        if let problem = JSONFileFault.countFault("replicas", file.replicas) {
            throw PauseFileError(path: path, problem: problem)
        }
        if let problem = file.timeFault {
            throw PauseFileError(path: path, problem: problem)
        }
        return file
    }

    /// Why the file's times cannot be used, if they cannot: a number out of the span a file may
    /// hold (``JSONFileFault/wallTimes``), or a text that is not the time its number gives.
    var timeFault: String? {
        JSONFileFault.timeFault("at_unix", atUnix) ?? JSONFileFault.timeFault("until_unix", untilUnix)
            ?? JSONFileFault.timeTextFault("at", at, "at_unix", atUnix)
            ?? JSONFileFault.timeTextFault("until", until, "until_unix", untilUnix)
    }

    /// Writes the file atomically (the project's atomic-file helper: temp file, fsync, rename).
    public func save(to path: String) throws(FileWriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { preconditionFailure("a PauseFile always encodes") }
        // The file is `pause`'s and `resume`'s alone: a link put there is replaced, never written
        // through, so a pause the daemon read through a link can always be lifted.
        try AtomicFile.write(Array(data) + [0x0A], to: path, mode: 0o644, replacingLink: true)
    }
}

/// A pause file that cannot be used: `<path>: <problem>`.
public struct PauseFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public var description: String { "\(path): \(problem)" }
}

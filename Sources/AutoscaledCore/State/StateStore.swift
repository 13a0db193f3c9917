import FoundationEssentials

/// Reads and atomically writes the state file.
public struct StateStore: Sendable {
    /// What was found at start.
    public enum Loaded: Sendable, Equatable {
        case found(StateFile)
        case missing
        /// Present but unusable; the cause is for a warning.
        case corrupt(String)
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
            if case let .system(systemError) = error, systemError.isNoSuchFile { return .missing }
            return .corrupt(error.description)
        }
        do {
            let state = try JSONDecoder().decode(StateFile.self, from: Data(contents.bytes))
            guard state.desiredReplicas >= 0 else {
                return .corrupt("\(path): desired_replicas \(state.desiredReplicas) is negative")
            }
            if let applied = state.appliedReplicas, applied < 0 {
                return .corrupt("\(path): applied_replicas \(applied) is negative")
            }
            return .found(state)
        } catch {
            return .corrupt("\(path): not a valid state file (\(Self.summary(of: error)))")
        }
    }

    /// Writes `state` atomically with mode 0644, creating the directory (0755) when missing.
    public func save(_ state: StateFile) throws(SystemError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(state) } catch {
            preconditionFailure("encoding a StateFile cannot fail: \(error)")
        }
        let directory = parentDirectory(of: path)
        if !directoryExists(directory) { try AtomicFile.makeDirectories(directory) }
        try AtomicFile.write(Array(data) + [0x0A], to: path, mode: 0o644)
    }

    private static func summary(of error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: "not JSON"
        default: "\(error)"
        }
    }
}

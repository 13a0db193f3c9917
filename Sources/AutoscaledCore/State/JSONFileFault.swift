import FoundationEssentials

/// How the daemon reads the JSON files it keeps (the state file, the pause file): the version first,
/// and what is wrong with a file in a few words for the message that names it: `missing
/// updated_at`, `wrong type at replicas`.
enum JSONFileFault {
    static func summary(of error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(path(context))"
        case DecodingError.dataCorrupted(let context):
            // With a path, the JSON parsed and the file's own check refused one value.
            context.codingPath.isEmpty ? "not JSON" : "\(path(context)): \(context.debugDescription)"
        default: "\(error)"
        }
    }

    /// The file's `version`, read before the rest (a file another version wrote may differ in any
    /// other field), or `nil` when the file has none that reads as a whole number.
    static func version(of data: Data) -> Int? {
        try? JSONDecoder().decode(Version.self, from: data).version
    }

    private struct Version: Decodable {
        var version: Int
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}

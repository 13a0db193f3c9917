import FoundationEssentials

/// What is wrong with a JSON file the daemon keeps (the state file, the pause file), in a few
/// words for the message that names the file: `missing updated_at`, `wrong type at replicas`.
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

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}

import AutoscaledBase
import AutoscaledSystem
import FoundationEssentials

/// How the daemon reads the JSON files it keeps (the state file, the pause file): the version first,
/// and what is wrong with a file in a few words for the message that names it: `missing
/// updated_at`, `wrong type at replicas`.
enum JSONFileFault {
    static func summary(of error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            // No path: the document itself is not the object the file must be (`[]`, `3`, `"x"`).
            context.codingPath.isEmpty ? "not a JSON object" : "wrong type at \(path(context))"
        case DecodingError.dataCorrupted(let context):
            // With a path, the JSON parsed and the file's own check refused one value.
            context.codingPath.isEmpty ? "not JSON" : "\(path(context)): \(context.debugDescription)"
        default: "\(error)"
        }
    }

    /// Why a file the decoder took is still refused: a key given twice in one object (the decoder
    /// would keep one of the two values without a word: `"paused": true, "paused": false`).
    static func duplicateKeyFault(in data: Data) -> String? {
        let key = data.withUnsafeBytes { bytes in
            var cursor = JSONCursor(bytes)
            return cursor.firstDuplicateKey()
        }
        return key.map { "\(SyntaxQuoting.name($0)) is given twice" }
    }

    /// The file's `version`, read before the rest (a file another version wrote may differ in any
    /// other field), or `nil` when the file has none that reads as a whole number.
    static func version(of data: Data) -> Int? {
        try? JSONDecoder().decode(Version.self, from: data).version
    }

    /// The wall-clock times a file may hold, in seconds since the epoch: from 1970 to the year
    /// 33658, the span the history reader takes (``TraceParser/maxTimestamp``). Within it, every age,
    /// wait and date worked out from a time stays far inside its integer range.
    static let wallTimes: ClosedRange<Double> = 0...Double(TraceParser.maxTimestamp)

    /// Why the time `value` at `field` cannot be used (`until_unix 1e+19 is not a time from 0 to
    /// 1000000000000 (1970 to the year 33658)`); `nil` when it can, or when there is none.
    static func timeFault(_ field: String, _ value: Double?) -> String? {
        guard let value, !wallTimes.contains(value) else { return nil }
        return "\(field) \(DecimalText.format(value)) is not a time from 0 to \(TraceParser.maxTimestamp) (1970 to the year 33658)"
    }

    /// Why the count `value` at `field` cannot be used (`desired_replicas -2 is negative`,
    /// `replicas 2000000 is above 1000000, the most max_replicas may be`); `nil` when it can, or when
    /// there is none.
    static func countFault(_ field: String, _ value: Int?) -> String? {
        guard let value else { return nil }
        if value < 0 { return "\(field) \(value) is negative" }
        let most = PolicyConfig.maxReplicaCount
        return value > most ? "\(field) \(value) is above \(most), the most max_replicas may be" : nil
    }

    /// Why the text `text` at `field` is not the time `value` at `unixField`, as the writer writes it
    /// (``WallClock/iso8601(_:)``); `nil` when it is, or when there is neither. Check the number first.
    static func timeTextFault(_ field: String, _ text: String?, _ unixField: String, _ value: Double?) -> String? {
        switch (text, value) {
        case (nil, nil): return nil
        case let (text?, nil): return "\(field) \(EscapedText.quoted(text)) has no \(unixField)"
        case let (nil, value?): return "\(unixField) \(DecimalText.format(value)) has no \(field)"
        case let (text?, value?):
            let written = WallClock.iso8601(value)
            return text == written ? nil
                : "\(field) \(EscapedText.quoted(text)) is not \(written), the time \(unixField) \(DecimalText.format(value)) gives"
        }
    }

    private struct Version: Decodable {
        var version: Int
    }

    private static func path(_ context: DecodingError.Context) -> String {
        // An element of an array by its index (`periods.0.latest_bucket`), not the decoder's `Index 0`.
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// Why `number` is not a whole number of type `T`, for the message: `is not a whole number`, `is too large`.
    static func notWhole<T: FixedWidthInteger>(_ number: Double, _ type: T.Type) -> String {
        "\(DecimalText.format(number)) \(number.rounded() == number ? "is too large" : "is not a whole number")"
    }
}

/// A key for the `index`th element of an array, named by its index in a message (`at_unix_ms.2`).
private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { intValue.map(String.init) ?? "" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// Whole numbers in the files the daemon keeps. The decoder refuses a number that is not a whole
/// one, or too large, as "not valid JSON" with no field at all; these name the field.
extension KeyedDecodingContainer {
    func decodeWhole<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        do { return try decode(T.self, forKey: key) } catch {
            guard let number = try? decode(Double.self, forKey: key), T(exactly: number) == nil else { throw error }
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: JSONFileFault.notWhole(number, T.self))
        }
    }

    func decodeWholeIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try contains(key) && !decodeNil(forKey: key) ? decodeWhole(T.self, forKey: key) : nil
    }

    func decodeWholes<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> [T] {
        do { return try decode([T].self, forKey: key) } catch {
            guard let numbers = try? decode([Double].self, forKey: key),
                  let index = numbers.firstIndex(where: { T(exactly: $0) == nil }) else { throw error }
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath + [key, IndexKey(index)], debugDescription: JSONFileFault.notWhole(numbers[index], T.self)))
        }
    }

    func decodeWholesIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> [T]? {
        try contains(key) && !decodeNil(forKey: key) ? decodeWholes(T.self, forKey: key) : nil
    }
}

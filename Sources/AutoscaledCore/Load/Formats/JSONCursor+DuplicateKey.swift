extension JSONCursor {
    /// The first key given twice in one object of the document, at any depth (`"a"` and `"\u0061"`
    /// are one key); `nil` when there is none. For a document a JSON decoder has already taken,
    /// which keeps the first or the last of two values without a word: the walk only tracks
    /// objects and their keys, and never recurses.
    mutating func firstDuplicateKey() -> String? {
        // One entry per open object (its keys so far) or array (nil).
        var open: [Set<String>?] = []
        var expectingKey = false
        while true {
            skipWhitespace()
            guard index < end else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                open.append([])
                expectingKey = true
                index += 1
            case UInt8(ascii: "["):
                open.append(nil)
                expectingKey = false
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = open.popLast()
                expectingKey = false
                index += 1
            case UInt8(ascii: ","):
                expectingKey = open.last.map { $0 != nil } ?? false
                index += 1
            case UInt8(ascii: "\""):
                guard let text = try? readString() else { return nil }
                if expectingKey, let last = open.indices.last, open[last] != nil {
                    if !open[last]!.insert(text).inserted { return text }
                    expectingKey = false
                }
            default:
                // A number, `true`, `false`, `null` or the `:` after a key.
                index += 1
            }
        }
    }
}

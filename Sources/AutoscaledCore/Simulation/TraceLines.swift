/// Splits CSV bytes into the lines that carry data, each cut into comma-separated fields.
///
/// Blank lines and lines whose first non-blank byte is `#` are skipped; a UTF-8 byte order mark
/// at the start, a `\r` before each `\n` and spaces or tabs around each field are dropped.
struct TraceLines {
    /// A byte range of one field, already trimmed.
    struct Field {
        var start: Int
        var end: Int

        var isEmpty: Bool { start == end }
    }

    /// One data line: its 1-based number and its fields (at least one).
    struct Line {
        var number: Int
        var fields: [Field]
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private var lineNumber = 0
    private var fields: [Field] = []

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    /// The next data line, or `nil` at the end.
    mutating func next() -> Line? {
        while offset < bytes.count {
            lineNumber += 1
            var end = offset
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let start = offset
            offset = end + 1
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let first = skipBlanks(from: start, to: end)
            if first == end || bytes[first] == UInt8(ascii: "#") { continue }
            split(from: start, to: end)
            return Line(number: lineNumber, fields: fields)
        }
        return nil
    }

    private mutating func split(from start: Int, to end: Int) {
        fields.removeAll(keepingCapacity: true)
        var fieldStart = start
        var index = start
        while true {
            if index == end || bytes[index] == UInt8(ascii: ",") {
                var first = skipBlanks(from: fieldStart, to: index)
                var last = index
                while last > first, isBlank(bytes[last - 1]) { last -= 1 }
                if first > last { first = last }
                fields.append(Field(start: first, end: last))
                if index == end { return }
                fieldStart = index + 1
            }
            index += 1
        }
    }

    private func skipBlanks(from start: Int, to end: Int) -> Int {
        var index = start
        while index < end, isBlank(bytes[index]) { index += 1 }
        return index
    }

    private func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}

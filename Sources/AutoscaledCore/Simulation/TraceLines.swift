/// Splits CSV bytes into the lines that carry data, each cut into comma-separated fields.
///
/// Blank lines and lines whose first non-blank byte is `#` are skipped; a UTF-8 byte order mark
/// at the start, a `\r` before each `\n` and spaces or tabs around each field are dropped.
/// A line keeps at most `maxFields` fields, and counts them all: however long a line, it costs
/// no more memory than that.
struct TraceLines {
    /// A byte range of one field, already trimmed.
    struct Field {
        var start: Int
        var end: Int

        var isEmpty: Bool { start == end }
    }

    /// One data line: its 1-based number, its first `maxFields` fields (at least one) and how
    /// many it has.
    struct Line {
        var number: Int
        var fields: [Field]
        var fieldCount: Int
        /// Whether a `\r` stands inside the line, not before its `\n`: line ends of `\r` alone.
        var bareReturn = false
    }

    private let bytes: UnsafeRawBufferPointer
    private let maxFields: Int
    private var offset = 0
    private var lineNumber = 0
    private var fields: [Field] = []

    init(_ bytes: UnsafeRawBufferPointer, maxFields: Int) {
        self.bytes = bytes
        self.maxFields = maxFields
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    /// The next data line, or `nil` at the end.
    mutating func next() -> Line? {
        while offset < bytes.count {
            lineNumber += 1
            var end = offset
            var firstReturn = Int.max
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
                if bytes[end] == UInt8(ascii: "\r"), firstReturn == Int.max { firstReturn = end }
                end += 1
            }
            let start = offset
            offset = end + 1
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let first = skipBlanks(from: start, to: end)
            if first == end || bytes[first] == UInt8(ascii: "#") { continue }
            let count = split(from: start, to: end)
            return Line(number: lineNumber, fields: fields, fieldCount: count, bareReturn: firstReturn < end)
        }
        return nil
    }

    /// Cuts a line into ``fields``, the first `maxFields` of them; returns how many there are.
    private mutating func split(from start: Int, to end: Int) -> Int {
        fields.removeAll(keepingCapacity: true)
        var count = 0
        var fieldStart = start
        var index = start
        while true {
            if index == end || bytes[index] == UInt8(ascii: ",") {
                count += 1
                if count <= maxFields {
                    var first = skipBlanks(from: fieldStart, to: index)
                    var last = index
                    while last > first, isBlank(bytes[last - 1]) { last -= 1 }
                    if first > last { first = last }
                    fields.append(Field(start: first, end: last))
                }
                if index == end { return count }
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

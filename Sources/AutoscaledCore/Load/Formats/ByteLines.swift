/// Walks the lines of a byte buffer: each line's content without its `\n` or `\r\n`, its
/// 1-based number, and whether a newline ended it (a last line without one may be cut off).
///
/// Shared by the line-based parsers (`lines`, `prometheus`, `haproxy`); it never looks past the
/// buffer and every step consumes at least one byte.
struct ByteLines {
    struct Line {
        var number: Int
        /// The content, line end excluded.
        var range: Range<Int>
        var terminated: Bool
    }

    let bytes: UnsafeRawBufferPointer
    private var index: Int
    private var number = 0

    /// Starts at `start` (past a byte order mark, say).
    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        self.bytes = bytes
        self.index = start
    }

    /// - Throws: for a `\r` inside a line: line ends of `\r` alone would make the whole text one
    ///   line, refused for what that line seems to hold instead.
    mutating func next() throws(LoadError) -> Line? {
        guard index < bytes.count else { return nil }
        number += 1
        let start = index
        var end = start
        var firstReturn = Int.max
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
            if bytes[end] == UInt8(ascii: "\r"), firstReturn == Int.max { firstReturn = end }
            end += 1
        }
        index = end + 1
        let terminated = end < bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard firstReturn >= end else {
            throw .syntax(line: number, message: "a carriage return (\\r) inside the line: lines must end with \\n or \\r\\n, not \\r alone")
        }
        return Line(number: number, range: start..<end, terminated: terminated)
    }

    /// The error for a line holding data that no newline ends.
    static func cutOff(line: Int) -> LoadError {
        .syntax(line: line, message: "missing newline at the end of the last line (the data may be cut off)")
    }
}

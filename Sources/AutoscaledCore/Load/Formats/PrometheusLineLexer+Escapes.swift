/// Label values and their escapes: the only escapes are `\\`, `\"` and `\n`.
extension PrometheusLineLexer {
    /// Whether the raw label value at `range`, its escapes undone, is exactly `value`; allocates nothing.
    func value(_ range: Range<Int>, is value: [UInt8]) -> Bool {
        var position = range.lowerBound
        var offset = 0
        while position < range.upperBound {
            var byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\\"), position < range.upperBound {
                byte = bytes[position] == UInt8(ascii: "n") ? 0x0A : bytes[position]
                position += 1
            }
            guard offset < value.count, value[offset] == byte else { return false }
            offset += 1
        }
        return offset == value.count
    }

    /// The label value at `range` as text, escapes undone (the lexer has checked that it is UTF-8).
    func text(_ range: Range<Int>) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: unescaped(range), as: UTF8.self)
    }

    /// A raw label value with its escapes undone: `\\` → `\`, `\"` → `"`, `\n` → newline.
    func unescaped(_ range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\"), position + 1 < range.upperBound {
                let next = bytes[position + 1]
                out.append(next == UInt8(ascii: "n") ? 0x0A : next)
                position += 2
            } else {
                out.append(byte)
                position += 1
            }
        }
        return out
    }

    /// Checks the escape whose backslash is at `backslash`: only `\\`, `\"` and `\n` are escapes.
    func checkEscape(at backslash: Int, _ stop: Int, in context: String) throws(LoadError) {
        let next = backslash + 1
        guard next < stop else { throw syntax("invalid escape in \(context): '\\' at the end of the line") }
        switch bytes[next] {
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "n"):
            return
        case let other where other > 0x20 && other < 0x7F:
            throw syntax("invalid escape '\\\(Character(Unicode.Scalar(other)))' in \(context)")
        default:
            throw syntax("invalid escape in \(context): '\\' followed by \(SyntaxQuoting.found(bytes, at: next, end: stop))")
        }
    }
}

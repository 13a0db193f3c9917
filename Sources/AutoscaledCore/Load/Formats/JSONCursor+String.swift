import AutoscaledBase
extension JSONCursor {
    /// Reads a JSON string whose opening quote is at the cursor, and moves past its closing quote.
    ///
    /// A string without escapes becomes a `String` straight from the input bytes; one with
    /// escapes is decoded into ``scratch`` first. Either way the result must be valid UTF-8.
    mutating func readString() throws(LoadError) -> String {
        index += 1
        let start = index
        var ascii = true
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: text, as: UTF8.self) }
                guard let valid = String(validating: text, as: UTF8.self) else { throw invalidUTF8() }
                return valid
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(byte) }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let valid = String(validating: scratch, as: UTF8.self) else { throw invalidUTF8() }
                return valid
            }
            if byte == UInt8(ascii: "\\") {
                try readEscape()
                continue
            }
            if byte < 0x20 { throw controlCharacter(byte) }
            scratch.append(byte)
            index += 1
        }
        throw expected("'\"' closing the string")
    }

    /// Decodes the escape at the cursor (a backslash) into ``scratch``.
    private mutating func readEscape() throws(LoadError) {
        guard index + 1 < end else {
            index = end
            throw expected("'\"' closing the string")
        }
        let decoded: UInt8
        switch bytes[index + 1] {
        case UInt8(ascii: "\""): decoded = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): decoded = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): decoded = UInt8(ascii: "/")
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            try readUnicodeEscape()
            return
        case let other:
            if other > 0x20, other < 0x7F {
                throw syntax("invalid escape '\\\(Character(Unicode.Scalar(other)))' in string")
            }
            index += 1
            throw syntax("invalid escape in string: '\\' followed by \(SyntaxQuoting.found(bytes, at: index, end: end))")
        }
        scratch.append(decoded)
        index += 2
    }

    /// Decodes `\uXXXX`, or a surrogate pair `\uD8xx\uDCxx`, at the cursor into ``scratch``.
    private mutating func readUnicodeEscape() throws(LoadError) {
        let high = try hexQuad(at: index + 2)
        var scalarValue = UInt32(high)
        switch high {
        case 0xD800...0xDBFF:
            let next = index + 6
            guard next + 1 < end, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u") else {
                throw unpairedSurrogate(at: index)
            }
            let low = try hexQuad(at: next + 2)
            guard (0xDC00...0xDFFF).contains(low) else { throw unpairedSurrogate(at: index) }
            scalarValue = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            index += 12
        case 0xDC00...0xDFFF:
            throw unpairedSurrogate(at: index)
        default:
            index += 6
        }
        appendUTF8(scalarValue)
    }

    /// Appends the UTF-8 encoding of a scalar value (never a surrogate) to ``scratch``.
    private mutating func appendUTF8(_ value: UInt32) {
        switch value {
        case ..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: value))
        case ..<0x800:
            scratch.append(0xC0 | UInt8(truncatingIfNeeded: value >> 6))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: value & 0x3F))
        case ..<0x10000:
            scratch.append(0xE0 | UInt8(truncatingIfNeeded: value >> 12))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: (value >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: value & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(truncatingIfNeeded: value >> 18))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: (value >> 12) & 0x3F))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: (value >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: value & 0x3F))
        }
    }

    /// The value of the four hex digits at `start`.
    private func hexQuad(at start: Int) throws(LoadError) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 {
            let position = start + offset
            guard position < end else {
                throw syntax("expected 4 hex digits after '\\u', found end of data")
            }
            guard let digit = HexDigit.value(bytes[position]) else {
                let found = SyntaxQuoting.text(bytes, from: start, to: min(start + 4, end))
                throw syntax("expected 4 hex digits after '\\u', found \(found)")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private func unpairedSurrogate(at escape: Int) -> LoadError {
        // Only called once the four hex digits after `\u` were read, so they are ASCII.
        let digits = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(escape + 2)..<(escape + 6)]), as: UTF8.self)
        return syntax("unpaired UTF-16 surrogate '\\u\(digits)' in string")
    }

    private func controlCharacter(_ byte: UInt8) -> LoadError {
        let hex = String(byte, radix: 16, uppercase: true)
        return syntax("unescaped control character U+\(String(repeating: "0", count: 4 - hex.count) + hex) in string")
    }

    private func invalidUTF8() -> LoadError {
        syntax("string is not valid UTF-8")
    }
}

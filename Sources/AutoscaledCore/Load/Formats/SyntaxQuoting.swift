import AutoscaledBase

/// How the load parsers show input text inside their error messages: short, quoted and escaped,
/// so a message is always one printable line whatever bytes the input held.
enum SyntaxQuoting {
    /// The most input bytes a message quotes before cutting with `…`.
    static let maxQuotedBytes = 24
    /// The most characters of a server name a message quotes before cutting with `…`.
    static let maxNameCharacters = 32

    /// A server name in double quotes, as ``LoadError`` shows names.
    static func name(_ name: String) -> String {
        var scalars = Substring(name).unicodeScalars[...]
        var cut = false
        if name.unicodeScalars.count > maxNameCharacters {
            scalars = scalars.prefix(maxNameCharacters)
            cut = true
        }
        var out = "\""
        appendQuoted(scalars, quote: "\"", to: &out)
        return out + (cut ? "…\"" : "\"")
    }

    /// `bytes[start..<end]` in single quotes, cut at ``maxQuotedBytes``.
    static func text(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> String {
        var stop = min(end, start &+ maxQuotedBytes)
        let cut = stop < end
        // Never split a UTF-8 sequence: back off over continuation bytes.
        while cut, stop > start, bytes[stop] & 0xC0 == 0x80 { stop -= 1 }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<stop])
        var out = "'"
        if let valid = String(validating: slice, as: UTF8.self) {
            appendQuoted(valid.unicodeScalars, quote: "'", to: &out)
        } else {
            for byte in slice {
                if byte < 0x80 {
                    append(Unicode.Scalar(byte), quote: "'", to: &out)
                } else {
                    out += "\\x" + hex(byte)
                }
            }
        }
        return out + (cut ? "…'" : "'")
    }

    /// `bytes[start..<end]` as written, unquoted and cut at ``maxQuotedBytes``: for a number the
    /// parser has already read (so ASCII), which a message shows as the file spells it.
    static func written(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> String {
        let stop = min(end, start &+ maxQuotedBytes)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
        return stop < end ? text + "…" : text
    }

    /// What stands at `index`, for an "expected …, found …" message: one token, quoted.
    ///
    /// A token is a JSON string (through its closing quote), a run of letters, digits and
    /// `+-._`, or else a single character. At the end of the input it is `end of data`.
    static func found(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int) -> String {
        guard index < end else { return "end of data" }
        var stop = index + 1
        let first = bytes[index]
        if first == UInt8(ascii: "\"") {
            while stop < end, stop - index <= maxQuotedBytes, bytes[stop] != UInt8(ascii: "\"") {
                if bytes[stop] == UInt8(ascii: "\n") { break }
                stop += 1
            }
            if stop < end, bytes[stop] == UInt8(ascii: "\"") { stop += 1 }
        } else if isWordByte(first) {
            while stop < end, stop - index <= maxQuotedBytes, isWordByte(bytes[stop]) { stop += 1 }
        } else if first >= 0x80 {
            while stop < end, stop - index < 4, bytes[stop] & 0xC0 == 0x80 { stop += 1 }
        }
        return text(bytes, from: index, to: stop)
    }

    /// Letters, digits and the characters a mistyped number or keyword is made of.
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private static func append(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, to out: inout String) {
        TextEscaping.append(scalar, quote: quote, to: &out)
    }

    /// `scalars` after an opening quote: a mark first is escaped, as it would be drawn on the quote.
    private static func appendQuoted(_ scalars: some Sequence<Unicode.Scalar>, quote: Unicode.Scalar, to out: inout String) {
        var first = true
        for scalar in scalars {
            if first { TextEscaping.appendFirst(scalar, quote: quote, to: &out) } else { append(scalar, quote: quote, to: &out) }
            first = false
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}

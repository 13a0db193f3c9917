import AutoscaledBase

/// journald's native protocol: one datagram of fields, each `NAME=value\n`, or, for a value that
/// holds a newline, `NAME\n`, the value's length as a little-endian 64-bit integer, the value, `\n`.
///
/// A log record becomes `MESSAGE` (the line as it would go to the stream, without its `<N>`
/// prefix), `PRIORITY`, `SYSLOG_IDENTIFIER`, `AUTOSCALED_EVENT` and one `AUTOSCALED_<KEY>` per
/// field (`to` → `AUTOSCALED_TO`), so `journalctl AUTOSCALED_EVENT=scale-up AUTOSCALED_TO=7` works.
public enum JournalMessage {
    /// One field of a journal entry; the value is bytes, as the protocol allows.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: [UInt8]

        public init(_ name: String, _ value: [UInt8]) {
            self.name = name
            self.value = value
        }

        public init(_ name: String, _ value: String) {
            self.init(name, Array(value.utf8))
        }
    }

    /// A datagram that is not in the native protocol: where it goes wrong, by byte offset.
    public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var problem: String

        public var description: String { "journal message: byte \(offset): \(problem)" }
    }

    /// The name journald files entries under when nothing else is said.
    public static let identifier = "autoscaled"

    /// The longest field name journald accepts.
    static let maximumNameLength = 64

    /// The fields for `record`; `message` is its encoded line without the `<N>` prefix.
    public static func fields(_ record: LogRecord, message: String, identifier: String = identifier) -> [Field] {
        var fields = [
            Field("MESSAGE", message), Field("PRIORITY", String(record.level.rawValue)),
            Field("SYSLOG_IDENTIFIER", identifier), Field("AUTOSCALED_EVENT", record.event.rawValue),
        ]
        for field in record.fields {
            fields.append(Field(fieldName(field.key), field.value.text))
        }
        return fields
    }

    /// `AUTOSCALED_` and `key` in upper case, anything outside `[A-Z0-9_]` as `_`, at most 64 bytes.
    public static func fieldName(_ key: String) -> String {
        let body = key.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z": Character(String(scalar).uppercased())
            case "A"..."Z", "0"..."9", "_": Character(scalar)
            default: "_"
            }
        }
        return String(("AUTOSCALED_" + String(body)).prefix(maximumNameLength))
    }

    /// Whether journald accepts `name`: `[A-Z0-9_]`, 1 to 64 bytes, not starting with `_` or a digit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maximumNameLength,
              first != UInt8(ascii: "_"), !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    /// The datagram for `fields`: the plain form, or the binary one for a value with a newline.
    public static func encode(_ fields: [Field]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.count + 10 })
        for field in fields {
            out += field.name.utf8
            if field.value.contains(UInt8(ascii: "\n")) {
                out.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(field.value.count).littleEndian) { out += $0 }
            } else {
                out.append(UInt8(ascii: "="))
            }
            out += field.value
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The fields of a datagram, as journald reads it: a name runs to the first `=` (plain value
    /// up to the next newline) or newline (length-prefixed value); every field ends with `\n`.
    public static func decode(_ bytes: some Collection<UInt8>) throws(DecodeError) -> [Field] {
        let bytes = Array(bytes)
        var fields: [Field] = []
        var index = 0
        while index < bytes.count {
            let start = index
            guard let end = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") }) else {
                throw DecodeError(offset: start, problem: "field name without '=' or newline")
            }
            let name = String(decoding: bytes[start..<end], as: UTF8.self)
            guard isValidName(name) else {
                throw DecodeError(offset: start, problem: "invalid field name \(EscapedText.quoted(name))")
            }
            if bytes[end] == UInt8(ascii: "=") {
                guard let newline = bytes[(end + 1)...].firstIndex(of: UInt8(ascii: "\n")) else {
                    throw DecodeError(offset: end + 1, problem: "value of \(name) without a final newline")
                }
                fields.append(Field(name, Array(bytes[(end + 1)..<newline])))
                index = newline + 1
            } else {
                let lengthStart = end + 1
                guard bytes.count - lengthStart >= 8 else {
                    throw DecodeError(offset: lengthStart, problem: "length of \(name) cut short")
                }
                var length: UInt64 = 0
                for (shift, byte) in bytes[lengthStart..<(lengthStart + 8)].enumerated() {
                    length |= UInt64(byte) << (8 * UInt64(shift))
                }
                let valueStart = lengthStart + 8
                guard length < UInt64(bytes.count - valueStart) else {
                    throw DecodeError(offset: lengthStart, problem: "length \(length) of \(name) runs past the end")
                }
                let valueEnd = valueStart + Int(length)
                guard bytes[valueEnd] == UInt8(ascii: "\n") else {
                    throw DecodeError(offset: valueEnd, problem: "value of \(name) not followed by a newline")
                }
                fields.append(Field(name, Array(bytes[valueStart..<valueEnd])))
                index = valueEnd + 1
            }
        }
        return fields
    }
}

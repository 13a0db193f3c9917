/// ASCII hexadecimal digits, as the formats read them (a JSON `\u` escape, an HTTP chunk size).
package enum HexDigit {
    /// The value of `byte` as a hex digit (`0`–`9`, `a`–`f`, `A`–`F`); `nil` for any other byte.
    package static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

import Glibc

/// The words of this process's command line, as the kernel gave them.
public enum ProcessArguments {
    /// Why the command line cannot be used.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The Swift runtime reads the command line from `/proc/self/cmdline`; without `/proc` it has none.
        case unreadable
        /// The word at `position` (1 for the first after the program's name) is not UTF-8: as text it
        /// would name another file than the one given. `escaped` shows its bytes.
        case notUTF8(position: Int, escaped: String)

        public var description: String {
            switch self {
            case .unreadable:
                "cannot read the command line: /proc/self/cmdline cannot be read (is /proc mounted?)"
            case let .notUTF8(position, escaped):
                "argument \(position) is not valid UTF-8: \(escaped) (paths and values are taken as UTF-8 text)"
            }
        }
    }

    /// The words after the program's name.
    public static func current() throws(Failure) -> [String] {
        let count = Int(CommandLine.argc)
        if count <= 1, access("/proc/self/cmdline", R_OK) != 0 { throw .unreadable }
        var words: [String] = []
        for position in 1..<max(1, count) {
            guard let word = CommandLine.unsafeArgv[position] else { break }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(word).assumingMemoryBound(to: UInt8.self), count: strlen(word))
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .notUTF8(position: position, escaped: escaped(bytes))
            }
            words.append(text)
        }
        return words
    }

    /// `bytes` in single quotes, printable ASCII as itself and every other byte as `\xHH`.
    static func escaped(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var text = "'"
        for byte in bytes {
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "'"), byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return text + "'"
    }
}

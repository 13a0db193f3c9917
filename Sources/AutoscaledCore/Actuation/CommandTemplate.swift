import AutoscaledBase

/// A command line split into an argument vector once, when the config is loaded, with its
/// placeholders marked. It is never given to a shell.
///
/// Splitting, as a shell would split words but without any expansion:
/// - words are separated by spaces or tabs;
/// - `'…'` keeps everything inside as it is;
/// - `"…"` keeps everything inside as it is, except that `\"` and `\\` stand for `"` and `\`;
/// - outside quotes, `\` makes the next character part of the word (`\ ` is a space);
/// - quotes may join text into one word: `--name="a b"` is the single word `--name=a b`;
/// - `$`, `` ` ``, `;`, `|`, `&`, `<`, `>`, `*`, `~` and the like are ordinary characters.
///
/// Placeholders `{replicas}`, `{previous}` and `{direction}` may appear anywhere in an argument
/// (quoted or not) and are replaced in that argument alone: a value never splits or joins
/// words. Any other `{name}` is an error (a typo, or a shell `${VAR}` that would not expand), and so
/// are a `{name` the argument ends in (an unterminated placeholder), a placeholder in double
/// braces, `{{replicas}}` (a template language's habit, which would pass `{4}`), and a placeholder's
/// name with blanks inside its braces, `{ replicas }`; braces around anything else, as in JSON or
/// awk's `{ print }`, are plain text.
public struct CommandTemplate: Sendable, Equatable, CustomStringConvertible {
    /// A value substituted into the arguments at each actuation.
    public enum Placeholder: String, Sendable, CaseIterable {
        case replicas, previous, direction
    }

    /// Part of one argument.
    public enum Piece: Sendable, Equatable {
        case text(String)
        case placeholder(Placeholder)
    }

    /// Why a command line cannot be used; `problem` follows the quoted text in a config error.
    public struct Fault: Error, Sendable, Equatable {
        public var problem: String
        public var expected: String?
    }

    /// The words, each a sequence of text and placeholders; the first is the program.
    public let words: [[Piece]]

    /// Splits `text` and marks its placeholders.
    public init(parsing text: String) throws(Fault) {
        let words = try Self.split(text)
        // Unquoted, `{ replicas }` is three words: `{`, `replicas`, `}`.
        try Self.refuseSplitPlaceholder(in: words)
        try self.init(arguments: words)
    }

    /// Marks the placeholders in arguments that are already split (they may hold any character,
    /// newlines included).
    public init(arguments: [String]) throws(Fault) {
        guard let program = arguments.first, !program.isEmpty else {
            throw Fault(problem: "has no program", expected: "a program and its arguments, e.g. /usr/local/bin/scale-model --replicas {replicas}")
        }
        var words: [[Piece]] = []
        for argument in arguments {
            try Self.refuseSpacedPlaceholder(in: argument)
            words.append(try Self.pieces(of: argument))
        }
        guard words[0] == [.text(program)] else {
            throw Fault(problem: "has a placeholder in the program name", expected: "a fixed program, e.g. /usr/local/bin/scale-model")
        }
        // `NAME=value program …` sets a variable in a shell; here it would be looked up as a program.
        if let equals = program.firstIndex(of: "="), equals != program.startIndex,
           program[..<equals].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw Fault(problem: "starts with \(program), a variable assignment that only a shell makes",
                        expected: "a program first; the command is not run by a shell: use /usr/bin/env \(program) …")
        }
        // A relative path would depend on the daemon's working directory (/ under systemd).
        guard program.hasPrefix("/") || !program.contains("/") else {
            throw Fault(problem: "names the program by a relative path",
                        expected: "an absolute path, or a bare name looked up in PATH, e.g. /usr/local/bin/scale-model")
        }
        // What `posix_spawn` would refuse at every actuation (E2BIG): an argument longer than the
        // kernel takes, or arguments too large together.
        if let problem = Self.programLengthProblem(program) { throw Fault(problem: problem, expected: nil) }
        var total = 0
        for word in words {
            let bytes = word.reduce(0) { sum, piece in
                switch piece {
                case let .text(text): sum + text.utf8.count
                case .placeholder: sum + Self.longestValueBytes
                }
            }
            if bytes > Self.maxArgumentBytes {
                throw Fault(problem: "has an argument of \(bytes) bytes, more than the \(Self.maxArgumentBytes) the kernel passes "
                    + "to a program in one argument", expected: nil)
            }
            total += bytes + 1
        }
        if total > Self.maxArgumentsBytes {
            throw Fault(problem: "has arguments of \(total) bytes together, more than the \(Self.maxArgumentsBytes) an actuator's "
                + "may take (the kernel's limit, a quarter of the stack limit, is shared with the environment)", expected: nil)
        }
        self.words = words
    }

    /// The most bytes one argument may have: the kernel's `MAX_ARG_STRLEN` (32 pages), less its NUL.
    public static let maxArgumentBytes = 32 * 4096 - 1
    /// The most bytes the arguments may have together (with their NULs): half of the 2 MiB the
    /// kernel allows by default (a quarter of an 8 MiB stack), the rest left to the environment.
    public static let maxArgumentsBytes = 1 << 20
    /// The longest value a placeholder takes: a count of up to 20 digits, or a direction.
    static let longestValueBytes = 20

    /// Why the kernel would refuse the program's path (ENAMETOOLONG), if it would.
    private static func programLengthProblem(_ program: String) -> String? {
        let bytes = program.utf8.count
        if bytes > 4095 { return "names a program by a path of \(bytes) bytes, more than the 4095 a path may have" }
        let longest = program.utf8.split(separator: UInt8(ascii: "/")).map(\.count).max() ?? 0
        if longest > 255 { return "names a program by a path with a name of \(longest) bytes in it, more than the 255 a file name may have" }
        return nil
    }

    /// The program, as written: an absolute path, or a bare name looked up in `PATH` (never a
    /// relative path, which would depend on the daemon's working directory).
    public var program: String {
        guard case let .text(program)? = words.first?.first else { return "" }
        return program
    }

    /// The argument vector for one actuation: each placeholder replaced by its value.
    public func arguments(_ values: (Placeholder) -> String) -> [String] {
        words.map { word in
            word.map { piece in
                switch piece {
                case let .text(text): text
                case let .placeholder(placeholder): values(placeholder)
                }
            }.joined()
        }
    }

    /// The command as config text that splits back into the same words.
    public var description: String {
        arguments { "{\($0.rawValue)}" }.map(Self.quotedIfNeeded).joined(separator: " ")
    }

    /// The words of `text`, split as described on the type.
    static func split(_ text: String) throws(Fault) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var scalars = Substring(text).unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case " ", "\t":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'":
                inWord = true
                guard let end = scalars.firstIndex(of: "'") else {
                    throw Fault(problem: "has an unterminated single quote", expected: nil)
                }
                current.unicodeScalars.append(contentsOf: scalars[..<end])
                scalars = scalars[scalars.index(after: end)...]
            case "\"":
                inWord = true
                var closed = false
                while let next = scalars.popFirst() {
                    if next == "\"" {
                        closed = true
                        break
                    }
                    if next == "\\", let escaped = scalars.first, escaped == "\"" || escaped == "\\" {
                        current.unicodeScalars.append(escaped)
                        scalars.removeFirst()
                    } else {
                        current.unicodeScalars.append(next)
                    }
                }
                guard closed else { throw Fault(problem: "has an unterminated double quote", expected: nil) }
            case "\\":
                inWord = true
                guard let escaped = scalars.popFirst() else {
                    throw Fault(problem: "ends with a lone backslash", expected: nil)
                }
                current.unicodeScalars.append(escaped)
            default:
                inWord = true
                current.unicodeScalars.append(scalar)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// `argument` cut into text and placeholders.
    private static func pieces(of argument: String) throws(Fault) -> [Piece] {
        var pieces: [Piece] = []
        var text = ""
        var rest = Substring(argument)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            let afterOpen = rest.index(after: open)
            let name = rest[afterOpen...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            let close = name.endIndex
            let names = "{replicas}, {previous} or {direction}"
            if let first = name.first, !first.isNumber, close == rest.endIndex {
                throw Fault(problem: "has an unterminated placeholder {\(name)", expected: names)
            }
            guard let first = name.first, !first.isNumber, rest[close] == "}" else {
                text.append("{")
                rest = rest[afterOpen...]
                continue
            }
            guard let placeholder = Placeholder(rawValue: String(name)) else {
                throw Fault(problem: "has an unknown placeholder {\(name)}",
                            expected: "\(names); the command is not run by a shell")
            }
            let afterClose = rest.index(after: close)
            // A brace just before a placeholder is a slip for it, not text (`{4` would be run). One just
            // after may close a brace the word opened (`'{"n": {replicas}}'`), so it alone stays text.
            if text.hasSuffix("{") {
                let after = afterClose < rest.endIndex && rest[afterClose] == "}" ? "}" : ""
                throw Fault(problem: "has {{\(name)}\(after), which would pass the value with a brace", expected: "{\(name)}")
            }
            if !text.isEmpty { pieces.append(.text(text)) }
            text = ""
            pieces.append(.placeholder(placeholder))
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        if !text.isEmpty || pieces.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// A placeholder's name with blanks inside its braces, `{ replicas }` or `{{ replicas }}` (a
    /// template language's spelling), would otherwise be passed as that text, not as the value.
    private static func refuseSpacedPlaceholder(in text: String) throws(Fault) {
        let blanks: Set<Character> = [" ", "\t"]
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            rest = rest[rest.index(after: open)...]
            let inside = rest.drop { blanks.contains($0) }
            let name = inside.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            let after = inside[name.endIndex...].drop { blanks.contains($0) }
            guard let placeholder = Placeholder(rawValue: String(name)), after.first == "}",
                  inside.startIndex != rest.startIndex || after.startIndex != name.endIndex else { continue }
            throw Fault(problem: "has \(EscapedText.quoted(String(text[open...after.startIndex]))), a placeholder with blanks "
                            + "inside its braces, which would be passed as it is written",
                        expected: "{\(placeholder.rawValue)}")
        }
    }

    /// A placeholder's braces and name split into words by blanks (`{ replicas }`, `{{ replicas}}`):
    /// a word ending in `{` followed by a word that is the name, then `}` (in it or in the next word).
    /// Read from the words, not the text, so a command and its ``description`` are judged alike.
    private static func refuseSplitPlaceholder(in words: [String]) throws(Fault) {
        for index in words.indices.dropLast() where words[index].hasSuffix("{") {
            let next = Substring(words[index + 1])
            let name = next.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            guard let placeholder = Placeholder(rawValue: String(name)) else { continue }
            let closes = next.dropFirst(name.count).first == "}"
                || (name.count == next.count && index + 2 < words.count && words[index + 2].hasPrefix("}"))
            guard closes else { continue }
            throw Fault(problem: "has '{ \(placeholder.rawValue) }', a placeholder with blanks inside its braces, "
                            + "which would be passed as it is written", expected: "{\(placeholder.rawValue)}")
        }
    }

    /// `word` as it must be written to split back into itself. Scalars, not characters, are
    /// looked at, as ``split(_:)`` does: a quote followed by a combining mark is still a quote.
    private static func quotedIfNeeded(_ word: String) -> String {
        let special: Set<Unicode.Scalar> = [" ", "\t", "'", "\"", "\\", "#", ";"]
        let scalars = word.unicodeScalars
        guard scalars.isEmpty || scalars.contains(where: special.contains) else { return word }
        if !scalars.contains("'") { return "'\(word)'" }
        var quoted = String.UnicodeScalarView()
        for scalar in scalars {
            if scalar == "\\" || scalar == "\"" { quoted.append("\\") }
            quoted.append(scalar)
        }
        return "\"\(String(quoted))\""
    }
}

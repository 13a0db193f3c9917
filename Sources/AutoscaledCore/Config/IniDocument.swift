import AutoscaledBase

/// A config file cut into its meaningful lines: section headers and `key = value` assignments.
///
/// The dialect is the INI of systemd unit files:
/// - `[section]` starts a section; `key = value` assigns, whitespace around both is trimmed;
/// - blank lines and lines starting with `#` or `;` are ignored;
/// - a `#` or `;` preceded by whitespace starts a comment, unless it is inside quotes;
///   a quote opens a quoted run only at the start of a word (so `O'Brien` opens none), and
///   `\` escapes the next character inside double quotes;
/// - lines end in `\n` or `\r\n`; a UTF-8 byte order mark at the start is skipped.
///
/// The document knows no schema: it neither rejects unknown names nor removes quotes.
struct IniDocument: Equatable {
    /// What one meaningful line says.
    enum Content: Equatable {
        /// `[name]`.
        case section(String)
        /// `key = value`, both trimmed, the value with its inline comment removed.
        case assignment(key: String, value: String)
        /// A line that is none of the above; the message says why.
        case malformed(String)
        /// A line that starts a section but is no valid header (`[policy`, `[policy] x`): the keys
        /// after it are of no section known, not of the section before it.
        case malformedSection(String)
    }

    /// One meaningful line and its 1-based number.
    struct Entry: Equatable {
        var line: Int
        var content: Content
    }

    /// The meaningful lines, in file order; blank and comment lines are left out.
    var entries: [Entry]

    init(text: String) {
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" { body.unicodeScalars.removeFirst() }
        entries = []
        for (offset, rawLine) in Self.lines(of: body).enumerated() {
            let line = Self.trimmed(Self.withoutComment(Self.trimmed(Array(rawLine.unicodeScalars))))
            guard !line.isEmpty else { continue }
            entries.append(Entry(line: offset + 1, content: Self.content(of: line)))
        }
    }

    /// The lines of `text` as the document numbers them: split at every `\n` scalar, a `\r` before
    /// it kept at the end of its line. (Swift reads `\r\n` as one `Character`, so splitting the
    /// characters at `"\n"` would not split a CRLF file at all.)
    static func lines(of text: Substring) -> [Substring] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Substring.init)
    }

    private static func content(of line: [Unicode.Scalar]) -> Content {
        if line.first == "[" {
            let name = trimmed(Array(line.dropFirst().dropLast()))
            guard line.last == "]", !name.isEmpty, name.allSatisfy(isNameScalar) else {
                return .malformedSection("expected '[section]', got \(EscapedText.quoted(string(line)))")
            }
            return .section(string(name))
        }
        if line.first == "\u{FEFF}", line.dropFirst().first == "[" {
            return .malformedSection("a byte order mark (U+FEFF) before \(EscapedText.quoted(string(Array(line.dropFirst())))): "
                + "only the file's first line may start with one")
        }
        guard let equals = line.firstIndex(of: "="), equals > 0 else {
            return .malformed(
                "expected 'key = value', '[section]' or a comment, got \(EscapedText.quoted(string(line)))")
        }
        let key = trimmed(Array(line[..<equals]))
        let value = trimmed(Array(line[(equals + 1)...]))
        guard key.allSatisfy(isNameScalar) else {
            return .malformed(
                "invalid key name \(EscapedText.quoted(string(key))) (expected letters, digits, '_', '-' or '.')")
        }
        if value.first == "=" {
            // `path == x`, `path = = x`: a typo, not a value that starts with '=' (quoting one says so).
            return .malformed("\(EscapedText.quoted(string(line))) has a second '=' where its value starts "
                + "(quote a value that starts with '=')")
        }
        return .assignment(key: string(key), value: string(value))
    }

    /// `line` up to its comment, if any. A leading `#` or `;` makes the whole line a comment.
    private static func withoutComment(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var quote: Unicode.Scalar?
        var escaped = false
        for (index, scalar) in line.enumerated() {
            let previous: Unicode.Scalar? = index > 0 ? line[index - 1] : nil
            if let open = quote {
                if escaped {
                    escaped = false
                } else if scalar == "\\", open == "\"" {
                    escaped = true
                } else if scalar == open {
                    quote = nil
                }
            } else if scalar == "#" || scalar == ";" {
                if previous.map(isSpace) ?? true { return Array(line[..<index]) }
            } else if scalar == "\"" || scalar == "'" {
                if previous.map({ isSpace($0) || $0 == "=" }) ?? true { quote = scalar }
            }
        }
        return line
    }

    private static func trimmed(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return [] }
        return Array(scalars[first...last])
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}"
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "_" || scalar == "-" || scalar == "."
    }

    private static func string(_ scalars: [Unicode.Scalar]) -> String {
        String(String.UnicodeScalarView(scalars))
    }
}

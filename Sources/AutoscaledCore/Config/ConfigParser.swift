import AutoscaledBase
import AutoscaledSystem

/// Turns the text of `autoscaled.conf` into a validated ``Config``, reporting every fault at once.
///
/// Pure: it reads no file. The caller reads the file and passes its text, the name to show in
/// errors, and the directory relative paths are resolved against (and, from ``ConfigLoader``, a
/// look at the disk for a file where the history's directory must be).
///
/// ```
/// text ─▶ IniDocument (lines) ─▶ sections, keys, duplicates ─▶ typed values ─▶ defaults,
///      required keys ─▶ cross-key rules ─▶ Config
/// ```
public enum ConfigParser {
    /// Parses and validates a config file's text.
    /// - Parameters:
    ///   - text: the whole file, UTF-8 decoded; `\r\n` line ends and a byte order mark are fine.
    ///   - file: the name shown at the start of each error, e.g. `autoscaled.conf`.
    ///   - directory: the absolute directory relative paths are resolved against
    ///     (normally the config file's own directory).
    /// - Returns: the config, or every fault found, in file order (faults without a line last).
    public static func parse(_ text: String, file: String, directory: String) -> Result<Config, ConfigErrors> {
        parse(text, undecodable: [], file: file, directory: directory)
    }

    /// Parses a file's bytes. A line that is not valid UTF-8 is reported, with the column of its
    /// first bad byte, and read as blank, so that the faults of the other lines are reported too.
    /// - Parameter disk: what the file rules may learn from the disk (a file where a directory must be,
    ///   two names of one file); `nil` (the default) keeps the parse pure.
    public static func parse(
        bytes: some Collection<UInt8>, file: String, directory: String, disk: ConfigDiskProbe? = nil
    ) -> Result<Config, ConfigErrors> {
        var text = ""
        var undecodable: [(line: Int, message: String)] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if index > 0 { text += "\n" }
            if let decoded = String(validating: line, as: UTF8.self) {
                text += decoded
            } else {
                // A section header that is not UTF-8 is still a header: the keys after it are of no
                // section known, not of the one before. A bare `[` stands for it (reported as its own).
                let header = line.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) == UInt8(ascii: "[")
                if header { text += "[" }
                undecodable.append((index + 1, undecodableLine(line, header: header)))
            }
        }
        return parse(text, undecodable: undecodable, file: file, directory: directory, disk: disk)
    }

    /// What is wrong with a line that is not valid UTF-8: its first bad byte and where it is.
    private static func undecodableLine(_ line: some Collection<UInt8>, header: Bool) -> String {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = line.makeIterator()
        var offset = 0
        while case let .valid(scalar) = parser.parseScalar(from: &bytes) { offset += scalar.count }
        let bad = Array(line).dropFirst(offset).first.map { "0x" + String($0, radix: 16, uppercase: true) } ?? "end"
        let read = header ? "as a section header of no known section: the keys after it are skipped" : "as blank"
        return "not valid UTF-8: byte \(bad) at byte \(offset + 1) of the line (the line is read \(read))"
    }

    private static func parse(
        _ text: String, undecodable: [(line: Int, message: String)], file: String, directory: String,
        disk: ConfigDiskProbe? = nil
    ) -> Result<Config, ConfigErrors> {
        var reader = Reader(directory: directory)
        for fault in undecodable { reader.report(fault.message, line: fault.line) }
        reader.undecodableLines = Set(undecodable.map(\.line))
        reader.read(IniDocument(text: text))
        reader.applyDefaults()
        let configPath = PathText.resolve(baseName(of: file), against: directory)
        for fault in ConfigConsistency.faults(in: reader.values, configPath: configPath, disk: disk) {
            reader.report(fault.message, line: fault.line)
        }
        var errors = reader.faults.enumerated()
            .sorted { ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset) }
            .map { ConfigError(file: file, line: $0.element.line, message: $0.element.message) }
        let told = errors.count
        if reader.unreported > 0 {
            errors.append(ConfigError(file: file, line: nil, message: "\(reader.unreported) more error"
                + "\(reader.unreported == 1 ? "" : "s") not shown (the first \(maxReported) are told)"))
        }
        guard errors.isEmpty else { return .failure(ConfigErrors(errors, unreported: told + reader.unreported - errors.count)) }
        do {
            return .success(try Config(values: reader.values))
        } catch {
            return .failure(ConfigErrors([ConfigError(
                file: file, line: nil, message: "no value for '\(error.key.name)' in [\(error.key.section)]")]))
        }
    }
}

extension ConfigParser {
    /// The most errors one config's check tells; the rest are counted.
    static let maxReported = 50

    /// The walk over one document: it collects values and faults.
    private struct Reader {
        /// Where an assignment stands. Keys of an unknown section are skipped: the section is reported.
        enum Place {
            case beforeAnySection
            case unknownSection
            case section(String)
        }

        let directory: String
        var values = ParsedValues()
        var faults: [(line: Int?, message: String)] = []
        /// Keys given in the file (valid or not) and the line each was first given on.
        var given: [ConfigKey: Int] = [:]
        /// Lines that are not UTF-8, already reported as such.
        var undecodableLines: Set<Int> = []
        /// The line of each known section's first header.
        var sectionLines: [String: Int] = [:]

        init(directory: String) {
            self.directory = directory
        }

        /// Faults told beyond ``ConfigParser/maxReported``: counted, their messages never made (a
        /// file of 40000 unknown keys would otherwise spend seconds on suggestions no one reads).
        var unreported = 0
        /// The sections whose known keys an error has listed already.
        var sectionsListed: Set<String> = []

        mutating func report(_ message: @autoclosure () -> String, line: Int?) {
            guard faults.count < ConfigParser.maxReported else {
                unreported += 1
                return
            }
            faults.append((line, message()))
        }

        mutating func read(_ document: IniDocument) {
            var place = Place.beforeAnySection
            for entry in document.entries {
                switch entry.content {
                case let .malformed(message):
                    report(message, line: entry.line)
                case let .malformedSection(message):
                    // Its keys are in no section known: skipped, as an unknown section's are.
                    place = .unknownSection
                    if !undecodableLines.contains(entry.line) { report(message, line: entry.line) }
                case let .section(name):
                    if ConfigSchema.sections.contains(name) {
                        place = .section(name)
                        if sectionLines[name] == nil { sectionLines[name] = entry.line }
                    } else {
                        place = .unknownSection
                        report(Self.unknownSection(name), line: entry.line)
                    }
                case let .assignment(key, value):
                    switch place {
                    case .beforeAnySection:
                        report("key \(EscapedText.quoted(key)) comes before any [section]", line: entry.line)
                    case .unknownSection:
                        continue
                    case let .section(name):
                        assign(ConfigKey(section: name, name: key), text: value, line: entry.line)
                    }
                }
            }
        }

        private mutating func assign(_ key: ConfigKey, text: String, line: Int) {
            if let replacement = ConfigSchema.removedKeys[key] {
                return report("\(key.name) was removed: \(replacement)", line: line)
            }
            guard let spec = ConfigSchema.spec(for: key) else {
                // A section's known keys are listed once, at its first unknown key without a better hint.
                guard faults.count < ConfigParser.maxReported else { return report("", line: line) }
                let listed = sectionsListed.contains(key.section)
                let message = Self.unknownKey(key, listing: !listed)
                if message.listsKnownKeys { sectionsListed.insert(key.section) }
                return report(message.text, line: line)
            }
            if let first = given[key] {
                return report("\(key.name) given twice (first on line \(first))", line: line)
            }
            given[key] = line
            guard !text.isEmpty else {
                return report("\(key.name): empty value (expected \(spec.type.expected(example: spec.example)))",
                              line: line)
            }
            do {
                let value = try spec.type.parse(text, example: spec.example, directory: directory)
                values.set(key, to: value, line: line)
            } catch {
                let expected = error.expected.map { " (expected \($0))" } ?? ""
                report("\(key.name): \(EscapedText.quoted(text)) \(error.problem)\(expected)", line: line)
            }
        }

        /// Fills in defaults, and reports keys that are required but absent or given but unused.
        /// Runs in table order, so a key's condition is settled before the key itself. A key that
        /// does not apply takes its default too (the config is built from one value per key).
        mutating func applyDefaults() {
            for spec in ConfigSchema.keys {
                let key = spec.key
                // Unknown (`nil`) when the key it depends on has no valid value.
                var applies: Bool? = true
                if let condition = spec.condition {
                    if case let .string(selected)? = values.value(condition.key) {
                        applies = condition.values.contains(selected)
                        if applies == false, let line = given[key] {
                            values.remove(key)
                            report("\(key.name) is not used with \(condition.key.name) = \(selected) "
                                   + "(only with \(condition.key.name) = \(condition.values.joined(separator: ", ")))",
                                   line: line)
                        }
                    } else {
                        applies = nil
                    }
                }
                guard given[key] == nil else { continue }
                values.setDefault(of: spec)
                if spec.isRequired, applies == true {
                    let reason = spec.condition.map { condition in
                        " (required with \(condition.key.name) = \(values.value(condition.key)?.text ?? ""))"
                    }
                    // At the key that requires it, else at the section's header: where the key goes.
                    let line = spec.condition.flatMap { given[$0.key] } ?? sectionLines[key.section]
                    report("missing key '\(key.name)' in [\(key.section)]\(reason ?? "")", line: line)
                }
            }
        }

        private static func unknownSection(_ name: String) -> String {
            if let match = EditDistance.suggestion(for: name, among: ConfigSchema.sections) {
                return "unknown section [\(name)] (did you mean [\(match)]?)"
            }
            let known = ConfigSchema.sections.map { "[\($0)]" }.joined(separator: ", ")
            return "unknown section [\(name)] (expected one of \(known))"
        }

        /// The message for an unknown key, and whether it lists the section's known keys (only when
        /// `listing`, else it points to the list given before: one line per key stays short).
        private static func unknownKey(_ key: ConfigKey, listing: Bool) -> (text: String, listsKnownKeys: Bool) {
            let prefix = "unknown key \(EscapedText.quoted(key.name)) in [\(key.section)]"
            let elsewhere = ConfigSchema.keys.map(\.key).filter { $0.section != key.section }
            let homes = elsewhere.filter { $0.name == key.name }.map { "[\($0.section)]" }
            if homes.count == 1 { return ("\(prefix) (it belongs in \(homes[0]))", false) }
            if let last = homes.last {
                return ("\(prefix) (it is a key of \(homes.dropLast().joined(separator: ", ")) and \(last))", false)
            }
            if let (removed, replacement) = ConfigSchema.removedKeys.first(where: { $0.key.name == key.name }) {
                return ("\(prefix): \(key.name) was a key of [\(removed.section)], and was removed: \(replacement)", false)
            }
            let here = ConfigSchema.keys.map(\.key).filter { $0.section == key.section }.map(\.name)
            if let match = EditDistance.suggestion(for: key.name, among: here) {
                return ("\(prefix) (did you mean '\(match)'?)", false)
            }
            if let match = EditDistance.suggestion(for: key.name, among: elsewhere.map(\.name)),
               let home = elsewhere.first(where: { $0.name == match }) {
                return ("\(prefix) (did you mean '\(match)' in [\(home.section)]?)", false)
            }
            guard listing else { return ("\(prefix) (its known keys are listed above)", false) }
            return ("\(prefix) (known keys: \(here.joined(separator: ", ")))", true)
        }
    }
}

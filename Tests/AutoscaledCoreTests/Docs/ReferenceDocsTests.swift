import AutoscaledTestSupport
import Testing
@testable import AutoscaledCore

/// The reference pages and man pages say what the schema and the help texts say: every config key
/// with its default, every command-line option with its value and default.
struct ReferenceDocsTests {
    static let configurationPage = "\(repositoryRoot)/docs/configuration.md"
    static let configManPage = "\(repositoryRoot)/docs/man/autoscaled.conf.5"
    static let commandManPage = "\(repositoryRoot)/docs/man/autoscaled.8"

    static let keyNames = ConfigSchema.keys.map { "[\($0.key.section)] \($0.key.name)" }

    static func spec(_ name: String) throws -> ConfigKeySpec {
        try #require(ConfigSchema.keys.first { "[\($0.key.section)] \($0.key.name)" == name })
    }

    // MARK: docs/configuration.md

    /// The default column of the reference table for `spec`.
    static func markdownDefault(_ spec: ConfigKeySpec) -> String {
        if let source = spec.defaultFrom { return "`\(source.name)`" }
        switch spec.defaultText {
        case nil: return "(required)"
        case ConfigKeySpec.unset: return "(none)"
        case let text?: return "`\(text)`"
        }
    }

    /// `[section] key` → default cell, from the table headed `| section | key | default | meaning |`.
    static func markdownTable(_ text: String) -> [String: String] {
        var rows: [String: String] = [:]
        var inTable = false
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimming(" ") }
            if cells.count >= 4, cells[1] == "section", cells[2] == "key", cells[3] == "default" {
                inTable = true
                continue
            }
            guard inTable else { continue }
            guard line.hasPrefix("|"), cells.count >= 5 else {
                inTable = false
                continue
            }
            if cells[1].hasPrefix("---") { continue }
            if !cells[1].isEmpty { section = cells[1].trimming("`") }
            rows["\(section) \(cells[2].trimming("`"))"] = cells[3]
        }
        return rows
    }

    @Test("every key of the schema is in docs/configuration.md with its default", arguments: keyNames)
    func configurationPage(_ name: String) throws {
        let rows = Self.markdownTable(try #require(readFile(Self.configurationPage), "no \(Self.configurationPage)"))
        let spec = try Self.spec(name)
        let cell = try #require(rows[name], "\(name) is not in docs/configuration.md")
        #expect(cell == Self.markdownDefault(spec), "\(name): docs/configuration.md says \(cell)")
    }

    @Test("docs/configuration.md documents no key the schema does not have")
    func configurationPageHasNoOtherKey() throws {
        let rows = Self.markdownTable(try #require(readFile(Self.configurationPage)))
        #expect(rows.count >= Self.keyNames.count)
        #expect(Set(rows.keys).subtracting(Self.keyNames).sorted() == [])
    }

    // MARK: autoscaled.conf(5)

    /// What the tag line of `spec`'s entry in autoscaled.conf(5) ends with.
    static func manDefault(_ spec: ConfigKeySpec) -> String {
        if let source = spec.defaultFrom { return "(default: the value of \\fB\(source.name)\\fR)" }
        switch spec.defaultText {
        case nil: return "(required)"
        case ConfigKeySpec.unset: return "(no default)"
        case let text?: return "(default: \\fB\(text)\\fR)"
        }
    }

    /// The entries of a man page: section title (`.SH`/`.SS`, with `\-` read as `-`) → the tag lines
    /// of its `.TP` entries, each with the text that follows it up to the next entry.
    static func manEntries(_ text: String) -> [String: [(tag: String, body: String)]] {
        var entries: [String: [(tag: String, body: String)]] = [:]
        var title = ""
        var expectingTag = false
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix(".SH ") || line.hasPrefix(".SS ") {
                title = String(line.dropFirst(4)).trimming("\"").replacing("\\-", with: "-")
                expectingTag = false
            } else if line == ".TP" {
                expectingTag = true
            } else if expectingTag {
                entries[title, default: []].append((line, ""))
                expectingTag = false
            } else if !(entries[title]?.isEmpty ?? true) {
                entries[title]![entries[title]!.count - 1].body += line + "\n"
            }
        }
        return entries
    }

    @Test("every key of the schema is in autoscaled.conf(5) with its default", arguments: keyNames)
    func configManPage(_ name: String) throws {
        let entries = Self.manEntries(try #require(readFile(Self.configManPage), "no \(Self.configManPage)"))
        let spec = try Self.spec(name)
        let tags = entries["[\(spec.key.section)]"] ?? []
        let tag = try #require(tags.first { $0.tag.hasPrefix("\\fB\(spec.key.name)\\fR") }?.tag,
                               "\(name) is not in autoscaled.conf(5)")
        #expect(tag.hasSuffix(Self.manDefault(spec)), "\(name): autoscaled.conf(5) says \(tag)")
    }

    @Test("autoscaled.conf(5) documents no key the schema does not have")
    func configManPageHasNoOtherKey() throws {
        let entries = Self.manEntries(try #require(readFile(Self.configManPage)))
        var documented: [String] = []
        for section in ConfigSchema.sections {
            for entry in entries["[\(section)]"] ?? [] {
                let name = entry.tag.dropFirst(3).prefix { $0 != "\\" }
                documented.append("[\(section)] \(name)")
            }
        }
        #expect(documented == Self.keyNames)
    }

    // MARK: autoscaled(8)

    /// The tag line of `option` in autoscaled(8): `\fB\-\-config\fR \fIpath\fR`.
    static func manTag(_ option: OptionSpec) -> String {
        let name = "\\fB\\-\\-\(option.name.replacing("-", with: "\\-"))\\fR"
        return option.valueName.map { "\(name) \\fI\($0)\\fR" } ?? name
    }

    /// The tag line of a positional argument in autoscaled(8): `\fIshell\fR`.
    static func manTag(_ argument: ArgumentSpec) -> String {
        "\\fI\(argument.name)\\fR"
    }

    @Test("every argument and option of every subcommand's --help is in autoscaled(8), with its default",
          arguments: Command.specs.map(\.name))
    func commandManPage(_ command: String) throws {
        let entries = Self.manEntries(try #require(readFile(Self.commandManPage), "no \(Self.commandManPage)"))
        let spec = try #require(Command.specs.first { $0.name == command })
        let documented = try #require(entries[command], "autoscaled(8) has no section '\(command)'")
        let tags = (spec.argument.map { [Self.manTag($0)] } ?? []) + spec.options.map(Self.manTag)
        #expect(documented.map(\.tag) == tags, "autoscaled(8), \(command)")
        for option in spec.options {
            guard let entry = documented.first(where: { $0.tag == Self.manTag(option) }) else { continue }
            if let value = option.defaultValue {
                #expect(entry.body.contains("(default: \\fB\(value)\\fR)"), "autoscaled(8), \(command) --\(option.name)")
            }
        }
    }

    @Test("autoscaled(8) lists the options every command takes")
    func commonOptions() throws {
        let entries = Self.manEntries(try #require(readFile(Self.commandManPage)))
        let tags = try #require(entries["OPTIONS"]).map(\.tag)
        #expect(tags == ["\\fB\\-h\\fR, \\fB\\-\\-help\\fR", "\\fB\\-\\-version\\fR"])
        #expect(HelpText.root().contains("-h, --help") && HelpText.root().contains("--version"))
    }

    @Test("autoscaled(8) says --version is the top level's only, as the parser has it")
    func versionOnlyAtTheTop() throws {
        let text = try #require(readFile(Self.commandManPage))
        #expect(!text.contains("Every command also takes"))
        let version = try #require(Self.manEntries(text)["OPTIONS"]?.first { $0.tag == "\\fB\\-\\-version\\fR" })
        #expect(version.body.contains("only as the first word"))
        #expect(try CommandLineParser.parse(["--version"]) == .version)
        #expect(throws: UsageError("unknown option '--version'", subcommand: "run")) {
            try CommandLineParser.parse(["run", "--version"])
        }
    }
}

extension StringProtocol {
    /// This text without `character` repeated at either end.
    fileprivate func trimming(_ character: Character) -> String {
        var text = Substring(String(self))
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}

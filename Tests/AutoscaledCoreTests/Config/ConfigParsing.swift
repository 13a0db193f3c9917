@testable import AutoscaledCore

/// Shortcuts for the config tests: a fixed file name and directory.
enum ConfigParsing {
    /// Parses `text` as `autoscaled.conf` read from `/etc/autoscaled`.
    static func parse(_ text: String) -> Result<Config, ConfigErrors> {
        ConfigParser.parse(text, file: "autoscaled.conf", directory: "/etc/autoscaled")
    }

    /// The error lines the joined `lines` give, in order; empty when they parse.
    static func errorLines(_ lines: [String]) -> [String] {
        switch parse(lines.joined(separator: "\n")) {
        case .success: []
        case let .failure(errors): errors.errors.map(\.description)
        }
    }

    /// The error lines of a config whose `[policy]` is `lines` (line 4 on), after a `[source]`
    /// with only its path.
    static func policyErrors(_ lines: [String]) -> [String] {
        errorLines(["[source]", "path = /x", "[policy]"] + lines)
    }

    /// The config file that states every setting of `config` that applies, in schema order.
    static func text(of config: Config) -> String {
        var text = ""
        var section = ""
        for spec in ConfigSchema.keys {
            guard let value = spec.current(config) else { continue }
            if spec.key.section != section {
                section = spec.key.section
                text += "[\(section)]\n"
            }
            text += "\(spec.key.name) = \(value.text)\n"
        }
        return text
    }

    /// A config with every key at its default, and `path` as the source's file.
    static func defaults(path: String = "/etc/autoscaled/loads.json") -> Config {
        Config.defaults(sourcePath: path)
    }
}

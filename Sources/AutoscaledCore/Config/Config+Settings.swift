import AutoscaledBase

extension Config {
    /// Every effective setting, defaults included, as canonical config text in the order of the
    /// config reference: `("poll_interval", "5s")`, `("scale_up_threshold", "50")`.
    ///
    /// A name is the bare key when no other section has a key of that name, else `section.key`
    /// (`source.path`, `state.path`). Settings that do not apply (a key of another source type)
    /// are left out.
    public var settings: [(name: String, value: String)] {
        ConfigSchema.keys.compactMap { spec in
            spec.current(self).map { (Self.settingName(of: spec.key), $0.text) }
        }
    }

    /// The settings that differ between `old` and `new`, as `section.key=old->new`, in settings
    /// order: `["policy.scale_up_threshold=50->60", "source.poll_interval=5s->1s"]`. Each item reads
    /// alone: a side that is empty (a setting only one of them has), or holds a blank, a quote, a
    /// backslash or `->`, is written in single quotes with `\` and `'` escaped
    /// (`source.path=''->/srv/loads.json`, `actuator.command=''->'/bin/echo \'a b\''`).
    public static func changes(from old: Config, to new: Config) -> [String] {
        ConfigSchema.keys.compactMap { spec in
            let before = spec.current(old)?.text
            let after = spec.current(new)?.text
            guard before != after else { return nil }
            return "\(spec.key.section).\(spec.key.name)=\(changeSide(before ?? ""))->\(changeSide(after ?? ""))"
        }
    }

    /// One side of a change: bare when it is one plain word, else quoted.
    static func changeSide(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains("->") && !value.unicodeScalars.contains {
            $0 == " " || $0 == "'" || $0 == "\"" || $0 == "\\" || !TextEscaping.isVisible($0)
        }
        if plain { return value }
        var quoted = "'"
        for character in value.unicodeScalars {
            if character == "\\" || character == "'" { quoted += "\\" }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "'"
    }

    /// `key.name` if it is unique across sections, else `section.name`.
    static func settingName(of key: ConfigKey) -> String {
        let sharing = ConfigSchema.keys.count { $0.key.name == key.name }
        return sharing == 1 ? key.name : "\(key.section).\(key.name)"
    }
}

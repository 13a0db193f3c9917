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

    /// The settings that differ between `old` and `new`, as `name=old->new`, in settings order:
    /// `["scale_up_threshold=50->60", "poll_interval=5s->1s"]`. A setting that only one of them
    /// has shows an empty side (`path=->/srv/loads.json`).
    public static func changes(from old: Config, to new: Config) -> [String] {
        ConfigSchema.keys.compactMap { spec in
            let before = spec.current(old)?.text
            let after = spec.current(new)?.text
            guard before != after else { return nil }
            return "\(settingName(of: spec.key))=\(before ?? "")->\(after ?? "")"
        }
    }

    /// `key.name` if it is unique across sections, else `section.name`.
    static func settingName(of key: ConfigKey) -> String {
        let sharing = ConfigSchema.keys.count { $0.key.name == key.name }
        return sharing == 1 ? key.name : "\(key.section).\(key.name)"
    }
}

/// The typed values of one config file's keys, each with the line it was read from
/// (`nil` for defaults). A key whose text was invalid has no value.
struct ParsedValues {
    /// A key had no value where one was needed; the parser reports why before this can happen.
    struct Missing: Error {
        var key: ConfigKey
    }

    private var entries: [ConfigKey: (value: TypedValue, line: Int?)] = [:]

    mutating func set(_ key: ConfigKey, to value: TypedValue, line: Int?) {
        entries[key] = (value, line)
    }

    mutating func remove(_ key: ConfigKey) {
        entries[key] = nil
    }

    /// Gives `spec`'s key its default, as a value without a line: its own default, or the value of
    /// the key it defaults from. A key with neither is left without a value.
    mutating func setDefault(of spec: ConfigKeySpec) {
        if let value = spec.defaultFrom.flatMap(value) ?? spec.defaultValue {
            set(spec.key, to: value, line: nil)
        }
    }

    func value(_ key: ConfigKey) -> TypedValue? {
        entries[key]?.value
    }

    /// The line `key` was given on; `nil` when it took its default or has no value.
    func line(of key: ConfigKey) -> Int? {
        entries[key]?.line
    }

    /// The last line among those the `keys` were given on: where a conflict between them shows.
    func latestLine(of keys: ConfigKey...) -> Int? {
        keys.compactMap(line(of:)).max()
    }

    /// The value of `key` taken out of its case by `extract`.
    /// - Throws: ``Missing`` when the key has no value, or one of another case.
    private func typed<T>(_ key: ConfigKey, _ extract: (TypedValue) -> T?) throws(Missing) -> T {
        guard let value = value(key), let typed = extract(value) else { throw Missing(key: key) }
        return typed
    }

    func string(_ key: ConfigKey) throws(Missing) -> String {
        try typed(key) { if case let .string(string) = $0 { string } else { nil } }
    }

    func number(_ key: ConfigKey) throws(Missing) -> Double {
        try typed(key) { if case let .number(number) = $0 { number } else { nil } }
    }

    func integer(_ key: ConfigKey) throws(Missing) -> Int {
        try typed(key) { if case let .integer(integer) = $0 { integer } else { nil } }
    }

    func duration(_ key: ConfigKey) throws(Missing) -> Duration {
        try typed(key) { if case let .duration(duration) = $0 { duration } else { nil } }
    }

    func durations(_ key: ConfigKey) throws(Missing) -> [Duration] {
        try typed(key) { if case let .durations(durations) = $0 { durations } else { nil } }
    }

    func boolean(_ key: ConfigKey) throws(Missing) -> Bool {
        try typed(key) { if case let .boolean(boolean) = $0 { boolean } else { nil } }
    }

    func byteSize(_ key: ConfigKey) throws(Missing) -> Int {
        try typed(key) { if case let .byteSize(bytes) = $0 { bytes } else { nil } }
    }

    func command(_ key: ConfigKey) throws(Missing) -> CommandTemplate {
        try typed(key) { if case let .command(command) = $0 { command } else { nil } }
    }

    func unitName(_ key: ConfigKey) throws(Missing) -> UnitNameTemplate {
        try typed(key) { if case let .unitName(unit) = $0 { unit } else { nil } }
    }

    func request(_ key: ConfigKey) throws(Missing) -> String {
        try typed(key) { if case let .request(request) = $0 { request } else { nil } }
    }

    func loopbackAddress(_ key: ConfigKey) throws(Missing) -> LoopbackAddress {
        try typed(key) { if case let .loopbackAddress(address) = $0 { address } else { nil } }
    }

    func loopbackURL(_ key: ConfigKey) throws(Missing) -> LoopbackURL {
        try typed(key) { if case let .loopbackURL(url) = $0 { url } else { nil } }
    }

    func labelMatch(_ key: ConfigKey) throws(Missing) -> [LabelMatcher] {
        try typed(key) { if case let .labelMatch(matchers) = $0 { matchers } else { nil } }
    }

    /// `read(key)` when the key has a value, `nil` when it has none (an optional key left out).
    func optional<T>(_ key: ConfigKey, _ read: (ConfigKey) throws(Missing) -> T) throws(Missing) -> T? {
        value(key) == nil ? nil : try read(key)
    }

    /// The choice's name turned into its type by `make` (e.g. `LoadFormat.init(rawValue:)`).
    func choice<T>(_ key: ConfigKey, _ make: (String) -> T?) throws(Missing) -> T {
        guard let choice = make(try string(key)) else { throw Missing(key: key) }
        return choice
    }
}

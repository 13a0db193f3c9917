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

    func string(_ key: ConfigKey) throws(Missing) -> String {
        guard case let .string(string)? = value(key) else { throw Missing(key: key) }
        return string
    }

    func number(_ key: ConfigKey) throws(Missing) -> Double {
        guard case let .number(number)? = value(key) else { throw Missing(key: key) }
        return number
    }

    func integer(_ key: ConfigKey) throws(Missing) -> Int {
        guard case let .integer(integer)? = value(key) else { throw Missing(key: key) }
        return integer
    }

    func duration(_ key: ConfigKey) throws(Missing) -> Duration {
        guard case let .duration(duration)? = value(key) else { throw Missing(key: key) }
        return duration
    }

    func boolean(_ key: ConfigKey) throws(Missing) -> Bool {
        guard case let .boolean(boolean)? = value(key) else { throw Missing(key: key) }
        return boolean
    }

    func byteSize(_ key: ConfigKey) throws(Missing) -> Int {
        guard case let .byteSize(bytes)? = value(key) else { throw Missing(key: key) }
        return bytes
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

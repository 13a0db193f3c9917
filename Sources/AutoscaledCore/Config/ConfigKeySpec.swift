/// Everything the parser knows about one key: its type, its default, when it applies, and how
/// to read its effective value back out of a ``Config`` (for ``Config/settings``).
struct ConfigKeySpec: Sendable {
    var key: ConfigKey
    var type: KeyType
    /// The value used when the key is absent, as config text; `nil` makes the key required (unless
    /// `defaultFrom` is set), and ``unset`` (`""`) makes it optional with no value when absent.
    var defaultText: String?
    /// When the key is absent, it takes the value of this other key (which comes earlier in the table).
    var defaultFrom: ConfigKey?
    /// A valid value shown in `(expected …, e.g. …)`; the default unless given.
    var example: String
    /// The key only applies when another key of its section has one of these values,
    /// e.g. `path` only with `type = file`. That other key must come earlier in the table.
    var condition: (key: ConfigKey, values: [String])?
    /// The key's effective value in a config; `nil` when the key does not apply to it.
    var current: @Sendable (Config) -> TypedValue?

    /// The `default` of an optional key that has no value when absent.
    static let unset = ""

    init(
        _ key: ConfigKey, _ type: KeyType, default defaultText: String?, defaultFrom: ConfigKey? = nil,
        example: String? = nil, when condition: (key: ConfigKey, values: [String])? = nil,
        current: @escaping @Sendable (Config) -> TypedValue?
    ) {
        self.key = key
        self.type = type
        self.defaultText = defaultText
        self.defaultFrom = defaultFrom
        self.example = example ?? defaultText ?? ""
        self.condition = condition
        self.current = current
    }
}

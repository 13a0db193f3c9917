/// Everything the parser knows about one key: its type, its default, when it applies, and how
/// to read its effective value back out of a ``Config`` (for ``Config/settings``).
struct ConfigKeySpec: Sendable {
    var key: ConfigKey
    var type: KeyType
    /// The value used when the key is absent, as config text; `nil` makes the key required (unless
    /// `defaultFrom` is set), and ``unset`` (`""`) makes it optional with no value when absent.
    var defaultText: String?
    /// `defaultText` read by `type`, once, when the table is built: the value an absent key takes.
    /// `nil` when the key has no default of its own (required, ``unset``, or `defaultFrom`).
    let defaultValue: TypedValue?
    /// When the key is absent, it takes the value of this other key (which comes earlier in the table).
    var defaultFrom: ConfigKey?
    /// A valid value shown in `(expected …, e.g. …)`; the default unless given.
    var example: String
    /// The key only applies when another key of its section has one of these values,
    /// e.g. `path` only with `type = file`. That other key must come earlier in the table.
    var condition: (key: ConfigKey, values: [String])?
    /// The key's effective value in a config; `nil` when the key does not apply to it.
    var current: @Sendable (Config) -> TypedValue?

    /// Whether the config must give the key: it has no default, of its own or from another key.
    var isRequired: Bool { defaultText == nil && defaultFrom == nil }

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
        self.defaultValue = Self.read(default: defaultText, of: key, type)
        self.defaultFrom = defaultFrom
        self.example = example ?? defaultText ?? ""
        self.condition = condition
        self.current = current
    }

    /// Reads a default: a path default is absolute, so no config directory applies. A default its
    /// own type rejects is a fault of the table, not of any config file, and stops the program.
    private static func read(default text: String?, of key: ConfigKey, _ type: KeyType) -> TypedValue? {
        guard let text, text != unset else { return nil }
        do {
            return try type.parse(text, example: text, directory: "/")
        } catch {
            preconditionFailure("[\(key.section)] \(key.name): the default '\(text)' \(error.problem)")
        }
    }
}

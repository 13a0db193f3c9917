/// `[state]`: where the desired replica count is persisted.
public struct StateConfig: Sendable, Equatable {
    /// Absolute path of the state file.
    public var path: String

    public init(path: String) {
        self.path = path
    }
}

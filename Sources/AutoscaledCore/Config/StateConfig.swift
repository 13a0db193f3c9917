/// `[state]`: where the desired replica count is persisted.
public struct StateConfig: Sendable, Equatable {
    /// Absolute path of the state file.
    public var path: String
    /// The config line `path` was given on; `nil` when it took its default. A problem with the
    /// file it leads to, found at start or at a reload, names this line.
    public var pathLine: Int?

    public init(path: String, pathLine: Int? = nil) {
        self.path = path
        self.pathLine = pathLine
    }

    /// The same settings: where the path was written is not one of them.
    public static func == (lhs: StateConfig, rhs: StateConfig) -> Bool {
        lhs.path == rhs.path
    }

    /// `cause`, a problem with the state file found at start or at a reload, told as a fault of the
    /// config at `configPath`: `/etc/autoscaled/autoscaled.conf:21: [state] path /var/…: cause`.
    public func fault(_ cause: String, configPath: String) -> String {
        ConfigError(file: configPath, line: pathLine, message: "[state] path \(path): \(cause)").description
    }
}

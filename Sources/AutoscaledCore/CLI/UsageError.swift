/// A command line that cannot be run: exit status 64 (EX_USAGE).
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The subcommand whose usage applies, if one was recognised.
    public var subcommand: String?

    public init(_ message: String, subcommand: String? = nil) {
        self.message = message
        self.subcommand = subcommand
    }

    public var description: String { message }
}

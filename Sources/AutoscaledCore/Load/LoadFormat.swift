/// How the bytes a load source returns are turned into server loads.
public enum LoadFormat: String, Sendable, Equatable, CaseIterable {
    /// A JSON object of server name → number: `{"server1": 30, "server2": 55}`.
    case json
    /// One `NAME VALUE` pair per line; `#` comments and blank lines are allowed.
    case lines
}

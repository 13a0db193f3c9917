/// Server loads as a format read them, each with where the data gives it, so that a fault
/// ``LoadSnapshot`` finds in a server names the line and quotes the load as written.
struct ParsedLoads {
    /// Where a server stands in the data.
    struct Origin {
        /// The 1-based line of the server (for a sum, of the sample that made it invalid).
        var line: Int
        /// The load as written, cut like ``SyntaxQuoting/written(_:from:to:)``; `nil` for a
        /// load the parser computed (a sum, a ratio), which a message then shows as a number.
        var text: String?
    }

    /// The servers, in the order the data lists them.
    var servers: [ServerLoad] = []
    /// One origin per server, in the same order.
    var origins: [Origin] = []

    mutating func append(_ server: ServerLoad, line: Int, text: String?) {
        servers.append(server)
        origins.append(Origin(line: line, text: text))
    }
}

import AutoscaledBase

/// Server loads as a format read them, each with where the data gives it, so that a fault
/// ``LoadSnapshot`` finds in a server names the line and quotes the load as written.
///
/// It points into the bytes it was read from, so it lives no longer than they do (inside
/// ``LoadParser/snapshot(from:format:source:)``); the text of a load is made only for a message.
struct ParsedLoads {
    /// Where a server stands in the data.
    struct Origin {
        /// The 1-based line of the server (for a sum, of the sample that made it invalid).
        var line: Int
        /// Where the load is written; `nil` for a load the parser computed (a sum, a ratio),
        /// which a message then shows as a number.
        var value: Range<Int>?
    }

    let bytes: UnsafeRawBufferPointer
    /// The servers, in the order the data lists them.
    var servers: [ServerLoad] = []
    /// One origin per server, in the same order.
    var origins: [Origin] = []

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func append(_ server: ServerLoad, line: Int, value: Range<Int>?) {
        servers.append(server)
        origins.append(Origin(line: line, value: value))
    }

    /// What ``LoadSnapshot`` would refuse in the load of the server at `index`, as it would say it;
    /// for a format that adds to a load after reading it, so a part at fault is not hidden by the sum.
    func fault(at index: Int) -> LoadError? {
        Self.fault(in: servers[index], value: written(index), line: origins[index].line)
    }

    /// What ``LoadSnapshot`` would refuse in a load that is written at `range` of the data on `line`,
    /// for a part the parser adds to another before the snapshot sees it.
    func fault(inLoad load: Double, of server: String, writtenAt range: Range<Int>, line: Int) -> LoadError? {
        Self.fault(in: ServerLoad(name: server, load: load),
                   value: SyntaxQuoting.written(bytes, from: range.lowerBound, to: range.upperBound), line: line)
    }

    /// The one place the message is made: the load as written, or as a number the parser computed.
    static func fault(in server: ServerLoad, value: String?, line: Int?) -> LoadError? {
        guard let reason = LoadSnapshot.fault(inLoad: server.load) else { return nil }
        return .invalidLoad(server: server.name, value: value ?? DecimalText.format(server.load), reason: reason, line: line)
    }

    /// The load of the server at `index` as written (cut like ``SyntaxQuoting/written(_:from:to:)``),
    /// or `nil` for one the parser computed.
    func written(_ index: Int) -> String? {
        origins[index].value.map { SyntaxQuoting.written(bytes, from: $0.lowerBound, to: $0.upperBound) }
    }
}

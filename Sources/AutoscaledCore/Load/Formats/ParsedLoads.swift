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
        let load = servers[index].load
        guard let reason = LoadSnapshot.fault(inLoad: load) else { return nil }
        let value = written(index) ?? DecimalText.format(load)
        return .invalidLoad(server: servers[index].name, value: value, reason: reason, line: origins[index].line)
    }

    /// The load of the server at `index` as written (cut like ``SyntaxQuoting/written(_:from:to:)``),
    /// or `nil` for one the parser computed.
    func written(_ index: Int) -> String? {
        origins[index].value.map { SyntaxQuoting.written(bytes, from: $0.lowerBound, to: $0.upperBound) }
    }
}

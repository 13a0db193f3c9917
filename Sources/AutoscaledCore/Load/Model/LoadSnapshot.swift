import AutoscaledBase

/// A whole, validated set of server loads read at one moment.
///
/// A snapshot exists only if every server in it passed validation: at least one server,
/// names non-empty, printable (not only spaces), unique and at most ``maxNameBytes`` bytes,
/// loads finite, not negative and at most ``maxLoad``. There is no partial snapshot: any fault rejects the whole read.
public struct LoadSnapshot: Sendable, Equatable {
    /// The longest server name accepted, in UTF-8 bytes.
    public static let maxNameBytes = 256
    /// The largest load accepted. No load means more; a bound this far above any real one keeps
    /// every sum, mean and projection the policy makes finite.
    public static let maxLoad = 1e15
    /// ``maxLoad`` as messages and docs spell it.
    public static let maxLoadText = "1e15"

    /// The servers, in the order the source listed them.
    public let servers: [ServerLoad]

    /// Validates `servers` and makes a snapshot of them.
    /// - Throws: ``LoadError`` naming the first server at fault.
    public init(servers: [ServerLoad]) throws(LoadError) {
        try self.init(servers: servers, parsed: nil)
    }

    /// Validates what a parser read and makes a snapshot of it.
    /// - Throws: ``LoadError`` naming the first server at fault, its line and its load as written.
    init(_ parsed: ParsedLoads) throws(LoadError) {
        try self.init(servers: parsed.servers, parsed: parsed)
    }

    private init(servers: [ServerLoad], parsed: ParsedLoads?) throws(LoadError) {
        guard !servers.isEmpty else { throw .noServers }
        var seen = Set<String>(minimumCapacity: servers.count)
        let origins = parsed?.origins
        for (index, server) in servers.enumerated() {
            let line = origins?[index].line
            try Self.validate(name: server.name, line: line)
            if let fault = ParsedLoads.fault(in: server, value: parsed?.written(index), line: line) { throw fault }
            let (inserted, first) = seen.insert(server.name)
            guard inserted else {
                let other = first.utf8.elementsEqual(server.name.utf8) ? nil : first
                throw .duplicateServer(server.name, line: line, otherSpelling: other)
            }
        }
        self.servers = servers
    }

    /// Why `load` cannot be a server's load (`negative`, …), or `nil` when it can.
    static func fault(inLoad load: Double) -> String? {
        if !load.isFinite { return "not a finite number" }
        if load < 0 { return "negative" }
        if load > maxLoad { return "above \(maxLoadText)" }
        return nil
    }

    /// A snapshot of servers the caller made itself and vouches for: names that pass
    /// ``validate(name:)``, unique, and loads finite and not negative (the simulator's replicas).
    init(vouchedFor servers: [ServerLoad]) {
        self.servers = servers
    }

    /// Checks that `name` can name a server: non-empty, short enough, printable (every character
    /// one the log escaper shows as itself: no control, bidi control, zero-width or other
    /// invisible character), not only spaces and not starting with a combining mark.
    public static func validate(name: String) throws(LoadError) {
        try validate(name: name, line: nil)
    }


    /// ``validate(name:)`` for a name the data gives on `line`, which the error names.
    static func validate(name: String, line: Int?) throws(LoadError) {
        guard !name.isEmpty else { throw .invalidName(name, reason: "empty", line: line) }
        // The usual name, printable ASCII with a character other than a space, is checked in one pass.
        let usual = name.utf8.withContiguousStorageIfAvailable { utf8 in
            var spacesOnly = true
            for byte in utf8 {
                guard byte >= 0x20, byte < 0x7F else { return false }
                if byte != 0x20 { spacesOnly = false }
            }
            return !spacesOnly && utf8.count <= maxNameBytes
        }
        if usual == true { return }
        guard name.utf8.count <= maxNameBytes else {
            throw .invalidName(String(name.prefix(32)) + "…", reason: "longer than \(maxNameBytes) bytes", line: line)
        }
        for scalar in name.unicodeScalars where !TextEscaping.isVisible(scalar) {
            if scalar.properties.generalCategory == .control {
                throw .invalidName(name, reason: "contains a control character", line: line)
            }
            if scalar == "\u{2028}" || scalar == "\u{2029}" {
                throw .invalidName(name, reason: "contains a line or paragraph separator (\(LoadError.codePoint(scalar)))", line: line)
            }
            throw .invalidName(name, reason: "contains a character that is not printable (\(LoadError.codePoint(scalar)))", line: line)
        }
        guard name.unicodeScalars.contains(where: { $0 != " " }) else {
            throw .invalidName(name, reason: "only spaces", line: line)
        }
        // A mark first combines with whatever is shown before the name (a quote, a `=`).
        if let first = name.unicodeScalars.first, TextEscaping.isCombiningMark(first) {
            throw .invalidName(name, reason: "starts with a combining mark (\(LoadError.codePoint(first)))", line: line)
        }
    }
}

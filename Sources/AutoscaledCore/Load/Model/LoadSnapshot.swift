import AutoscaledBase

/// A whole, validated set of server loads read at one moment.
///
/// A snapshot exists only if every server in it passed validation: at least one server,
/// names non-empty, printable (not only spaces), unique and at most ``maxNameBytes`` bytes, loads finite, not
/// negative and at most ``maxLoad``. There is no partial snapshot: any fault rejects the whole read.
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
        guard !servers.isEmpty else { throw .noServers }
        var seen = Set<String>(minimumCapacity: servers.count)
        for server in servers {
            try Self.validate(name: server.name)
            guard server.load.isFinite else {
                throw .invalidLoad(server: server.name, value: DecimalText.format(server.load), reason: "not a finite number")
            }
            guard server.load >= 0 else {
                throw .invalidLoad(server: server.name, value: DecimalText.format(server.load), reason: "negative")
            }
            guard server.load <= Self.maxLoad else {
                throw .invalidLoad(server: server.name, value: DecimalText.format(server.load), reason: "above \(Self.maxLoadText)")
            }
            guard seen.insert(server.name).inserted else { throw .duplicateServer(server.name) }
        }
        self.servers = servers
    }

    /// A snapshot of servers the caller made itself and vouches for: names that pass
    /// ``validate(name:)``, unique, and loads finite and not negative (the simulator's replicas).
    init(vouchedFor servers: [ServerLoad]) {
        self.servers = servers
    }

    /// Checks that `name` can name a server: non-empty, short enough, printable (every character
    /// one the log escaper shows as itself: no control, bidi control, zero-width or other
    /// invisible character) and not only spaces.
    public static func validate(name: String) throws(LoadError) {
        guard !name.isEmpty else { throw .invalidName(name, reason: "empty") }
        guard name.utf8.count <= maxNameBytes else {
            throw .invalidName(String(name.prefix(32)) + "…", reason: "longer than \(maxNameBytes) bytes")
        }
        for scalar in name.unicodeScalars where !TextEscaping.isVisible(scalar) {
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                throw .invalidName(name, reason: "contains a control character")
            }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            throw .invalidName(name, reason: "contains a character that is not printable (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))")
        }
        guard name.unicodeScalars.contains(where: { $0 != " " }) else { throw .invalidName(name, reason: "only spaces") }
    }
}

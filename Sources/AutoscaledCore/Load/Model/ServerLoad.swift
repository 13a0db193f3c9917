/// The load of one server in a snapshot, as the load source reported it.
public struct ServerLoad: Sendable, Equatable, Hashable {
    /// The server's name: non-empty, printable, at most ``LoadSnapshot/maxNameBytes`` bytes.
    public var name: String
    /// The server's load: finite and not negative.
    public var load: Double

    public init(name: String, load: Double) {
        self.name = name
        self.load = load
    }
}

/// An `http://` URL on this host: `http://127.0.0.1:PORT/path?query` or `http://[::1]:PORT/…`.
///
/// The host follows ``LoopbackAddress``'s rules (loopback only, no names); the port defaults to
/// 80 and the path to `/`. `https`, user info and fragments are refused.
public struct LoopbackURL: Sendable, Equatable, CustomStringConvertible {
    public var address: LoopbackAddress
    /// The path and query, as sent in the request line; starts with `/`.
    public var target: String

    public init(address: LoopbackAddress, target: String) {
        self.address = address
        self.target = target
    }

    /// `http://127.0.0.1:8000/metrics`.
    public var description: String { "http://\(address)\(target)" }

    /// Reads an `http://` URL.
    public static func parse(_ text: String) throws(LoopbackAddress.Problem) -> LoopbackURL {
        let lower = text.lowercased()
        if lower.hasPrefix("https://") {
            throw .init(problem: "uses https, which is not supported (a source on this host is read over plain http)")
        }
        guard lower.hasPrefix("http://") else { throw .init(problem: "is not an http:// URL") }
        for scalar in text.unicodeScalars where scalar.value <= 0x20 || scalar.value >= 0x7F {
            throw .init(problem: "contains a space, control or non-ASCII character (percent-encode it)")
        }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        guard !authority.contains("@") else { throw .init(problem: "has user info, which is not supported") }
        guard !target.contains("#") else { throw .init(problem: "has a fragment ('#…'), which is not sent") }
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        let address = try LoopbackAddress.parse(String(authority), defaultPort: 80)
        return LoopbackURL(address: address, target: target)
    }
}

import AutoscaledSystem

/// A TCP address on this host: `127.x.y.z:PORT` or `[::1]:PORT`.
///
/// Sources are read on the host the daemon runs on, never across a network: only the IPv4
/// loopback block (127.0.0.0/8) and the IPv6 loopback address are accepted. Host names,
/// `localhost` included, are refused rather than resolved, so what is polled is always plain.
public struct LoopbackAddress: Sendable, Equatable, CustomStringConvertible {
    public enum Host: Sendable, Equatable {
        /// 127.0.0.0/8; the first octet is always 127.
        case ipv4(UInt8, UInt8, UInt8, UInt8)
        /// `::1`.
        case ipv6
    }

    public var host: Host
    public var port: UInt16

    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:9100` or `[::1]:9100`.
    public var description: String { "\(hostText):\(port)" }

    /// The host as it goes in a URL or a `Host:` header: `127.0.0.1` or `[::1]`.
    public var hostText: String {
        switch host {
        case let .ipv4(a, b, c, d): "\(a).\(b).\(c).\(d)"
        case .ipv6: "[::1]"
        }
    }

    /// The address to connect to.
    public var socketAddress: SocketAddress {
        switch host {
        case let .ipv4(a, b, c, d): .ipv4(octets: [a, b, c, d], port: port)
        case .ipv6: .ipv6(octets: Array(repeating: 0, count: 15) + [1], port: port)
        }
    }

    /// Why a text is not a loopback address; the text follows the value in a config error.
    public struct Problem: Error, Equatable {
        public var problem: String
    }

    /// Reads `HOST:PORT` (`defaultPort` is used when `:PORT` is absent and a default is given).
    public static func parse(_ text: String, defaultPort: UInt16? = nil) throws(Problem) -> LoopbackAddress {
        let hostText: Substring
        let portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw Problem(problem: "has an unclosed '['") }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                portText = nil
            } else {
                guard rest.first == ":" else { throw Problem(problem: "has text after ']' that is not ':PORT'") }
                portText = rest.dropFirst()
            }
            guard hostText == "::1" || hostText == "0:0:0:0:0:0:0:1" else {
                throw Problem(problem: "is not a loopback address (sources are read on this host only: 127.0.0.0/8 or [::1])")
            }
            return LoopbackAddress(host: .ipv6, port: try port(portText, defaultPort: defaultPort))
        }
        if let colon = text.lastIndex(of: ":") {
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
            if hostText.contains(":") { throw Problem(problem: "is an IPv6 address without brackets (write [::1]:PORT)") }
        } else {
            hostText = text[...]
            portText = nil
        }
        guard !hostText.isEmpty else { throw Problem(problem: "has no host (write 127.0.0.1:PORT)") }
        guard let octets = ipv4Octets(hostText) else {
            if hostText.lowercased() == "localhost" {
                throw Problem(problem: "names a host; give its address, 127.0.0.1 or [::1]")
            }
            throw Problem(problem: "is not an IP address (only 127.0.0.0/8 and [::1] are accepted; names are not resolved)")
        }
        guard octets[0] == 127 else {
            throw Problem(problem: "is not a loopback address (sources are read on this host only: 127.0.0.0/8 or [::1])")
        }
        return LoopbackAddress(host: .ipv4(octets[0], octets[1], octets[2], octets[3]),
                               port: try port(portText, defaultPort: defaultPort))
    }

    private static func port(_ text: Substring?, defaultPort: UInt16?) throws(Problem) -> UInt16 {
        guard let text else {
            guard let defaultPort else { throw Problem(problem: "has no port (write HOST:PORT)") }
            return defaultPort
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(text), (1...65_535).contains(port)
        else { throw Problem(problem: "has a port that is not from 1 to 65535") }
        return UInt16(port)
    }

    /// `a.b.c.d` in plain decimal (no leading zeros, as they mean octal to some tools), or `nil`.
    private static func ipv4Octets(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  part == "0" || part.first != "0", let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        return octets
    }
}

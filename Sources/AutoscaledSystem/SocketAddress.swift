import Glibc

/// Where a stream socket connects: a Unix socket file, or an IPv4 or IPv6 address and port.
public enum SocketAddress: Sendable, Equatable, CustomStringConvertible {
    /// A socket file; the path must fit `sun_path` (107 bytes and its NUL).
    case unix(path: String)
    /// Four octets and a port.
    case ipv4(octets: [UInt8], port: UInt16)
    /// Sixteen octets and a port.
    case ipv6(octets: [UInt8], port: UInt16)

    /// The room for a path in `sockaddr_un.sun_path`, its terminating NUL included (108 on Linux).
    public static let unixPathCapacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)

    /// `/run/haproxy.sock`, `127.0.0.1:9100` or `[::1]:9100`.
    public var description: String {
        switch self {
        case let .unix(path): path
        case let .ipv4(octets, port): octets.map(String.init).joined(separator: ".") + ":\(port)"
        case let .ipv6(octets, port): "[\(Self.ipv6Text(octets))]:\(port)"
        }
    }

    package var family: Int32 {
        switch self {
        case .unix: AF_UNIX
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        }
    }

    /// Calls `body` with this address as a `sockaddr` and its length.
    /// - Throws: `ENAMETOOLONG` for a Unix path that does not fit, `EINVAL` for a wrong octet count.
    func withSockaddr<R>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SocketError) -> R
    ) throws(SocketError) -> R {
        switch self {
        case let .unix(path):
            let bytes = Array(path.utf8)
            guard !bytes.isEmpty, bytes.count < Self.unixPathCapacity, !bytes.contains(0) else {
                throw .system(SystemError(call: "connect", subject: path, errno: ENAMETOOLONG))
            }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + 1)
            return try Self.generic(&address, length, body)
        case let .ipv4(octets, port):
            guard octets.count == 4 else { throw .system(SystemError(call: "connect", subject: description, errno: EINVAL)) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: octets) }
            return try Self.generic(&address, socklen_t(MemoryLayout<sockaddr_in>.size), body)
        case let .ipv6(octets, port):
            guard octets.count == 16 else { throw .system(SystemError(call: "connect", subject: description, errno: EINVAL)) }
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: octets) }
            return try Self.generic(&address, socklen_t(MemoryLayout<sockaddr_in6>.size), body)
        }
    }

    private static func generic<A, R>(
        _ address: inout A, _ length: socklen_t,
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SocketError) -> R
    ) throws(SocketError) -> R {
        try withUnsafePointer(to: &address) { pointer throws(SocketError) -> R in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic throws(SocketError) -> R in
                try body(generic, length)
            }
        }
    }

    /// The canonical text of an IPv6 address (`::1`), as `inet_ntop` writes it.
    private static func ipv6Text(_ octets: [UInt8]) -> String {
        guard octets.count == 16 else { return "?" }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: octets) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

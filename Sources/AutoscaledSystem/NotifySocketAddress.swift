import Glibc

/// Where `$NOTIFY_SOCKET` points: a socket file, or a name in the abstract namespace.
///
/// systemd writes an absolute path (`/run/systemd/notify`) or, for some managers,
/// `@name` — the `@` stands for the leading NUL byte of an abstract address.
/// Anything else (a relative path, a name too long for `sun_path`) is not usable.
struct NotifySocketAddress: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A socket file at an absolute path.
        case path
        /// An abstract-namespace name, without its leading NUL.
        case abstract
    }

    var kind: Kind
    /// The path, or the abstract name without the `@`.
    var name: [UInt8]
    /// The environment value it was parsed from, for error messages.
    var text: String

    /// The room in `sockaddr_un.sun_path` (108 bytes on Linux).
    static let pathCapacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)

    /// Parses a `$NOTIFY_SOCKET` value; `nil` when it is not a usable address.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, !bytes.contains(0) else { return nil }
        switch first {
        case UInt8(ascii: "/"):
            // A path needs its terminating NUL inside sun_path.
            guard bytes.count < Self.pathCapacity else { return nil }
            self.kind = .path
            self.name = bytes
        case UInt8(ascii: "@"):
            // An abstract name takes the leading NUL plus its bytes; no terminator.
            guard bytes.count >= 2, bytes.count <= Self.pathCapacity else { return nil }
            self.kind = .abstract
            self.name = Array(bytes.dropFirst())
        default:
            return nil
        }
        self.text = text
    }

    /// Calls `body` with this address as a `sockaddr` and its exact length.
    ///
    /// A path's length counts its NUL; an abstract address's length ends at the last byte
    /// of the name, since a trailing NUL would be part of the name.
    func withSockaddr<R, E: Error>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(E) -> R
    ) throws(E) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        let start = kind == .abstract ? 1 : 0
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for (index, byte) in name.enumerated() { raw[start + index] = byte }
        }
        let used = start + name.count + (kind == .path ? 1 : 0)
        let length = socklen_t(offset + used)
        return try withUnsafePointer(to: &address) { pointer throws(E) -> R in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic throws(E) -> R in
                try body(generic, length)
            }
        }
    }
}

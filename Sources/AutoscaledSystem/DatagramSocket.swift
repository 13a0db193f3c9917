import Glibc

/// An unconnected Unix datagram socket (`SOCK_CLOEXEC`) that sends to one address without ever
/// waiting for room in the receiver's queue. Used for journald's native socket: being
/// unconnected, it needs nothing from us when the receiver restarts.
package final class DatagramSocket: Sendable {
    private let address: NotifySocketAddress?
    /// `-1` when no socket could be made; every send then fails.
    private let fd: Int32

    /// A socket for `path`, which must be absolute; when it is not, or no socket can be made,
    /// every ``send(_:)`` fails.
    package init(path: String) {
        address = path.hasPrefix("/") ? NotifySocketAddress(path) : nil
        fd = (try? syscall("socket", path) {
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }) ?? -1
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Sends one datagram, without waiting for room in the receiver's queue.
    package func send(_ datagram: [UInt8], subject: String) throws(SystemError) {
        guard let address, fd >= 0 else { throw SystemError(call: "sendto", subject: subject, errno: ENOTSOCK) }
        let sent = try address.withSockaddr { (sockaddr, length) throws(SystemError) -> Int in
            try syscall("sendto", address.text) {
                datagram.withUnsafeBytes { buffer in
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), sockaddr, length)
                }
            }
        }
        guard sent == datagram.count else { throw SystemError(call: "sendto", subject: address.text, errno: EMSGSIZE) }
    }
}

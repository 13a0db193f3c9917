import Dispatch
import Glibc
import AutoscaledSystem

/// A stream server a test runs on a Unix socket or on 127.0.0.1, answering every connection
/// with the current ``Behavior``: well, or in one of the ways a real peer misbehaves.
///
/// Connections are accepted on a queue of its own and served each on another, so a test's
/// cooperative-pool threads never block. Only loopback is ever bound.
public final class TestStreamServer: Sendable {
    public enum Behavior: Sendable, Equatable {
        /// Read the request (up to its first newline), answer `response`, close cleanly.
        case respond([UInt8])
        /// Read the request, answer `response`, and keep the connection open (as a server that
        /// ignores `Connection: close` does) until the server stops.
        case respondAndKeepOpen([UInt8])
        /// Accept and never answer; the connection stays open until the server stops.
        case silent
        /// Close the connection as soon as it is accepted.
        case closeAtOnce
        /// Answer 4 KiB of random bytes.
        case garbage
        /// Answer `bytes` bytes of `a 1\n` lines, or until the peer gives up.
        case flood(bytes: Int)
        /// Send an `a 1\n` line every 5 ms, without end, until the peer or the server stops.
        case drip
        /// Send the first half of `response`, then reset the connection (TCP RST; on a Unix
        /// socket, a close with the request left unread, which the peer reads as ECONNRESET).
        case resetMidResponse([UInt8])
    }

    private struct State {
        var behavior: Behavior
        var accepted = 0
        var stopping = false
        var held: [Int32] = []
    }

    /// The socket path, or `127.0.0.1:PORT`.
    public let address: String
    private let fd: Int32
    private let unixPath: String?
    // A pthread mutex, not `Synchronization.Mutex`: ThreadSanitizer cannot see the latter's futex
    // on Linux and reports the guarded accesses as races (``Locked``).
    private let state: Locked<State>
    private let done = DispatchSemaphore(value: 0)

    /// Listens on a Unix socket at `path`.
    public static func unix(at path: String, behavior: Behavior = .silent) -> TestStreamServer {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(fd >= 0, "socket: \(errno)")
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        precondition(bytes.count < MemoryLayout.size(ofValue: address.sun_path), "socket path too long")
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (index, byte) in bytes.enumerated() { raw[index] = byte } }
        unlink(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        precondition(bound == 0 && listen(fd, 16) == 0, "bind/listen \(path): \(errno)")
        return TestStreamServer(fd: fd, address: path, unixPath: path, behavior: behavior)
    }

    /// Listens on 127.0.0.1 at a port the kernel picks.
    public static func tcp(behavior: Behavior = .silent) -> TestStreamServer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(fd >= 0, "socket: \(errno)")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        precondition(bound && listen(fd, 16) == 0, "bind/listen 127.0.0.1: \(errno)")
        return TestStreamServer(fd: fd, address: "127.0.0.1:\(UInt16(bigEndian: address.sin_port))", unixPath: nil, behavior: behavior)
    }

    private init(fd: Int32, address: String, unixPath: String?, behavior: Behavior) {
        self.fd = fd
        self.address = address
        self.unixPath = unixPath
        self.state = Locked(State(behavior: behavior))
        DispatchQueue(label: "test-server.accept").async { [self] in acceptLoop() }
    }

    deinit { stop() }

    public var behavior: Behavior {
        get { state.withLock { $0.behavior } }
        set { state.withLock { $0.behavior = newValue } }
    }

    /// How many connections were accepted so far.
    public var accepted: Int { state.withLock { $0.accepted } }

    /// Stops accepting, closes held connections and the listening socket; idempotent.
    public func stop() {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        done.wait()
        for held in state.withLock({ $0.held }) { close(held) }
        close(fd)
        if let unixPath { unlink(unixPath) }
    }

    private func acceptLoop() {
        defer { done.signal() }
        while !state.withLock({ $0.stopping }) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) == 1 else { continue }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let behavior = state.withLock { state in
                state.accepted += 1
                return state.behavior
            }
            DispatchQueue(label: "test-server.connection").async { [self] in serve(connection, behavior) }
        }
    }

    private func serve(_ connection: Int32, _ behavior: Behavior) {
        switch behavior {
        case let .respond(response):
            readRequest(connection)
            sendAll(connection, response)
            closeCleanly(connection)
        case let .respondAndKeepOpen(response):
            readRequest(connection)
            sendAll(connection, response)
            state.withLock { $0.held.append(connection) }
        case .silent:
            state.withLock { $0.held.append(connection) }
        case .closeAtOnce:
            close(connection)
        case .garbage:
            readRequest(connection)
            var random = SystemRandomNumberGenerator()
            sendAll(connection, (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })
            closeCleanly(connection)
        case let .flood(total):
            readRequest(connection)
            let chunk = Array(String(repeating: "a 1\n", count: 16 * 1024).utf8)
            var sent = 0
            while sent < total, sendAll(connection, Array(chunk.prefix(total - sent))) { sent += chunk.count }
            closeCleanly(connection)
        case .drip:
            readRequest(connection)
            while !state.withLock({ $0.stopping }), sendAll(connection, Array("a 1\n".utf8)) { usleep(5000) }
            close(connection)
        case let .resetMidResponse(response):
            // Leave the request unread (wait until it is there), send half, then abort.
            var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 1000)
            sendAll(connection, Array(response.prefix(response.count / 2)))
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(connection)
        }
    }

    /// Reads until a newline arrives, the peer stops sending, or a second passes.
    private func readRequest(_ connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) == 1 else { continue }
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 || buffer[0..<count].contains(UInt8(ascii: "\n")) { return }
        }
    }

    @discardableResult
    private func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Half-closes, then drains what the peer still sends before closing, so no unread byte
    /// turns the close into a reset that could destroy the response in flight.
    private func closeCleanly(_ connection: Int32) {
        shutdown(connection, Int32(SHUT_WR))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, 1000) == 1, recv(connection, &buffer, buffer.count, 0) > 0 {}
        close(connection)
    }
}

import Glibc

/// A connected, non-blocking stream socket (Unix or TCP) whose every wait has a deadline.
///
/// Nothing here blocks past the time it is given: connecting waits at most its timeout
/// (a non-blocking `connect` plus `poll`), and sending and reading share one deadline, so a
/// peer that accepts and never answers, or drips a byte at a time, costs at most that long.
/// The descriptor is `SOCK_CLOEXEC`; writes use `MSG_NOSIGNAL`, so a closed peer is an
/// `EPIPE` error rather than a `SIGPIPE`.
public struct StreamSocket: Sendable {
    public let fd: Int32
    /// The address, for error messages.
    public let subject: String

    /// Connects to `address`, waiting at most `timeout`, or until `interruption` is turned.
    /// - Throws: ``SocketError/timedOut(call:subject:after:)`` when the connection is not made in
    ///   time; ``SocketError/interrupted(call:subject:cause:)``; ``SocketError/system(_:)`` for a refusal,
    ///   a missing socket file, and so on.
    public static func connect(
        to address: SocketAddress, timeout: Duration, interruption: Interruption? = nil
    ) throws(SocketError) -> StreamSocket {
        try connect(to: address, deadline: Deadline(after: timeout, interruption: interruption))
    }

    /// Connects to `address` by `deadline`.
    public static func connect(to address: SocketAddress, deadline: Deadline) throws(SocketError) -> StreamSocket {
        let subject = address.description
        let fd = try socketCall("socket", subject) {
            Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
                | Int32(SOCK_NONBLOCK.rawValue), 0)
        }
        let socket = StreamSocket(fd: fd, subject: subject)
        do throws(SocketError) {
            func attempt() throws(SocketError) -> Int32 {
                try address.withSockaddr { (pointer, length) throws(SocketError) -> Int32 in
                    Glibc.connect(fd, pointer, length) == 0 ? 0 : errno
                }
            }
            var code = try attempt()
            // A UNIX socket whose listener's backlog is full refuses a non-blocking connect at once
            // (unix(7)), with nothing to poll for: tried again every 10 ms until the deadline.
            while code == EAGAIN, case .unix = address {
                let remaining = try deadline.remainingMilliseconds(call: "connect", subject: subject)
                _ = poll(nil, 0, min(10, remaining))
                code = try attempt()
            }
            switch code {
            case 0:
                break
            case EINPROGRESS, EINTR:
                // The connection goes on in the background; it is done when the socket is writable.
                try socket.wait(for: Int16(POLLOUT), call: "connect", deadline: deadline)
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = try socketCall("getsockopt", subject) { getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) }
                if error != 0 { throw .system(SystemError(call: "connect", subject: subject, errno: error)) }
            case ECONNREFUSED:
                // The kernel refuses a connect to a path that is no socket as it does one nobody listens on.
                var info = Glibc.stat()
                if case let .unix(path) = address, stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFSOCK {
                    throw .notASocket(subject: subject, found: RegularFile.kind(of: info.st_mode))
                }
                throw .system(SystemError(call: "connect", subject: subject, errno: code))
            default:
                throw .system(SystemError(call: "connect", subject: subject, errno: code))
            }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    public func close() {
        _ = Glibc.close(fd)
    }

    /// Sends all of `bytes` before `deadline`.
    public func send(_ bytes: [UInt8], deadline: Deadline) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLOUT), call: "send", deadline: deadline)
            default: throw .system(SystemError(call: "send", subject: subject, errno: code))
            }
        }
    }

    /// Reads until the peer closes its side, `isComplete` says the bytes so far are a whole
    /// response, or `deadline` passes (while waiting or while data keeps coming), whichever is first.
    /// - Throws: ``SocketError/tooLarge(subject:limit:)`` once more than `limit` bytes arrived,
    ///   ``SocketError/timedOut(call:subject:after:)`` at the deadline, and `read` errors such as
    ///   `ECONNRESET`.
    public func readToEnd(
        limit: Int, deadline: Deadline, isComplete: ([UInt8]) -> Bool = { _ in false }
    ) throws(SocketError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
            }
            if count == 0 { return bytes }
            if count > 0 {
                guard bytes.count + count <= limit else { throw .tooLarge(subject: subject, limit: limit) }
                bytes.append(contentsOf: chunk[0..<count])
                if isComplete(bytes) { return bytes }
                // A peer that never stops sending is bounded too, not only one that goes quiet.
                _ = try deadline.remainingMilliseconds(call: "read", subject: subject)
                continue
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN), call: "read", deadline: deadline)
            default: throw .system(SystemError(call: "read", subject: subject, errno: code))
            }
        }
    }

    /// Waits until the socket is ready for `events` (or has an error to report), the deadline, or
    /// the deadline's interruption (looked at every ``Interruption/checkIntervalMilliseconds``).
    private func wait(for events: Int16, call: String, deadline: Deadline) throws(SocketError) {
        while true {
            var slice = try deadline.remainingMilliseconds(call: call, subject: subject)
            if deadline.interruption != nil { slice = min(slice, Interruption.checkIntervalMilliseconds) }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = try socketCall("poll", subject) { poll(&poller, 1, slice) }
            if ready > 0 { return }
        }
    }
}

/// A point on `CLOCK_MONOTONIC` by which an exchange must be over, and the time it was given;
/// with an ``Interruption``, over sooner at a stop, or at a reload after it was set.
public struct Deadline: Sendable {
    /// The monotonic time of the deadline, in microseconds.
    public let microseconds: UInt64
    /// The time the deadline was set with, for messages (`timed out after 2s`).
    public let budget: Duration
    /// What ends the exchange before the deadline.
    public let interruption: Interruption?
    /// The interruption's ``Interruption/mark`` when the deadline was set.
    private let interruptionMark: UInt64

    /// - Parameter mark: the interruption's ``Interruption/mark`` the exchange began at (a reload
    ///   after it cuts this wait short); `nil` takes it now.
    public init(after budget: Duration, interruption: Interruption? = nil, mark: UInt64? = nil) {
        let (seconds, attoseconds) = budget.components
        let micros = UInt64(max(0, seconds)) &* 1_000_000 &+ UInt64(max(0, attoseconds / 1_000_000_000_000))
        self.microseconds = monotonicMicroseconds() &+ micros
        self.budget = budget
        self.interruption = interruption
        self.interruptionMark = mark ?? interruption?.mark ?? 0
    }

    /// ``remainingMilliseconds()``, never 0.
    /// - Throws: ``SocketError/interrupted(call:subject:cause:)`` once the interruption ends it;
    ///   ``SocketError/timedOut(call:subject:after:)`` once the deadline has passed.
    func remainingMilliseconds(call: String, subject: String) throws(SocketError) -> Int32 {
        if let cause = interruption?.cause(since: interruptionMark) { throw .interrupted(call: call, subject: subject, cause: cause) }
        let remaining = remainingMilliseconds()
        guard remaining > 0 else { throw .timedOut(call: call, subject: subject, after: budget) }
        return remaining
    }

    /// Milliseconds left, rounded up so a wait never ends early; 0 once passed.
    public func remainingMilliseconds() -> Int32 {
        let now = monotonicMicroseconds()
        guard now < microseconds else { return 0 }
        return Int32(clamping: (microseconds - now + 999) / 1000)
    }
}

/// ``syscall(_:_:_:)`` with its error wrapped as a ``SocketError``.
private func socketCall<T: FixedWidthInteger>(
    _ call: String, _ subject: String, _ body: () -> T
) throws(SocketError) -> T {
    do { return try syscall(call, subject, body) } catch { throw .system(error) }
}

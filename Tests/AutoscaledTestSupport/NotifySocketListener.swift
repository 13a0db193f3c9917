import AutoscaledCore
import AutoscaledSystem
import Glibc

/// Plays the service manager's side of `sd_notify`: a datagram socket that records
/// what a notifier sends, so tests never need a running systemd.
///
/// Bind one per test: a socket file in a fresh temp dir, or a unique abstract name.
/// ```
/// let listener = try NotifySocketListener.temporary()
/// // run the daemon with NOTIFY_SOCKET=\(listener.notifySocket)
/// #expect(listener.receive(timeout: .seconds(2)) == "READY=1")
/// ```
public final class NotifySocketListener: @unchecked Sendable {
    // Safety: every stored property is a `let`; the descriptor is only read and closed in
    // `deinit`. Concurrent `receive` calls each get whole datagrams from the kernel.

    /// One datagram, when the kernel queued it and, with `passCredentials`, the sender's process id.
    public struct Message: Sendable, Equatable {
        public var text: String
        public var senderPID: Int32?
        /// The datagram as received (``text`` is its UTF-8 reading).
        public var bytes: [UInt8]
        /// When the kernel queued the datagram (`SO_TIMESTAMPNS`, seconds since the epoch): the
        /// time it was sent, however late the test reads it.
        public var queuedAt: Double?

        public init(text: String, senderPID: Int32?, bytes: [UInt8]? = nil, queuedAt: Double? = nil) {
            self.text = text
            self.senderPID = senderPID
            self.bytes = bytes ?? Array(text.utf8)
            self.queuedAt = queuedAt
        }

        /// Messages are equal by what was sent and by whom; ``queuedAt`` says only when.
        public static func == (left: Message, right: Message) -> Bool {
            left.text == right.text && left.senderPID == right.senderPID && left.bytes == right.bytes
        }
    }

    /// The value to put in `NOTIFY_SOCKET`: a path, or `@name` for the abstract namespace.
    public let notifySocket: String
    private let fd: Int32
    private let passCredentials: Bool
    /// The temp directory to remove on close, for `temporary()` listeners.
    private let ownedDirectory: String?

    /// Binds to `notifySocket` (`/path` or `@name`).
    public convenience init(notifySocket: String, passCredentials: Bool = false) throws(SystemError) {
        try self.init(notifySocket: notifySocket, passCredentials: passCredentials, ownedDirectory: nil)
    }

    /// Binds a socket file named `notify` in a new temp directory.
    public static func temporary(passCredentials: Bool = false) throws(SystemError) -> NotifySocketListener {
        var template = Array("/tmp/autoscaled-notify-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw SystemError(call: "mkdtemp", subject: "/tmp", errno: errno) }
        let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return try NotifySocketListener(
            notifySocket: directory + "/notify", passCredentials: passCredentials, ownedDirectory: directory)
    }

    /// Binds a unique name in the abstract namespace (nothing on disk to clean up).
    public static func abstract(passCredentials: Bool = false) throws(SystemError) -> NotifySocketListener {
        let name = "@autoscaled-test/\(getpid())/\(UInt64.random(in: 0...UInt64.max))"
        return try NotifySocketListener(notifySocket: name, passCredentials: passCredentials)
    }

    private init(notifySocket: String, passCredentials: Bool, ownedDirectory: String?) throws(SystemError) {
        self.notifySocket = notifySocket
        self.passCredentials = passCredentials
        self.ownedDirectory = ownedDirectory
        let fd = try Self.check("socket", notifySocket) {
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemError) {
            var on: Int32 = 1
            _ = try Self.check("setsockopt", notifySocket) {
                setsockopt(fd, SOL_SOCKET, Self.timestampOption, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            if passCredentials {
                _ = try Self.check("setsockopt", notifySocket) {
                    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(notifySocket.utf8)
            let isAbstract = bytes.first == UInt8(ascii: "@")
            if isAbstract { bytes[0] = 0 } else { bytes.append(0) }
            guard bytes.count <= MemoryLayout.size(ofValue: address.sun_path) else {
                throw SystemError(call: "bind", subject: notifySocket, errno: ENAMETOOLONG)
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
            _ = try Self.check("bind", notifySocket) {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
                }
            }
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
    }

    deinit {
        close(fd)
        if let ownedDirectory {
            unlink(notifySocket)
            rmdir(ownedDirectory)
        }
    }

    /// The next datagram's text, or `nil` if none arrives within `timeout`; polls without
    /// blocking a thread of the cooperative pool.
    public func next(timeout: Duration) async -> String? {
        await nextMessage(timeout: timeout)?.text
    }

    /// The next datagram with its sender; polls without blocking a thread of the cooperative pool,
    /// and looks once more at the deadline (a test can be left unscheduled past it).
    public func nextMessage(timeout: Duration) async -> Message? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let message = receiveMessage(timeout: .zero) { return message }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return receiveMessage(timeout: .zero)
    }

    /// Every datagram until `done` holds for those read so far, or until `timeout` runs out (a
    /// generous bound that only matters when something is wrong).
    public func messages(timeout: Duration, until done: ([Message]) -> Bool) async -> [Message] {
        var messages: [Message] = []
        let deadline = ContinuousClock.now + timeout
        while !done(messages), ContinuousClock.now < deadline,
            let message = await nextMessage(timeout: deadline - ContinuousClock.now)
        {
            messages.append(message)
        }
        return messages
    }

    /// The next `count` datagrams that read exactly `text`, passing over others; fewer when
    /// `timeout` runs out first.
    public func messages(_ count: Int, reading text: String, timeout: Duration) async -> [Message] {
        await messages(timeout: timeout) { read in read.count { $0.text == text } >= count }.filter { $0.text == text }
    }

    /// The next datagram's text, or `nil` if none arrives within `timeout`.
    public func receive(timeout: Duration) -> String? {
        receiveMessage(timeout: timeout)?.text
    }

    /// The next datagram with its sender, or `nil` if none arrives within `timeout`.
    public func receiveMessage(timeout: Duration) -> Message? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
        guard (try? Self.check("poll", notifySocket, { poll(&poller, 1, milliseconds) })) == 1 else {
            return nil
        }

        let data = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 8)
        // Room for an SCM_CREDENTIALS and an SCM_TIMESTAMPNS control message (each a cmsghdr and
        // 16 bytes, aligned) and then some.
        let control = UnsafeMutableRawBufferPointer.allocate(byteCount: 128, alignment: 8)
        defer {
            data.deallocate()
            control.deallocate()
        }
        var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
        var header = msghdr()
        header.msg_controllen = control.count
        header.msg_control = control.baseAddress
        header.msg_iovlen = 1
        let count: Int? = withUnsafeMutablePointer(to: &vector) { vectorPointer in
            header.msg_iov = vectorPointer
            return try? Self.check("recvmsg", notifySocket) {
                recvmsg(fd, &header, Int32(MSG_DONTWAIT) | Int32(MSG_CMSG_CLOEXEC))
            }
        }
        guard let count else { return nil }
        let bytes = Array(UnsafeRawBufferPointer(rebasing: data[..<count]))
        let text = String(decoding: bytes, as: UTF8.self)
        let ancillary = Self.ancillary(UnsafeRawBufferPointer(rebasing: control[..<Int(header.msg_controllen)]))
        return Message(text: text, senderPID: passCredentials ? ancillary.pid : nil, bytes: bytes,
                       queuedAt: ancillary.queuedAt)
    }

    /// `SCM_CREDENTIALS` from `<bits/socket.h>`; Glibc hides it (and `struct ucred`) behind `_GNU_SOURCE`.
    private static let scmCredentials: Int32 = 2
    /// `SO_TIMESTAMPNS` (also the control message's type, `SCM_TIMESTAMPNS`) with a 64-bit `time_t`:
    /// Glibc defines it by an expression Swift does not import.
    private static let timestampOption: Int32 = 35

    /// Finds `SCM_CREDENTIALS` and `SCM_TIMESTAMPNS` in the control bytes: the sender's pid and
    /// when the datagram was queued.
    ///
    /// Walks the headers by hand: the `CMSG_*` macros are not visible from Swift.
    private static func ancillary(_ control: UnsafeRawBufferPointer) -> (pid: Int32?, queuedAt: Double?) {
        let headerSize = MemoryLayout<cmsghdr>.stride
        let align = MemoryLayout<Int>.size
        var found: (pid: Int32?, queuedAt: Double?) = (nil, nil)
        var offset = 0
        while offset + headerSize <= control.count {
            let header = control.loadUnaligned(fromByteOffset: offset, as: cmsghdr.self)
            let length = Int(header.cmsg_len)
            guard length >= headerSize, offset + length <= control.count else { break }
            let payload = length - headerSize
            if header.cmsg_level == SOL_SOCKET {
                // `struct ucred { pid_t pid; uid_t uid; gid_t gid; }`: the pid comes first.
                if header.cmsg_type == Self.scmCredentials, payload >= 3 * MemoryLayout<Int32>.size {
                    found.pid = control.loadUnaligned(fromByteOffset: offset + headerSize, as: Int32.self)
                } else if header.cmsg_type == Self.timestampOption, payload >= MemoryLayout<timespec>.size {
                    let time = control.loadUnaligned(fromByteOffset: offset + headerSize, as: timespec.self)
                    found.queuedAt = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
                }
            }
            offset += (length + align - 1) / align * align
        }
        return found
    }

    /// Retries `EINTR` and turns -1 into a `SystemError`, like the library's own wrapper.
    private static func check<T: FixedWidthInteger>(
        _ call: String, _ subject: String, _ body: () -> T
    ) throws(SystemError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            if errno == EINTR { continue }
            throw SystemError(call: call, subject: subject, errno: errno)
        }
    }
}

extension Array where Element == NotifySocketListener.Message {
    /// The times between consecutive datagrams as the kernel queued them (seconds), shortest
    /// first: a rate that does not depend on when the reader was scheduled.
    public var sortedGaps: [Double] {
        let times = compactMap(\.queuedAt)
        return zip(times.dropFirst(), times).map { $0 - $1 }.sorted()
    }

    /// The middle of ``sortedGaps``: one late send makes one gap longer and the next shorter,
    /// and leaves the median where it was.
    public var medianGap: Double? {
        let gaps = sortedGaps
        return gaps.isEmpty ? nil : gaps[gaps.count / 2]
    }
}

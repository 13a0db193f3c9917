import AutoscaledBase
import Glibc

/// Tells the service manager how the daemon is doing: the `sd_notify(3)` protocol, by hand.
///
/// Each message is one `SOCK_DGRAM` datagram of newline-separated `KEY=VALUE` assignments
/// sent to `$NOTIFY_SOCKET`. Without that variable (not started by systemd, or not
/// `Type=notify`) every method is a silent no-op, so callers never need to check first.
///
/// A socket is opened per message and closed right after: at one message per poll
/// that costs a few microseconds and leaves no descriptor to leak into spawned actuators.
///
/// The life of a notify service as systemd sees it:
/// ```
///   start ──READY=1──▶ running ──RELOADING=1──▶ reloading ──READY=1──▶ running
///                         │  ▲                                            │
///                         │  └───────────── WATCHDOG=1 every half ────────┘
///                         └──STOPPING=1──▶ stopping ──exit──▶ stopped
/// ```
public struct SystemdNotifier: Sendable {
    /// The variables systemd sets for a notify service; a spawned child should not inherit them.
    public static let environmentKeys = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"]

    /// How long a send may wait for a full manager queue before it fails with `EAGAIN`.
    static let sendTimeout = timeval(tv_sec: 2, tv_usec: 0)

    let address: NotifySocketAddress?

    /// Why a `NOTIFY_SOCKET` that is set cannot be used, for a warning at start (under
    /// `Type=notify` the start would otherwise time out with no word of why); `nil` when unset or usable.
    public let unusable: String?

    /// How often systemd expects `WATCHDOG=1` at the latest (`WatchdogSec=`), when the
    /// watchdog is on for this process; `nil` otherwise.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// - Parameter pid: this process's id; a `WATCHDOG_PID` naming another process
    ///   (inherited from a parent) means the watchdog is not ours to feed.
    public init(environment: [String: String], pid: Int32 = getpid()) {
        self.address = environment["NOTIFY_SOCKET"].flatMap(NotifySocketAddress.init)
        if let value = environment["NOTIFY_SOCKET"], address == nil {
            unusable = "NOTIFY_SOCKET \(EscapedText.quoted(value)) is not an absolute path shorter than "
                + "\(NotifySocketAddress.pathCapacity) bytes or an abstract name (@…); no notification is sent"
        } else {
            unusable = nil
        }
        self.watchdogInterval = Self.watchdogInterval(
            usec: environment["WATCHDOG_USEC"], pid: environment["WATCHDOG_PID"], ownPID: pid)
    }

    /// Whether `NOTIFY_SOCKET` is set to a usable address; when `false`, sends do nothing.
    public var isEnabled: Bool { address != nil }

    /// The `NOTIFY_SOCKET` value in use, for logs; `nil` when disabled.
    public var socket: String? { address?.text }

    /// How often to send `WATCHDOG=1`: half of ``watchdogInterval``, as `sd_watchdog_enabled(3)`
    /// advises, so one late tick does not get the daemon killed; never more often than every
    /// ``minimumPingInterval``, so a `WATCHDOG_USEC` of a few microseconds cannot make it spin.
    public var watchdogPingInterval: Duration? { watchdogInterval.map { max($0 / 2, Self.minimumPingInterval) } }

    /// The shortest time between two `WATCHDOG=1` (systemd's own `WatchdogSec=` is meant in seconds).
    public static let minimumPingInterval = Duration.milliseconds(10)

    /// Sends the assignments as one datagram, e.g. `["READY=1", "STATUS=replicas=4"]`.
    ///
    /// A newline, carriage return or NUL inside an assignment is replaced by a space, so
    /// text that reaches a `STATUS=` (a server name, an error) can never add an assignment
    /// of its own. Does nothing when disabled or when `assignments` is empty.
    /// - Parameter waiting: whether to wait up to ``sendTimeout`` for room in a full manager
    ///   queue; without, a full queue fails at once with `EAGAIN`.
    public func send(_ assignments: [String], waiting: Bool) throws(SystemError) {
        guard let address else { return }
        let message = Self.encode(assignments)
        guard !message.isEmpty else { return }

        let fd = try syscall("socket", address.text) {
            Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        defer { _ = close(fd) }
        if waiting {
            var timeout = Self.sendTimeout
            _ = try syscall("setsockopt", address.text) {
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            }
        }
        let bytes = Array(message.utf8)
        let sent = try address.withSockaddr { (sockaddr, length) throws(SystemError) -> Int in
            try syscall("sendto", address.text) {
                bytes.withUnsafeBytes { buffer in
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | (waiting ? 0 : Int32(MSG_DONTWAIT)), sockaddr, length)
                }
            }
        }
        // A datagram goes out whole or not at all; anything else is a broken kernel contract.
        guard sent == bytes.count else {
            throw SystemError(call: "sendto", subject: address.text, errno: EMSGSIZE)
        }
    }

    /// `READY=1`: start-up (or a reload) is complete; with a one-line `STATUS=` if given.
    public func ready(status: String? = nil) throws(SystemError) {
        try send(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// `RELOADING=1` with the `CLOCK_MONOTONIC` time it began; follow with ``ready(status:)``.
    public func reloading(monotonicUsec: UInt64 = monotonicMicroseconds()) throws(SystemError) {
        try send(["RELOADING=1", "MONOTONIC_USEC=\(monotonicUsec)"])
    }

    /// `STOPPING=1`: shutdown has begun.
    public func stopping() throws(SystemError) {
        try send(["STOPPING=1"])
    }

    /// `STATUS=…`: the one line `systemctl status` shows under the unit.
    public func status(_ text: String) throws(SystemError) {
        try send(["STATUS=\(text)"])
    }

    /// `WATCHDOG=1`: the daemon is alive; send every ``watchdogPingInterval``.
    public func watchdog() throws(SystemError) {
        try send(["WATCHDOG=1"])
    }

    /// `MAINPID=…`: names the process systemd should treat as the service's main process.
    public func mainPID(_ pid: Int32) throws(SystemError) {
        try send(["MAINPID=\(pid)"])
    }

    /// Joins assignments into one message, each kept to a single line.
    package static func encode(_ assignments: [String]) -> String {
        assignments.lazy
            .map { assignment in
                // Line breaks and NUL are always grapheme clusters of their own, so
                // checking each Character catches every byte systemd would split on.
                String(assignment.map { $0.isNewline || $0 == "\0" ? " " : $0 })
            }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// `WATCHDOG_USEC` as a duration when it is a positive decimal and `WATCHDOG_PID` is
    /// absent or equal to `ownPID`; `nil` for anything else, as `sd_watchdog_enabled(3)` does.
    static func watchdogInterval(usec: String?, pid: String?, ownPID: Int32) -> Duration? {
        guard let usec, let micros = decimal(usec), micros > 0, micros <= UInt64(Int64.max) else {
            return nil
        }
        if let pid {
            guard let owner = decimal(pid), owner == UInt64(ownPID) else { return nil }
        }
        return .microseconds(Int64(micros))
    }

    /// A plain unsigned decimal (digits only, no sign or spaces), or `nil`.
    private static func decimal(_ text: String) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return UInt64(text)
    }
}

/// Where the daemon's state notifications go: systemd's notify socket, or a test's record.
public protocol NotifySink: Sendable {
    /// Sends the assignments (`READY=1`, `STATUS=…`) as one message; `waiting`: for room in a
    /// full queue, a while, or not at all.
    func send(_ assignments: [String], waiting: Bool) throws(SystemError)
    /// Why the service manager cannot be told anything, when it was asked to be (see ``SystemdNotifier/unusable``).
    var unusable: String? { get }
    /// How often the service manager expects `WATCHDOG=1` at the latest (see ``SystemdNotifier/watchdogInterval``).
    var watchdogInterval: Duration? { get }
}

extension NotifySink {
    /// Sends the assignments, waiting a while for room in a full queue.
    public func send(_ assignments: [String]) throws(SystemError) { try send(assignments, waiting: true) }
    public var unusable: String? { nil }
    public var watchdogInterval: Duration? { nil }
}

extension SystemdNotifier: NotifySink {}

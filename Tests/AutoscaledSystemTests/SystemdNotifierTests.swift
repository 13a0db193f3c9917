import AutoscaledTestSupport
import Glibc
import Testing

@testable import AutoscaledSystem

struct SystemdNotifierTests {
    private static let wait = Duration.seconds(5)

    @Test("READY and STATUS arrive as one datagram on a socket file")
    func sendsToSocketFile() throws {
        let listener = try NotifySocketListener.temporary()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        #expect(notifier.isEnabled)
        #expect(notifier.socket == listener.notifySocket)

        try notifier.ready(status: "replicas=4 servers_to_scale=1")

        #expect(listener.receive(timeout: Self.wait) == "READY=1\nSTATUS=replicas=4 servers_to_scale=1")
    }

    @Test("a leading @ addresses the abstract namespace")
    func sendsToAbstractSocket() throws {
        let listener = try NotifySocketListener.abstract()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])

        try notifier.send(["READY=1"])

        #expect(listener.receive(timeout: Self.wait) == "READY=1")
    }

    @Test("the manager sees this process as the sender")
    func senderIsThisProcess() throws {
        let listener = try NotifySocketListener.temporary(passCredentials: true)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])

        try notifier.watchdog()

        #expect(listener.receiveMessage(timeout: Self.wait) == .init(text: "WATCHDOG=1", senderPID: getpid()))
    }

    @Test("each notification has its documented wording, in order")
    func notificationWording() throws {
        let listener = try NotifySocketListener.abstract()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])

        try notifier.ready(status: nil)
        try notifier.reloading(monotonicUsec: 12_345_678)
        try notifier.status("replicas=3")
        try notifier.watchdog()
        try notifier.mainPID(4242)
        try notifier.stopping()

        let received = (0..<6).map { _ in listener.receive(timeout: Self.wait) }
        #expect(received == [
            "READY=1",
            "RELOADING=1\nMONOTONIC_USEC=12345678",
            "STATUS=replicas=3",
            "WATCHDOG=1",
            "MAINPID=4242",
            "STOPPING=1",
        ])
    }

    @Test("a status text cannot inject assignments of its own")
    func newlineInjection() throws {
        let listener = try NotifySocketListener.temporary()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])

        try notifier.status("server web1\nREADY=1\rMAINPID=1\r\nERRNO=5\0X=1")

        #expect(listener.receive(timeout: Self.wait) == "STATUS=server web1 READY=1 MAINPID=1 ERRNO=5 X=1")
    }

    @Test(
        "messages are encoded one assignment per line",
        arguments: [
            (["READY=1"], "READY=1"),
            (["READY=1", "STATUS=ok"], "READY=1\nSTATUS=ok"),
            (["STATUS=a\nb"], "STATUS=a b"),
            (["STATUS=a\u{2028}b"], "STATUS=a b"),
            (["", "READY=1", ""], "READY=1"),
            ([], ""),
        ] as [([String], String)])
    func encoding(assignments: [String], expected: String) {
        #expect(SystemdNotifier.encode(assignments) == expected)
    }

    @Test("without NOTIFY_SOCKET every call is a silent no-op")
    func disabledWithoutSocket() throws {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"])
        #expect(!notifier.isEnabled)
        #expect(notifier.socket == nil)
        #expect(notifier.unusable == nil, "not asked for: nothing to warn of")
        try notifier.ready(status: "replicas=1")
        try notifier.reloading()
        try notifier.stopping()
        try notifier.watchdog()
    }

    struct SocketCase: Sendable, CustomTestStringConvertible {
        var name: String
        var value: String
        var testDescription: String { name }
    }

    @Test(
        "a NOTIFY_SOCKET that is not an absolute path or @name disables notification",
        arguments: [
            SocketCase(name: "empty", value: ""),
            SocketCase(name: "a relative path", value: "run/notify"),
            SocketCase(name: "a bare name", value: "notify"),
            SocketCase(name: "@ without a name", value: "@"),
            SocketCase(name: "an embedded NUL", value: "/run/\0notify"),
            SocketCase(name: "a path with no room for its NUL", value: "/" + String(repeating: "x", count: 107)),
            SocketCase(name: "an abstract name longer than sun_path", value: "@" + String(repeating: "x", count: 108)),
        ])
    func unusableSocket(_ example: SocketCase) throws {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": example.value])
        #expect(!notifier.isEnabled)
        #expect(notifier.unusable?.hasPrefix("NOTIFY_SOCKET '") == true)
        #expect(notifier.unusable?.hasSuffix("' is not an absolute path shorter than 108 bytes or an abstract name (@…); "
            + "no notification is sent") == true, "\(notifier.unusable ?? "nil")")
        try notifier.ready(status: nil)
    }

    @Test("the longest addresses that fit sun_path are usable")
    func longestUsableSocket() {
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 106)]).isEnabled)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + String(repeating: "x", count: 107)]).isEnabled)
    }

    @Test("without waiting, a full queue fails at once with EAGAIN")
    func fullQueueWithoutWaiting() throws {
        let listener = try NotifySocketListener.temporary()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        var failure: SystemError?
        for _ in 0..<100_000 where failure == nil {
            do throws(SystemError) { try notifier.send(["WATCHDOG=1"], waiting: false) } catch { failure = error }
        }
        #expect(failure?.errno == EAGAIN, "the queue of a listener that reads nothing never filled: \(String(describing: failure))")
        let start = ContinuousClock.now
        #expect(throws: SystemError(call: "sendto", subject: listener.notifySocket, errno: EAGAIN)) {
            try notifier.send(["WATCHDOG=1"], waiting: false)
        }
        // A waiting send would take the whole sendTimeout (2 s) here.
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(listener.receive(timeout: Self.wait) == "WATCHDOG=1", "what did go out is there to read")
    }

    @Test("a socket that does not exist fails with the call and the path")
    func missingSocket() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent-autoscaled/notify"])
        #expect(throws: SystemError(call: "sendto", subject: "/nonexistent-autoscaled/notify", errno: ENOENT)) {
            try notifier.ready(status: nil)
        }
        let error = SystemError(call: "sendto", subject: "/nonexistent-autoscaled/notify", errno: ENOENT)
        #expect(error.description == "sendto(/nonexistent-autoscaled/notify): no such file or directory (errno 2)")
    }

    struct WatchdogCase: Sendable, CustomTestStringConvertible {
        var name: String
        var usec: String?
        var pid: String?
        var expected: Duration?
        var testDescription: String { name }
    }

    @Test(
        "WATCHDOG_USEC and WATCHDOG_PID decide whether the watchdog is ours",
        arguments: [
            WatchdogCase(name: "no WATCHDOG_USEC: no watchdog", usec: nil, pid: nil, expected: nil),
            WatchdogCase(name: "a WATCHDOG_PID alone: no watchdog", usec: nil, pid: "4242", expected: nil),
            WatchdogCase(name: "WATCHDOG_USEC without a pid is ours", usec: "30000000", pid: nil, expected: .seconds(30)),
            WatchdogCase(name: "our own pid", usec: "30000000", pid: "4242", expected: .seconds(30)),
            WatchdogCase(name: "another process's pid (inherited)", usec: "30000000", pid: "1", expected: nil),
            WatchdogCase(name: "a garbage pid", usec: "30000000", pid: "me", expected: nil),
            WatchdogCase(name: "zero means off", usec: "0", pid: nil, expected: nil),
            WatchdogCase(name: "garbage usec", usec: "30s", pid: nil, expected: nil),
            WatchdogCase(name: "a signed usec", usec: "+5", pid: nil, expected: nil),
            WatchdogCase(name: "a negative usec", usec: "-5", pid: nil, expected: nil),
            WatchdogCase(name: "leading space", usec: " 5", pid: nil, expected: nil),
            WatchdogCase(name: "empty usec", usec: "", pid: nil, expected: nil),
            WatchdogCase(name: "beyond UInt64", usec: "99999999999999999999", pid: nil, expected: nil),
            WatchdogCase(name: "one microsecond", usec: "1", pid: nil, expected: .microseconds(1)),
        ])
    func watchdogParsing(_ example: WatchdogCase) {
        var environment: [String: String] = [:]
        environment["WATCHDOG_USEC"] = example.usec
        environment["WATCHDOG_PID"] = example.pid
        let notifier = SystemdNotifier(environment: environment, pid: 4242)
        #expect(notifier.watchdogInterval == example.expected)
    }

    @Test("the watchdog is fed at half its interval")
    func watchdogPingInterval() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"], pid: 7)
        #expect(notifier.watchdogPingInterval == .seconds(15))
        #expect(SystemdNotifier(environment: [:]).watchdogPingInterval == nil)
        // A few microseconds cannot make the daemon spin: at most one ping every 10 ms.
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "1"]).watchdogPingInterval == .milliseconds(10))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000"]).watchdogPingInterval == .milliseconds(15))
    }

    @Test("the watchdog defaults to this process's own pid")
    func watchdogDefaultsToOwnPID() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "\(getpid())"])
        #expect(notifier.watchdogInterval == .seconds(1))
    }
}

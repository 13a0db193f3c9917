import AutoscaledTestSupport
import Glibc
import Testing

@Suite("sd_notify and the watchdog, with a test-owned NOTIFY_SOCKET")
struct SystemdNotifyTests {
    /// Every datagram that arrives within `timeout`, until `stop` matches one.
    func collect(_ listener: NotifySocketListener, until stop: (String) -> Bool, timeout: Duration = .seconds(10)) async -> [String] {
        var messages: [String] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, let message = await listener.next(timeout: deadline - ContinuousClock.now) {
            messages.append(message)
            if stop(message) { break }
        }
        return messages
    }

    @Test("READY, STATUS, RELOADING/READY on SIGHUP and STOPPING on SIGTERM arrive in order")
    func lifecycle() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"server1": 30, "server2": 55, "server3": 20}"#)
        let listener = try NotifySocketListener.temporary(passCredentials: true)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                  environment: ["NOTIFY_SOCKET": listener.notifySocket], captureIn: dir.path)
        let ready = await listener.nextMessage(timeout: .seconds(10))
        #expect(ready?.text == "READY=1\nMAINPID=\(daemon.pid)\nSTATUS=replicas=4 servers_to_scale=1 last=scale-up 0s ago")
        #expect(ready?.senderPID == daemon.pid)

        daemon.signal(SIGHUP)
        let reload = await collect(listener) { $0.hasPrefix("READY=1") }
        #expect(reload.count == 2)
        #expect(reload.first?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true)
        let usec = reload.first.flatMap { UInt64($0.split(separator: "=").last!) }
        #expect(usec != nil && usec! > 0)
        #expect(reload.last?.hasPrefix("READY=1\nSTATUS=replicas=4 servers_to_scale=1 last=scale-up ") == true)

        // Between reloads, every evaluation updates STATUS=.
        dir.writeLoads(#"{"server1": 30, "server2": 40}"#)
        #expect(await listener.next(timeout: .seconds(10))?.hasPrefix("STATUS=replicas=4 servers_to_scale=0 last=scale-up ") == true)

        // A write can be seen twice (by the watch and by the loop's own check), so another
        // evaluation's STATUS= may come before STOPPING=1; nothing else may.
        daemon.signal(SIGTERM)
        let stopping = await collect(listener) { $0 == "STOPPING=1" }
        #expect(stopping.last == "STOPPING=1")
        #expect(stopping.dropLast().allSatisfy { $0.hasPrefix("STATUS=replicas=4 servers_to_scale=0 ") }, "\(stopping)")
        #expect(await daemon.wait() == 0)
    }

    @Test("WATCHDOG=1 comes at half of WATCHDOG_USEC; none when WATCHDOG_PID names another process")
    func watchdogRate() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let listener = try NotifySocketListener.temporary()
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                  environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "200000"],
                                  captureIn: dir.path)
        #expect(await listener.next(timeout: .seconds(10))?.hasPrefix("READY=1") == true)
        // Drop whatever queued while this test was not reading, then count over two seconds.
        try? await Task.sleep(for: .milliseconds(300))
        while listener.receiveMessage(timeout: .zero) != nil {}
        let start = ContinuousClock.now
        let pings = await collect(listener, until: { _ in false }, timeout: .seconds(2)).filter { $0 == "WATCHDOG=1" }
        let elapsed = ContinuousClock.now - start
        // One ping per 100 ms: about 20 in two seconds; allow scheduling slack either way.
        #expect((12...28).contains(pings.count), "\(pings.count) pings in \(elapsed)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)

        let other = try NotifySocketListener.temporary()
        let notOurs = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                   environment: ["NOTIFY_SOCKET": other.notifySocket, "WATCHDOG_USEC": "200000",
                                                 "WATCHDOG_PID": "1"], captureIn: dir.path)
        #expect(await other.next(timeout: .seconds(10))?.hasPrefix("READY=1") == true)
        let none = await collect(other, until: { _ in false }, timeout: .milliseconds(500))
        #expect(!none.contains("WATCHDOG=1"))
        notOurs.signal(SIGTERM)
        #expect(await notOurs.wait() == 0)
    }

    @Test("without NOTIFY_SOCKET the daemon runs and logs no notify failure")
    func silentWithoutSocket() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                  environment: ["WATCHDOG_USEC": "100000"], captureIn: dir.path)
        #expect(await daemon.waitForLine("event=hold") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(!daemon.standardError.contains("notify-failed"))
    }
}

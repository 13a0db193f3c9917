import AutoscaledTestSupport
import Glibc
import Testing

@Suite("sd_notify and the watchdog, with a test-owned NOTIFY_SOCKET")
struct SystemdNotifyTests {
    /// The text of every datagram until one satisfies `stop`, within `timeout`.
    func collect(_ listener: NotifySocketListener, until stop: (String) -> Bool,
                 timeout: Duration = patience) async -> [String] {
        await listener.messages(timeout: timeout) { read in read.last.map { stop($0.text) } == true }.map(\.text)
    }

    @Test("a NOTIFY_SOCKET that cannot be used is a warning at start, naming it, not silence")
    func unusableSocket() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                  environment: ["NOTIFY_SOCKET": "run/notify"], captureIn: dir.path)
        #expect(await daemon.waitForLine("level=warning event=notify-failed cause=\"NOTIFY_SOCKET 'run/notify' is not an "
            + "absolute path shorter than 108 bytes or an abstract name (@…); no notification is sent\"") != nil,
                "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
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
        let ready = await listener.nextMessage(timeout: patience)
        // The scale-up is the first evaluation's, just before READY: "0s ago" unless the host held the daemon up.
        let status = "READY=1\nMAINPID=\(daemon.pid)\nSTATUS=replicas=4 servers_to_scale=1 last=scale-up "
        let age = ready.map { $0.text.hasPrefix(status) && $0.text.hasSuffix("s ago") ? $0.text.dropFirst(status.count).dropLast(5) : "" }
        #expect(age.map { !$0.isEmpty && $0.allSatisfy(\.isNumber) } == true, "\(String(describing: ready?.text))")
        #expect(ready?.senderPID == daemon.pid)

        // As before STOPPING=1 below, another evaluation's STATUS= may come before RELOADING=1.
        daemon.signal(SIGHUP)
        let afterHangup = await collect(listener) { $0.hasPrefix("READY=1") }
        let reload = Array(afterHangup.drop { $0.hasPrefix("STATUS=replicas=4 servers_to_scale=1 ") })
        #expect(reload.count == 2, "\(afterHangup)")
        #expect(reload.first?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true)
        let usec = reload.first.flatMap { UInt64($0.split(separator: "=").last!) }
        #expect(usec != nil && usec! > 0)
        #expect(reload.last?.hasPrefix("READY=1\nSTATUS=replicas=4 servers_to_scale=1 last=scale-up ") == true)

        // Between reloads, every evaluation updates STATUS=. A poll of the old loads may come before
        // the write is seen (the poll is due every 10 s however late this test runs); nothing else may.
        dir.writeLoads(#"{"server1": 30, "server2": 40}"#)
        let afterWrite = await collect(listener) { $0.hasPrefix("STATUS=replicas=4 servers_to_scale=0 ") }
        #expect(afterWrite.last?.hasPrefix("STATUS=replicas=4 servers_to_scale=0 last=scale-up ") == true, "\(afterWrite)")
        #expect(afterWrite.dropLast().allSatisfy { $0.hasPrefix("STATUS=replicas=4 servers_to_scale=1 ") }, "\(afterWrite)")

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
        #expect(await listener.next(timeout: patience)?.hasPrefix("READY=1") == true)
        // Twenty gaps, timed by the kernel as each ping was sent, however late this test reads them;
        // the deadline only matters when pings stop.
        let pings = await listener.messages(21, reading: "WATCHDOG=1", timeout: patience)
        try #require(pings.count == 21, "\(pings.count) pings: \(daemon.standardError.suffix(2000))")
        // One ping per 100 ms, half of WATCHDOG_USEC: not one per 200 ms, nor faster than the ticks.
        let median = try #require(pings.medianGap)
        #expect((0.06...0.15).contains(median), "median gap \(median) s: \(pings.sortedGaps)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)

        // Polled every 100 ms, the daemon sends STATUS= after each evaluation, and WATCHDOG=1 (when
        // it pings) in the same turn of its loop, just before. Half a second of STATUS=, by the
        // kernel's clock, spans several ticks a pinging daemon would have sent by then.
        dir.writeConfig(pollInterval: "100ms")
        let other = try NotifySocketListener.temporary()
        let notOurs = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                   environment: ["NOTIFY_SOCKET": other.notifySocket, "WATCHDOG_USEC": "200000",
                                                 "WATCHDOG_PID": "1"], captureIn: dir.path)
        let seen = await other.messages(timeout: patience) { read in
            let statuses = read.filter { $0.text.hasPrefix("STATUS=") }.compactMap(\.queuedAt)
            return (statuses.last ?? 0) - (statuses.first ?? 0) >= 0.5
        }
        #expect(seen.first?.text.hasPrefix("READY=1") == true)
        #expect(seen.filter { $0.text.hasPrefix("STATUS=") }.count >= 2, "\(seen.map(\.text))")
        #expect(!seen.contains { $0.text == "WATCHDOG=1" })
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

import AutoscaledTestSupport
import Glibc
import Testing

@Suite("the watchdog and SIGTERM while the loop waits on a real socket")
struct WatchdogSocketTests {
    static let good = Array("a 30\n".utf8)

    /// How many `WATCHDOG=1` arrive within `window`.
    static func pings(_ listener: NotifySocketListener, for window: Duration) async -> Int {
        var count = 0
        let deadline = ContinuousClock.now + window
        while ContinuousClock.now < deadline, let message = await listener.next(timeout: deadline - ContinuousClock.now) {
            if message == "WATCHDOG=1" { count += 1 }
        }
        return count
    }

    /// Waits until the server has accepted a connection beyond `count`: a read is under way.
    static func readStarted(_ server: TestStreamServer, after count: Int) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while server.accepted <= count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(2)) }
        return server.accepted > count
    }

    @Test("WATCHDOG=1 stops while a read hangs (read_timeout 3s), resumes after; SIGTERM waits for the read at most")
    func wedgedOnSocket() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        let server = TestStreamServer.unix(at: dir.file("hang.sock"), behavior: .respond(Self.good))
        defer { server.stop() }
        dir.writeConfig(sourceSection: """
            type = unix
            path = hang.sock
            request = get\\n
            format = lines
            read_timeout = 3s
            poll_interval = 100ms
            """)
        let listener = try NotifySocketListener.temporary()
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                  environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "200000"],
                                  captureIn: dir.path)
        #expect(await listener.next(timeout: .seconds(10))?.hasPrefix("READY=1") == true, "\(daemon.standardError)")

        // Healthy: a ping every 100 ms.
        #expect(await Self.pings(listener, for: .seconds(1)) >= 5)

        // Wedged: the server accepts and never answers; the loop waits in the read for 3 s.
        let before = daemon.stderrLines.count
        var accepted = server.accepted
        server.behavior = .silent
        #expect(await Self.readStarted(server, after: accepted))
        let hangStart = ContinuousClock.now
        _ = await Self.pings(listener, for: .milliseconds(150))  // one already on its way, if any
        let during = await Self.pings(listener, for: hangStart + .milliseconds(2_700) - ContinuousClock.now)
        #expect(during == 0, "\(during) pings while the loop was wedged")

        // The read times out, its cause is logged, and with the server answering again the pings resume.
        server.behavior = .respond(Self.good)
        let error = await daemon.waitForLine("event=source-error", after: before)
        #expect(error?.contains("cause=\"read(\(dir.file("hang.sock"))): timed out after 3s\"") == true, "\(error ?? "")")
        // hangStart is taken when the test notices the accept, which a busy machine can delay by
        // a few hundred milliseconds after the read began: the bound proves the read was not cut short.
        #expect(ContinuousClock.now - hangStart >= .milliseconds(2_500))
        #expect(await Self.pings(listener, for: .seconds(1)) >= 5)

        // SIGTERM during a hung read is honoured once the read times out, not later.
        accepted = server.accepted
        server.behavior = .silent
        #expect(await Self.readStarted(server, after: accepted))
        let termAt = ContinuousClock.now
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: .seconds(10)) == 0)
        let stoppedAfter = ContinuousClock.now - termAt
        // The read ends at its 3 s timeout; the shutdown itself (state saved, `event=stop`) adds
        // milliseconds, or about a second under the sanitizers.
        #expect(stoppedAfter < .seconds(8), "stopped \(stoppedAfter) after SIGTERM")
        #expect(daemon.standardError.contains("level=info event=stop signal=SIGTERM"))
    }
}

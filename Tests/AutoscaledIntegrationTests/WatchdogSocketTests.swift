import AutoscaledTestSupport
import Glibc
import Testing

@Suite("the watchdog and SIGTERM while the loop waits on a real socket")
struct WatchdogSocketTests {
    static let good = Array("a 30\n".utf8)

    /// Waits until the server has accepted a connection beyond `count`: a read is under way.
    static func readStarted(_ server: TestStreamServer, after count: Int) async -> Bool {
        let deadline = ContinuousClock.now + patience
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
        #expect(await listener.next(timeout: patience)?.hasPrefix("READY=1") == true, "\(daemon.standardError)")

        // Healthy: a ping every 100 ms, timed by the kernel as each was sent, however late this test
        // reads them.
        let healthy = await listener.messages(6, reading: "WATCHDOG=1", timeout: patience)
        #expect(healthy.count == 6 && healthy.medianGap.map { $0 <= 0.15 } == true, "\(healthy.sortedGaps)")

        // Wedged: the server accepts and never answers; the loop waits in the read for 3 s.
        let before = daemon.stderrLines.count
        var accepted = server.accepted
        server.behavior = .silent
        #expect(await Self.readStarted(server, after: accepted))

        // The read times out, its cause is logged, and with the server answering again the pings resume:
        // every ping from the wedge until six after the error was seen.
        server.behavior = .respond(Self.good)
        var pingsAtError: Int?
        let wedged = await listener.messages(timeout: patience) { read in
            let pings = read.count { $0.text == "WATCHDOG=1" }
            if pingsAtError == nil, daemon.stderrLines.dropFirst(before).contains(where: { $0.contains("event=source-error") }) {
                pingsAtError = pings
            }
            return pingsAtError.map { pings >= $0 + 6 } == true
        }.filter { $0.text == "WATCHDOG=1" }
        let error = await daemon.waitForLine("event=source-error", after: before)
        #expect(error?.contains("source=\(dir.file("hang.sock")) cause=\"read: timed out after 3s\"") == true, "\(error ?? "")")
        // No ping while the loop was wedged, and the read not cut short: by the kernel's times, one
        // gap in the pings since the healthy ones spans most of the 3 s read.
        let since = healthy + wedged
        #expect(since.sortedGaps.last.map { $0 >= 2.5 } == true, "\(since.sortedGaps)")
        let resumed = Array(wedged.suffix(6))
        #expect(resumed.count == 6 && resumed.medianGap.map { $0 <= 0.15 } == true, "\(resumed.sortedGaps)")

        // SIGTERM during a hung read is honoured once the read times out, not later.
        accepted = server.accepted
        server.behavior = .silent
        #expect(await Self.readStarted(server, after: accepted))
        daemon.signal(SIGTERM)
        let termAt = wallClockNow()
        #expect(await daemon.wait() == 0)
        let stop = daemon.stderrLines.first { $0.contains("level=info event=stop signal=SIGTERM") }
        #expect(stop != nil)
        // Timed by the daemon's `event=stop` line: the read ends at its 3 s timeout; the shutdown
        // itself adds milliseconds, or about a second under the sanitizers.
        let stoppedAfter = secondsLogged(stop, after: termAt)
        #expect(stoppedAfter.map { $0 < 8 } == true, "stopped \(stoppedAfter.map { "\($0) s" } ?? "?") after SIGTERM")
    }
}

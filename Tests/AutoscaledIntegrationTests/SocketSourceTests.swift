import AutoscaledTestSupport
import Glibc
import Testing

@Suite("unix and tcp sources against misbehaving servers, with the real binary")
struct SocketSourceTests {
    enum Transport: String, CaseIterable, Sendable { case unix, tcp }

    static let good = Array("a 30\nb 40\n".utf8)

    /// A server on `transport` and a daemon reading it every 100 ms with a 300 ms read timeout.
    static func start(_ transport: Transport, in dir: Workspace, policy: String = "") async -> (TestStreamServer, ChildProcess) {
        let server = transport == .unix
            ? TestStreamServer.unix(at: dir.file("loads.sock"), behavior: .respond(good)) : TestStreamServer.tcp(behavior: .respond(good))
        let target = transport == .unix ? "path = loads.sock" : "address = \(server.address)"
        dir.writeConfig(sourceSection: """
            type = \(transport.rawValue)
            \(target)
            request = loads\\n
            format = lines
            read_timeout = 300ms
            max_response_bytes = 1048576
            poll_interval = 100ms
            failure_threshold = 3
            """, policy: policy)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await daemon.waitForLine("event=hold", "max_server=b") != nil, "no first evaluation: \(daemon.standardError)")
        return (server, daemon)
    }

    @Test("each misbehaviour is logged with its cause, the count held, and the source recovers", arguments: Transport.allCases)
    func misbehaviours(_ transport: Transport) async {
        let dir = Workspace()
        defer { dir.remove() }
        let (server, daemon) = await Self.start(transport, in: dir)
        defer { server.stop() }
        // The line names the address once, in source=; the cause does not repeat it.
        let reset = #"cause="read: connection reset by peer (errno 104)""#
        let cases: [(TestStreamServer.Behavior, [String])] = [
            (.silent, [#"cause="read: timed out after 300ms""#]),
            (.closeAtOnce, [#"cause="connection closed with no response""#, #"cause="read: connection reset by peer"#,
                             #"cause="send: broken pipe"#]),
            (.garbage, ["line "]),
            (.flood(bytes: 100_000_000), ["response larger than the 1048576-byte max_response_bytes (all of it counts: an HTTP response's head too)"]),
            (.resetMidResponse(Array(String(repeating: "server 1\n", count: 4_000).utf8)), [reset]),
        ]
        for (behavior, causes) in cases {
            let before = daemon.stderrLines.count
            server.behavior = behavior
            let error = await daemon.waitForLine("level=warning event=source-error", after: before)
            #expect(causes.contains { error?.contains($0) == true }, "\(behavior): \(error ?? "no source-error")")
            let down = await daemon.waitForLine("level=error event=source-down", "failures=3", after: before)
            #expect(down != nil, "\(behavior): never went down")
            server.behavior = .respond(Self.good)
            #expect(await daemon.waitForLine("level=notice event=source-up", after: before) != nil, "\(behavior): never came up")
            #expect(await daemon.waitForLine("event=hold", "max_server=b", after: before) != nil)
            let lines = daemon.stderrLines[before...]
            // A warning per failed read up to failure_threshold, then debug lines only while down.
            // Failures count poll intervals, so two reads less than an interval apart (a timer
            // late on a loaded machine, then on time) may both log the same count.
            let warnings = lines.filter { $0.contains("level=warning event=source-error") }
            let counts = warnings.compactMap { line in line.split(separator: " ").first { $0.hasPrefix("failures=") }.flatMap { Int($0.dropFirst(9)) } }
            #expect(counts.count == warnings.count && counts == counts.sorted() && Set(counts) == [1, 2, 3], "\(behavior): \(warnings)")
            #expect(lines.filter { $0.contains("event=source-down") }.count == 1, "\(behavior)")
        }
        #expect(!daemon.standardError.contains("event=scale-"))
        #expect(dir.savedReplicas() == 3)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("with fallback_replicas a down source moves the count there once; it scales from there on recovery")
    func fallback() async {
        let dir = Workspace()
        defer { dir.remove() }
        let (server, daemon) = await Self.start(.unix, in: dir, policy: "fallback_replicas = 6\nscale_up_cooldown = 0")
        defer { server.stop() }
        server.behavior = .closeAtOnce
        let moved = await daemon.waitForLine("event=scale-up from=3 to=6")
        #expect(moved?.contains("level=notice") == true)
        #expect(moved?.contains(#"reason="source down: fallback_replicas 6 ("#) == true, "\(moved ?? "")")
        #expect(await daemon.waitForLine("event=hold", "at fallback_replicas 6") != nil)
        #expect(dir.savedReplicas() == 6)
        // `status` says what the metrics say: no data, no wish, the count held by that.
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.stdout.contains("wanted replicas:   unknown (no usable data), held by no_usable_data"), "\(status.stdout)")
        #expect(daemon.stderrLines.filter { $0.contains("event=scale-") }.count == 1)
        server.behavior = .respond(Array("a 90\n".utf8))
        #expect(await daemon.waitForLine("event=source-up") != nil)
        #expect(await daemon.waitForLine("event=scale-up from=6 to=7", "max_server=a") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("`once` reads a socket source and fails with the cause when it cannot")
    func once() async {
        let dir = Workspace()
        defer { dir.remove() }
        let server = TestStreamServer.tcp(behavior: .respond(Array("a 30\nb 55\n".utf8)))
        defer { server.stop() }
        dir.writeConfig(sourceSection: "type = tcp\naddress = \(server.address)\nformat = lines")
        let ok = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("Servers to scale: 1\nDecision: scale-up from 3 to 4"), "\(ok.stdout)\(ok.stderr)")
        server.behavior = .silent
        dir.writeConfig(sourceSection: "type = tcp\naddress = \(server.address)\nformat = lines\nread_timeout = 200ms")
        let failed = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(failed.status == 1)
        #expect(failed.stderr == "\(server.address): read: timed out after 200ms\n")
    }

    @Test("SIGTERM during a read from a peer that never answers stops the daemon at once, with no source error",
          arguments: ["unix", "tcp", "http"])
    func stopDuringRead(_ type: String) async {
        let dir = Workspace()
        defer { dir.remove() }
        let server = type == "unix" ? TestStreamServer.unix(at: dir.file("loads.sock")) : TestStreamServer.tcp()
        defer { server.stop() }
        let target = switch type {
        case "unix": "path = loads.sock"
        case "tcp": "address = \(server.address)"
        default: "url = http://\(server.address)/metrics"
        }
        dir.writeConfig(sourceSection: "type = \(type)\n\(target)\nformat = lines\nread_timeout = 1h")
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        let deadline = ContinuousClock.now + patience
        while server.accepted == 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(server.accepted == 1, "the daemon never connected: \(daemon.standardError)")
        daemon.signal(SIGTERM)
        // Far below the read's hour, and long enough for a machine busy with the whole test run.
        let status = await daemon.wait()
        if status == nil { daemon.signal(SIGKILL) }
        #expect(status == 0, "\(daemon.standardError)")
        #expect(daemon.standardError.contains("level=info event=stop signal=SIGTERM replicas=3"), "\(daemon.standardError)")
        #expect(!daemon.standardError.contains("event=source-error"), "\(daemon.standardError)")
        // An HTTP source names the address its URL is at, as its other socket errors do.
        let subject = type == "http" ? "read(\(server.address))" : "read"
        let skip = daemon.stderrLines.first { $0.contains("event=skip ") }
        #expect(skip?.contains("event=skip source=") == true
                && skip?.hasSuffix(" reason=\"\(subject): cut short, as the daemon is stopping\"") == true,
                "\(daemon.standardError)")
    }

    @Test("a reload during a read from a peer that never answers cuts the read: the source is read again at once",
          arguments: ["SIGHUP", "a new config file"])
    func reloadDuringRead(_ cause: String) async {
        let dir = Workspace()
        defer { dir.remove() }
        let server = TestStreamServer.tcp()
        defer { server.stop() }
        let silent = "type = tcp\naddress = \(server.address)\nformat = lines\nread_timeout = 1h"
        dir.writeConfig(sourceSection: silent)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        let deadline = ContinuousClock.now + patience
        while server.accepted == 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(server.accepted == 1, "the daemon never connected: \(daemon.standardError)")
        if cause == "SIGHUP" {
            // The same config: only the signal cuts the read, and the same peer is read again.
            daemon.signal(SIGHUP)
            #expect(await daemon.waitForLine("event=reload ") != nil, "\(daemon.standardError)")
            let again = ContinuousClock.now + patience
            while server.accepted < 2, ContinuousClock.now < again { try? await Task.sleep(for: .milliseconds(5)) }
            #expect(server.accepted == 2, "\(daemon.standardError)")
        } else {
            dir.writeLoads(#"{"server1": 30, "server2": 55, "server3": 20}"#)
            dir.writeConfig(sourceSection: "path = loads.json\npoll_interval = 1s")
            #expect(await daemon.waitForLine("event=scale-up from=3 to=4") != nil, "\(daemon.standardError)")
        }
        // Cut while it reads, or (the peer's accept seen before the daemon's connect returns) while
        // it connects: `read:` or `connect:`.
        let cut = await daemon.waitForLine(
            "event=skip source=", " reason=\"", ": cut short, as the daemon is reloading (its source is read again once the config is)\"")
        #expect(cut?.contains("reason=\"read: ") == true || cut?.contains("reason=\"connect: ") == true, "\(daemon.standardError)")
        #expect(!daemon.standardError.contains("event=source-error"), "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }
}

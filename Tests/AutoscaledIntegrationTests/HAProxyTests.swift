import AutoscaledTestSupport
import Glibc
import Testing

@Suite("a real HAProxy read through its stats socket", ExternalPeers.needs(.haproxy))
struct HAProxyTests {
    /// A frontend on a Unix socket routing by path to three local servers: s1 and s2 hold every
    /// request (slow backends, so their sessions stay open), s3 answers at once. With
    /// `abortonclose` a client that hangs up ends its session at once.
    static func configuration(dir: Workspace, servers: [TestStreamServer]) -> String {
        """
        global
            stats socket \(dir.file("admin.sock")) mode 600 level admin
        defaults
            mode http
            option abortonclose
            timeout connect 2s
            timeout client 60s
            timeout server 60s
        frontend fe
            bind unix@\(dir.file("fe.sock"))
            default_backend inference
        backend inference
            use-server s1 if { path_beg /s1 }
            use-server s2 if { path_beg /s2 }
            use-server s3 if { path_beg /s3 }
            server s1 \(servers[0].address) maxconn 4
            server s2 \(servers[1].address) maxconn 4
            server s3 \(servers[2].address) maxconn 4
        backend unused
            server u1 127.0.0.1:9 maxconn 1

        """
    }

    /// Opens a client connection to the frontend and sends a request for `path`; the caller closes it.
    static func request(_ path: String, via socketPath: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        precondition(connected == 0, "connect \(socketPath): \(errno)")
        let bytes = Array("GET \(path) HTTP/1.1\r\nHost: test\r\n\r\n".utf8)
        precondition(send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count)
        return fd
    }

    /// Runs `once` until its output contains `expected` (HAProxy needs a moment to open the
    /// backend connections); returns the last output.
    static func once(_ dir: Workspace, until expected: String) async -> String {
        var output = ""
        let deadline = ContinuousClock.now + patience
        while ContinuousClock.now < deadline {
            let run = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
            output = run.stdout + run.stderr
            if output.contains(expected) { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return output
    }

    @Test("per-server sessions and utilization of one backend, via type = unix and format = haproxy")
    func stats() async throws {
        guard let haproxy = await ExternalPeers.find(.haproxy) else { return }
        let dir = Workspace()
        defer { dir.remove() }
        let servers = [TestStreamServer.tcp(behavior: .silent), TestStreamServer.tcp(behavior: .silent),
                       TestStreamServer.tcp(behavior: .respond(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)))]
        defer { servers.forEach { $0.stop() } }
        dir.writeAtomically(dir.file("haproxy.cfg"), Self.configuration(dir: dir, servers: servers))
        let proxy = ChildProcess(haproxy, ["-db", "-f", dir.file("haproxy.cfg")], captureIn: dir.path)
        let deadline = ContinuousClock.now + patience
        while access(dir.file("fe.sock"), F_OK) != 0 || access(dir.file("admin.sock"), F_OK) != 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(access(dir.file("admin.sock"), F_OK) == 0, "haproxy did not start: \(proxy.standardError)")

        // Three held sessions on s1, one on s2, and two answered requests on s3.
        var clients = [1, 2, 3].map { _ in Self.request("/s1", via: dir.file("fe.sock")) }
        clients.append(Self.request("/s2", via: dir.file("fe.sock")))
        defer { clients.forEach { close($0) } }
        for _ in 0..<2 {
            let client = Self.request("/s3", via: dir.file("fe.sock"))
            var buffer = [UInt8](repeating: 0, count: 256)
            var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 0)
            _ = recv(client, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            close(client)
        }

        let source = """
            type = unix
            path = admin.sock
            request = show stat\\n
            format = haproxy
            backend = inference
            """
        dir.writeConfig(sourceSection: source + "\nfield = scur", policy: "scale_up_threshold = 2\nscale_down_threshold = 0.5")
        let sessions = await Self.once(dir, until: "max s1=3")
        #expect(sessions == "Servers to scale: 1\nDecision: scale-up from 3 to 4 "
            + "(1 server above scale_up_threshold 2 (max s1=3); total load 4 needs 2 at target_load 2: +1 (a scale-up adds at least 1))\n", "\(proxy.standardError)")

        dir.writeConfig(sourceSection: source + "\nfield = utilization", policy: "scale_up_threshold = 50")
        let utilization = await Self.once(dir, until: "max s1=75")
        #expect(utilization.hasPrefix("Servers to scale: 1\nDecision: scale-up from 3 to 4 "
            + "(1 server above scale_up_threshold 50 (max s1=75); total load 100 needs 2 at target_load 50: +1 (a scale-up adds at least 1))"), "\(utilization)")

        dir.writeConfig(sourceSection: source + "\nfield = stot", policy: "scale_up_threshold = 1.5\nscale_down_threshold = 0.5")
        let totals = await Self.once(dir, until: "max s1=3")
        #expect(totals.hasPrefix("Servers to scale: 2\n"), "\(totals)")

        // The daemon reads the same socket on every poll and acts on it.
        dir.writeConfig(sourceSection: source + "\nfield = scur\npoll_interval = 200ms",
                       policy: "scale_up_threshold = 2\nscale_down_threshold = 0.5")
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        let line = await daemon.waitForLine("event=scale-up")
        #expect(line?.contains("from=3 to=4 servers_to_scale=1 threshold=2 max_load=3 max_server=s1") == true, "\(daemon.standardError)")
        close(clients.removeFirst())
        close(clients.removeFirst())
        #expect(await daemon.waitForLine("event=hold", "servers_to_scale=0 max_load=1 max_server=s1") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        proxy.signal(SIGTERM)
        #expect(await proxy.wait() != nil)
    }
}

@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

/// The `unix`, `tcp` and `http` sources against test servers that answer well or misbehave.
/// Every read goes through the sources' own `async` entry point, which blocks no pool thread.
struct SocketLoadSourceTests {
    enum Transport: String, CaseIterable, Sendable { case unix, tcp }

    static let limits = SocketLimits(connectTimeout: .milliseconds(500), readTimeout: .milliseconds(300), maxResponseBytes: 1 << 20)

    static func server(_ transport: Transport, _ behavior: TestStreamServer.Behavior, in dir: TemporaryDirectory) -> TestStreamServer {
        transport == .unix ? .unix(at: dir.file("s.sock"), behavior: behavior) : .tcp(behavior: behavior)
    }

    static func source(_ transport: Transport, _ server: TestStreamServer, format: LoadFormat = .lines) throws -> SocketLoadSource {
        let address: SocketAddress = transport == .unix
            ? .unix(path: server.address) : try LoopbackAddress.parse(server.address).socketAddress
        return SocketLoadSource(address: address, request: Array("get\n".utf8), limits: limits, format: format)
    }

    /// The servers read as `name=load` pairs, or the error's description.
    static func outcome(_ source: some LoadSource) async -> String {
        do {
            return try await source.read().snapshot.servers.map { "\($0.name)=\($0.load)" }.joined(separator: " ")
        } catch {
            return error.description
        }
    }

    @Test("a well-behaved server is read", arguments: Transport.allCases)
    func respond(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = Self.server(transport, .respond(Array("a 1\nb 2.5\n".utf8)), in: dir)
        defer { server.stop() }
        #expect(await Self.outcome(try Self.source(transport, server)) == "a=1.0 b=2.5")
    }

    static let stats = "# pxname,svname,scur,\nb,FRONTEND,9,\nb,s1,1,\nb,s2,2,\n"

    @Test("haproxy: an answer cut short on a row boundary, without the stats socket's last empty line, is refused",
          arguments: Transport.allCases)
    func haproxyCutShort(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let cut = Self.server(transport, .respond(Array(Self.stats.utf8)), in: dir)
        defer { cut.stop() }
        #expect(await Self.outcome(try Self.source(transport, cut, format: .haproxy(HAProxySelection(backend: "b"))))
            == "line 4: the answer ends without the empty line that ends every 'show stat' answer (it may be cut short)")
        let whole = Self.server(transport, .respond(Array((Self.stats + "b,s3,3,\nb,BACKEND,6,\n\n").utf8)), in: dir)
        defer { whole.stop() }
        #expect(await Self.outcome(try Self.source(transport, whole, format: .haproxy(HAProxySelection(backend: "b")))) == "s1=1.0 s2=2.0 s3=3.0")
    }

    @Test("haproxy over a socket: the last line must be empty, and the first empty line the last; a CRLF one is, other formats need none", arguments: [
        ("b,s,1,\n\n", LoadFormat.haproxy(HAProxySelection(backend: "b")), "ok"),
        ("b,s,1,\r\n\r\n", .haproxy(HAProxySelection(backend: "b")), "ok"),
        ("# pxname,svname,scur,\nb,s,1,\n", .haproxy(HAProxySelection(backend: "b")),
         "line 2: the answer ends without the empty line that ends every 'show stat' answer (it may be cut short)"),
        ("b,s,1,", .haproxy(HAProxySelection(backend: "b")), "ok"),
        ("# pxname,svname,scur,\nb,s1,5,\n\nb,s2,70,\n\n", .haproxy(HAProxySelection(backend: "b")),
         "line 4: text after the empty line that ends a 'show stat' answer (line 3): answers run together are not one table"),
        ("# pxname,svname,scur,\r\n\r\nb,s1,5,\r\n\r\n", .haproxy(HAProxySelection(backend: "b")),
         "line 3: text after the empty line that ends a 'show stat' answer (line 2): answers run together are not one table"),
        ("b,s,1,\n\n\n", .haproxy(HAProxySelection(backend: "b")),
         "line 3: text after the empty line that ends a 'show stat' answer (line 2): answers run together are not one table"),
        ("a 1\n\nb 2\n", .lines, "ok"),
    ] as [(String, LoadFormat, String)])
    func haproxyAnswerEnd(_ answer: String, _ format: LoadFormat, _ expected: String) {
        let outcome: String
        do throws(LoadError) {
            try SocketLoadSource.checkEnd(of: Array(answer.utf8), format: format)
            outcome = "ok"
        } catch {
            outcome = error.description
        }
        #expect(outcome == expected)
    }

    @Test("a server that accepts and never answers times out at read_timeout", arguments: Transport.allCases)
    func silent(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = Self.server(transport, .silent, in: dir)
        defer { server.stop() }
        let start = ContinuousClock.now
        #expect(await Self.outcome(try Self.source(transport, server)) == "read: timed out after 300ms")
        let elapsed = ContinuousClock.now - start
        // The upper bound only proves the read ends. Loose: the time includes waiting for a thread of
        // the test runner's pool, which CPU-bound tests beside it (and sanitizers) can hold for tens
        // of seconds on two cores.
        #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(120), "\(elapsed)")
    }

    @Test("a server that closes at once is a failure, never an empty snapshot", arguments: Transport.allCases)
    func closeAtOnce(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = Self.server(transport, .closeAtOnce, in: dir)
        defer { server.stop() }
        let outcome = await Self.outcome(try Self.source(transport, server))
        let causes = ["connection closed with no response", "read: connection reset by peer (errno 104)",
                      "send: broken pipe (errno 32)"]
        #expect(causes.contains(outcome), "\(outcome)")
    }

    @Test("garbage is a syntax error", arguments: Transport.allCases)
    func garbage(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = Self.server(transport, .garbage, in: dir)
        defer { server.stop() }
        let outcome = await Self.outcome(try Self.source(transport, server, format: .prometheus(PrometheusSelection(metric: "q"))))
        #expect(outcome.hasPrefix("line "), "\(outcome)")
    }

    @Test("100 MB is cut off at max_response_bytes", arguments: Transport.allCases)
    func flood(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = Self.server(transport, .flood(bytes: 100_000_000), in: dir)
        defer { server.stop() }
        #expect(await Self.outcome(try Self.source(transport, server)) == "response larger than the 1048576-byte max_response_bytes (all of it counts: an HTTP response's head too)")
    }

    @Test("a peer that never stops sending times out at read_timeout, as one that goes quiet does", arguments: Transport.allCases)
    func drip(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = Self.server(transport, .drip, in: dir)
        defer { server.stop() }
        #expect(await Self.outcome(try Self.source(transport, server)) == "read: timed out after 300ms")
    }

    @Test("a reset in the middle of a response is a failure", arguments: Transport.allCases)
    func reset(_ transport: Transport) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let response = Array(String(repeating: "server 1\n", count: 2_000).utf8)
        let server = Self.server(transport, .resetMidResponse(response), in: dir)
        defer { server.stop() }
        #expect(await Self.outcome(try Self.source(transport, server)) == "read: connection reset by peer (errno 104)")
    }

    /// A TCP socket bound to a free port of 127.0.0.1 (not listening), and its address.
    static func boundLoopbackSocket() throws -> (fd: Int32, address: sockaddr_in) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) + getsockname(fd, $0, &length) }
        }
        try #require(fd >= 0 && named == 0)
        return (fd, address)
    }

    @Test("nobody listening: refused, or no such socket file")
    func refused() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let unix = SocketLoadSource(address: .unix(path: dir.file("none.sock")), request: [], limits: Self.limits, format: .lines)
        #expect(await Self.outcome(unix) == "connect: no such file or directory (errno 2)")
        // A path that is no socket is said to be what it is, not "connection refused".
        dir.write("loads.json", "a 1\n")
        #expect(mkdir(dir.file("adir"), 0o755) == 0 && mkfifo(dir.file("fifo"), 0o644) == 0)
        symlink(dir.file("fifo"), dir.file("to-fifo"))
        for (name, found) in [("loads.json", "a regular file"), ("adir", "a directory"), ("fifo", "a FIFO"), ("to-fifo", "a FIFO")] {
            let wrong = SocketLoadSource(address: .unix(path: dir.file(name)), request: [], limits: Self.limits, format: .lines)
            #expect(await Self.outcome(wrong) == "connect: \(found), not a socket")
        }
        // A port bound but not listening refuses connections, and no other test can take it while it is held.
        let bound = try Self.boundLoopbackSocket()
        defer { close(bound.fd) }
        let port = UInt16(bigEndian: bound.address.sin_port)
        let tcp = SocketLoadSource(address: .ipv4(octets: [127, 0, 0, 1], port: port), request: [], limits: Self.limits,
                                   format: .lines)
        #expect(await Self.outcome(tcp) == "connect: connection refused (errno 111)")
    }

    @Test("a listener whose backlog is full times out at connect_timeout")
    func connectTimeout() async throws {
        var (listener, address) = try Self.boundLoopbackSocket()
        defer { close(listener) }
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        listen(listener, 0)
        let port = UInt16(bigEndian: address.sin_port)
        // Fill the accept queue (never accepted), so the kernel drops further handshakes.
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) } }
            fillers.append(filler)
        }
        try await Task.sleep(for: .milliseconds(50))
        let source = SocketLoadSource(address: .ipv4(octets: [127, 0, 0, 1], port: port), request: [], limits: Self.limits,
                                      format: .lines)
        let start = ContinuousClock.now
        #expect(await Self.outcome(source) == "connect: timed out after 500ms")
        #expect(ContinuousClock.now - start < .seconds(120))  // loose, as in `silent`
    }

    @Test("a UNIX listener whose backlog is full times out at connect_timeout, not refused at once with EAGAIN")
    func unixBacklogFull() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("full.sock")
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(listener) }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        #expect(bound == 0 && listen(listener, 0) == 0)
        // Fill the accept queue (never accepted) until the kernel refuses with EAGAIN.
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        var refused = false
        for _ in 0..<16 where !refused {
            let filler = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            fillers.append(filler)
            let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) } }
            refused = result == -1 && errno == EAGAIN
        }
        #expect(refused)
        let source = SocketLoadSource(address: .unix(path: path), request: [], limits: Self.limits, format: .lines)
        #expect(await Self.outcome(source) == "connect: timed out after 500ms")
    }

    /// What the `http` source reads (metric `q`, server label `s`) from a server that behaves so.
    static func httpOutcome(_ behavior: TestStreamServer.Behavior) async throws -> String {
        let server = TestStreamServer.tcp(behavior: behavior)
        defer { server.stop() }
        let source = HTTPLoadSource(url: try LoopbackURL.parse("http://\(server.address)/metrics"), limits: Self.limits,
                                    format: .prometheus(PrometheusSelection(metric: "q", serverLabel: "s")))
        return await Self.outcome(source)
    }

    @Test("http: a chunked 200 is read, a 503 names its status", arguments: [
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nq{s=\"a\r\n9\r\n\"} 1\nq 2\n\r\n0\r\n\r\n", "a=1.0"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nq{s=\"b\"} 7\n", "b=7.0"),
        ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", "HTTP status 503 Service Unavailable"),
    ])
    func http(_ response: String, _ expected: String) async throws {
        #expect(try await Self.httpOutcome(.respond(Array(response.utf8))) == expected)
    }

    @Test("http: a server that keeps the connection open is answered once its response is whole, not at read_timeout",
          arguments: [
              ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nq{s=\"a\r\n5\r\n\"} 1\n\r\n0\r\n\r\n", "a=1.0"),
              ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nb\r\nq{s=\"c\"} 3\n\r\n0\r\nX-Trailer: 1\r\n\r\n", "c=3.0"),
              ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nq{s=\"b\"} 7\n", "b=7.0"),
              ("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", "HTTP response has an invalid Content-Length 'x'"),
              ("HTTP/1.1 503 Service Unavailable\r\n\r\nbusy", "HTTP status 503 Service Unavailable"),
              ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\u{1F}", "HTTP body has an unsupported Content-Encoding 'gzip'"),
              ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunked HTTP body: expected a hex chunk size, found 'zz'"),
          ])
    func httpKeptOpen(_ response: String, _ expected: String) async throws {
        #expect(try await Self.httpOutcome(.respondAndKeepOpen(Array(response.utf8))) == expected)
    }
}

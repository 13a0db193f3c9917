import AutoscaledTestSupport
import Glibc
import Testing

private let examples = "\(repositoryRoot)/config/examples"

/// Runs `program` to completion; returns (status, stdout, stderr).
private func run(_ program: String, _ arguments: [String], in directory: String) async
    -> (status: Int32?, stdout: String, stderr: String)
{
    let child = ChildProcess(program, arguments, captureIn: directory)
    let status = await child.wait()
    return (status, child.standardOutput, child.standardError)
}

@Suite("the example configs and the HAProxy scaling script")
struct ExampleConfigTests {
    /// The autoscaled configs among the examples (the `-dropin.conf` files are systemd drop-ins).
    static let configs: [String] = listing(examples)
        .filter { $0.hasSuffix(".conf") && !$0.hasSuffix("-dropin.conf") }.sorted()

    @Test("every example config is valid and acts", arguments: configs)
    func valid(_ name: String) async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await ChildProcess.run(["check-config", "--config", "\(examples)/\(name)"], in: dir.path)
        #expect(result.status == 0 && result.stdout == "ok\n", "\(result.stderr)")
        let text = readText("\(examples)/\(name)")
        #expect(text.contains("\n[actuator]\ntype = "), "no [actuator] section")
        #expect(text.contains("dry_run = false"), "dry_run not shown")
    }

    @Test("there is an example for systemd instances, Kubernetes, Nomad and HAProxy, and for vLLM, TGI and Triton metrics")
    func coverage() {
        #expect(Self.configs == ["haproxy-stats.conf", "haproxy-systemd.conf", "kubernetes.conf", "nomad.conf",
                                 "systemd-instances.conf", "tgi.conf", "triton.conf", "vllm.conf"])
        #expect(readText("\(examples)/kubernetes.conf").contains("scale deployment/llama-server --replicas={replicas}"))
        #expect(readText("\(examples)/nomad.conf").contains("nomad job scale -detach llama-server inference {replicas}"))
    }

    @Test("haproxy-scale starts instances, then enables them in HAProxy; disables, then stops the rest",
          ExternalPeers.needs(.haproxy, .socat))
    func haproxyScale() async throws {
        guard let haproxy = await ExternalPeers.find(.haproxy), let socat = await ExternalPeers.find(.socat) else { return }
        let dir = Workspace()
        let systemctl = FakeSystemctl()
        defer { dir.remove(); systemctl.remove() }
        let example = await run(haproxy, ["-c", "-f", "\(examples)/haproxy.cfg"], in: dir.path)
        #expect(example.status == 0, "the example haproxy.cfg: \(example.stdout)\(example.stderr)")

        // The example's backend, with the runtime API on a socket of the test's own.
        let socket = dir.file("admin.sock")
        dir.write(dir.file("haproxy.cfg"), """
            global
                stats socket \(socket) mode 600 level admin
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            backend llama
                default-server check inter 10s disabled
                server llama1 127.0.0.1:1
                server llama2 127.0.0.1:1
                server llama3 127.0.0.1:1

            """)
        let proxy = ChildProcess(haproxy, ["-f", dir.file("haproxy.cfg"), "-db"], captureIn: dir.path)
        defer { proxy.signal(SIGTERM) }
        var waited = 0
        while access(socket, F_OK) != 0, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }

        let scriptPath = "\(systemctl.binDirectory):\(ExternalPeers.path(finding: socat))"
        func scale(_ arguments: String...) async -> (status: Int32?, stderr: String) {
            let run = ChildProcess("\(examples)/haproxy-scale", arguments,
                                   environment: ["PATH": scriptPath], captureIn: dir.path)
            return (await run.wait(), run.standardError)
        }

        #expect(await scale("2", "3", "llama", socket).status == 0)
        #expect(systemctl.activeUnits == ["llama-server@1.service", "llama-server@2.service"])
        #expect(try await Self.maintenance(socket, socat: socat) == ["llama1": false, "llama2": false, "llama3": true])
        #expect(systemctl.calls == [
            "--no-ask-password start llama-server@1.service", "--no-ask-password start llama-server@2.service",
            "--no-ask-password --no-block stop llama-server@3.service",
        ])

        #expect(await scale("1", "3", "llama", socket).status == 0)
        #expect(systemctl.activeUnits == ["llama-server@1.service"])
        #expect(try await Self.maintenance(socket, socat: socat) == ["llama1": false, "llama2": true, "llama3": true])

        let tooMany = await scale("4", "4", "llama", socket)
        #expect(tooMany.status == 1)
        #expect(tooMany.stderr.contains("haproxy-scale: 'enable server llama/llama4': No such server."))
        #expect(await scale("two", "3", "llama", socket).status == 64)
    }

    /// Server name → whether HAProxy has it in maintenance, from `show stat`.
    static func maintenance(_ socket: String, socat: String) async throws -> [String: Bool] {
        let dir = Workspace()
        defer { dir.remove() }
        let stat = await run("/bin/sh", ["-c", #"echo 'show stat' | "$2" -t 5 stdio "unix-connect:$1""#, "sh", socket, socat],
                             in: dir.path)
        let lines = stat.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try #require(lines.first)
        let status = try #require(header.firstIndex(of: "status"))
        var result: [String: Bool] = [:]
        for fields in lines.dropFirst() where fields.count > status && fields[0] == "llama" && fields[1].hasPrefix("llama") {
            result[String(fields[1])] = fields[status] == "MAINT"
        }
        return result
    }
}

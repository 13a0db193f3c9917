import Glibc
import Testing

/// The real programs some integration tests talk to, and what happens when one is missing.
///
/// A test that needs one carries ``needs(_:)``: without the program it is skipped, and the skip
/// says how to install it, so `swift test` passes on a machine with only Swift. Under
/// `AUTOSCALED_REQUIRE_PEERS=1` (`.ci/run` sets it) the test runs anyway and ``find(_:)`` fails it
/// with the same hint: CI cannot pass by skipping.
enum ExternalPeers {
    /// A program a test needs, looked up on this process's `PATH`.
    enum Peer: Sendable {
        case haproxy, socat, promtool
        /// A `python3` for the project's scripts (standard library only).
        case python3
        /// A `python3` that can import `prometheus_client`.
        case prometheusClient

        /// What is needed and how to get it.
        var hint: String {
            switch self {
            case .haproxy: "haproxy on PATH (Debian: `apt-get install haproxy`; see .ci/setup/30-sources.sh)"
            case .socat: "socat on PATH (Debian: `apt-get install socat`; see .ci/setup/40-actuators.sh)"
            case .promtool: "promtool on PATH (Debian: `apt-get install prometheus`; see .ci/setup/20-prometheus.sh)"
            case .python3: "python3 on PATH (Debian: `apt-get install python3`)"
            case .prometheusClient:
                "python3 on PATH with prometheus_client (`python3 -m pip install prometheus_client`; see .ci/setup/30-sources.sh)"
            }
        }
    }

    /// Whether a missing peer fails the test instead of skipping it (`AUTOSCALED_REQUIRE_PEERS=1`).
    static var required: Bool {
        getenv("AUTOSCALED_REQUIRE_PEERS").map { String(cString: $0) == "1" } ?? false
    }

    /// Skips the test or suite when one of `peers` is missing, unless peers are ``required``.
    static func needs(_ peers: Peer...) -> ConditionTrait {
        let text = "needs " + peers.map(\.hint).joined(separator: " and ")
        return .enabled(Comment(rawValue: text)) {
            if required { return true }
            for peer in peers where await locate(peer) == nil { return false }
            return true
        }
    }

    /// The program for `peer`; records an issue naming it and how to install it when it is missing.
    static func find(_ peer: Peer) async -> String? {
        if let path = await locate(peer) { return path }
        Issue.record("missing: \(peer.hint)")
        return nil
    }

    /// The program for `peer`, or `nil`. For ``Peer/prometheusClient`` the interpreter behind
    /// `python3` (a pyenv shim resolved to its binary), when it imports prometheus_client.
    static func locate(_ peer: Peer) async -> String? {
        switch peer {
        case .haproxy: return executable("haproxy")
        case .socat: return executable("socat")
        case .promtool: return executable("promtool")
        case .python3: return executable("python3")
        case .prometheusClient:
            guard let python = executable("python3") else { return nil }
            let dir = Workspace()
            defer { dir.remove() }
            let check = ChildProcess(python, ["-c", "import prometheus_client, sys; print(sys.executable)"],
                                     environment: inherited(), captureIn: dir.path)
            guard await check.wait() == 0,
                  let binary = check.standardOutput.split(separator: "\n").first.map(String.init), !binary.isEmpty
            else { return nil }
            return binary
        }
    }

    /// `name` on this process's `PATH`, or `nil`.
    static func executable(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// `PATH` for a child that runs `program` by name: its directory first, then the usual ones.
    static func path(finding program: String) -> String {
        let directory = program[..<(program.lastIndex(of: "/") ?? program.startIndex)]
        return "\(directory):/usr/bin:/bin"
    }

    /// The variables a shim such as pyenv's needs to find its interpreter.
    static func inherited() -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }
}

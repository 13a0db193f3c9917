import Glibc
import Testing

/// The programs the tests against real peers need, found as the CI setup installs them.
enum ExternalPeers {
    /// `name` on this process's `PATH`, or `nil`.
    static func executable(_ name: String, extraDirectories: [String] = []) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + extraDirectories {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Debian's haproxy; records an issue saying how to install it when it is missing.
    static func haproxy() -> String? {
        guard let path = executable("haproxy", extraDirectories: ["/usr/sbin", "/usr/local/sbin"]) else {
            Issue.record("haproxy is not installed: `apt-get install haproxy` (see .ci/setup/30-sources.sh)")
            return nil
        }
        return path
    }

    /// The interpreter behind `python3` (a pyenv shim resolved to its binary) when it can import
    /// prometheus_client; records an issue saying how to get one otherwise.
    static func pythonWithPrometheusClient(in directory: String) async -> String? {
        guard let python = executable("python3") else {
            Issue.record("python3 is not on PATH: install Python 3 and `pip install prometheus_client` (see .ci/setup/30-sources.sh)")
            return nil
        }
        let check = ChildProcess(python, ["-c", "import prometheus_client, sys; print(sys.executable)"],
                                 environment: inherited(), captureIn: directory)
        guard await check.wait(timeout: .seconds(30)) == 0,
              let binary = check.standardOutput.split(separator: "\n").first.map(String.init), !binary.isEmpty else {
            let hint = "`pip install prometheus_client` (see .ci/setup/30-sources.sh)"
            Issue.record("\(python) cannot import prometheus_client: \(hint): \(check.standardError)")
            return nil
        }
        return binary
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

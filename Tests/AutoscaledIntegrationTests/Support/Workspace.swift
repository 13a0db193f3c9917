import Glibc

/// A temp directory holding a config, a load file and a state file for one daemon under test.
struct Workspace {
    let path: String

    init() {
        var template = Array("/tmp/autoscaled-it-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: made!)
    }

    var configPath: String { "\(path)/autoscaled.conf" }
    var loadPath: String { "\(path)/loads.json" }
    var statePath: String { "\(path)/state/state.json" }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// The `[policy]` of a test daemon unless a test says otherwise: thresholds 50 and 20, a 30 s
    /// cooldown, and none of the trend, smoothing or burst rules, so each load gives one plain step.
    /// The test daemon's policy: a cooldown of 10 minutes, so a count a test waits on holds
    /// however long a busy machine keeps the test from its next step (tests that need another
    /// scale-up set their own).
    static let testPolicy: [(String, String)] = [
        ("scale_down_threshold", "20"), ("scale_up_cooldown", "10min"), ("replica_startup", "0"),
        ("smoothing_window", "0"), ("burst_ratio", "0"),
    ]

    /// A config for a test daemon; `policy` lines (`key = value`) go in `[policy]`, replacing the
    /// test policy's value of the same key.
    func writeConfig(policy: String = "", source: String = "", pollInterval: String = "10s", log: String = "level = debug") {
        writeConfig(sourceSection: "path = loads.json\npoll_interval = \(pollInterval)\n\(source)", policy: policy, log: log)
    }

    /// A config whose whole `[source]` section is `source` (for sources other than the load file);
    /// `policy` lines (`key = value`) go in `[policy]`, replacing the test policy's value of the same key.
    func writeConfig(sourceSection source: String, policy: String = "", log: String = "level = debug") {
        let given = policy.split(separator: "\n").map { line in
            (String(line.split(separator: "=")[0]).trimmingSpaces, line)
        }
        var lines = Self.testPolicy.filter { key, _ in !given.contains { $0.0 == key } }.map { "\($0.0) = \($0.1)" }
        lines += given.map { String($0.1) }
        writeAtomically(configPath, """
            [source]
            \(source)

            [policy]
            \(lines.joined(separator: "\n"))

            [state]
            path = state/state.json

            [log]
            \(log)

            """)
    }

    /// The line of the config's `[state] path`, as `<config>:<line>: ` starts an error about it.
    var statePathLine: String {
        let lines = read(configPath).split(separator: "\n", omittingEmptySubsequences: false)
        let section = lines.firstIndex { $0 == "[state]" } ?? lines.endIndex
        let line = lines[section...].firstIndex { $0.hasPrefix("path = ") }
        return "\(configPath):\(line.map { "\($0 + 1)" } ?? "no [state] path line"): "
    }

    /// Replaces the load file atomically (temp file + rename), as a careful writer would.
    func writeLoads(_ json: String) {
        writeAtomically(loadPath, json)
    }

    func writeAtomically(_ target: String, _ text: String) {
        let temporary = target + ".tmp"
        write(temporary, text)
        precondition(rename(temporary, target) == 0, "rename failed")
    }

    /// Writes `text` in place (O_TRUNC), as a careless writer would.
    func write(_ target: String, _ text: String) {
        write(target, bytes: Array(text.utf8))
    }

    /// Writes `bytes` in place as they are, text that is not UTF-8 included.
    func write(_ target: String, bytes: [UInt8]) {
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "open \(target) failed: \(errno)")
        precondition(bytes.isEmpty || Glibc.write(fd, bytes, bytes.count) == bytes.count)
        close(fd)
    }

    func read(_ target: String) -> String { readText(target) }

    /// The `desired_replicas` in the state file, or nil.
    func savedReplicas() -> Int? {
        let text = read(statePath)
        guard let tail = text.split(separator: #""desired_replicas":"#, maxSplits: 1).dropFirst().first else { return nil }
        return Int(tail.prefix { $0.isNumber })
    }

    /// Waits until the state file holds `replicas` (a decision is logged just before it is saved).
    func waitForSavedReplicas(_ replicas: Int, timeout: Duration = patience) async -> Int? {
        await eventually(timeout: timeout) { savedReplicas().flatMap { $0 == replicas ? $0 : nil } } ?? savedReplicas()
    }

    /// Waits until the state file holds every one of `parts`; returns its text, or nil on timeout.
    /// A log line comes just before the state it reports is saved: await the state, not the line.
    func waitForState(_ parts: String..., timeout: Duration = patience) async -> String? {
        await eventually(timeout: timeout) {
            let text = read(statePath)
            return parts.allSatisfy { text.contains($0) } ? text : nil
        }
    }

    func remove() {
        _ = system("rm -rf '\(path)'")
    }
}

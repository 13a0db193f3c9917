import AutoscaledTestSupport
import Glibc
import Testing

/// How long a test waits for an event that should come: long enough for a machine busy with a whole
/// parallel test run (dozens of daemons starting at once on two cores). It only matters when something
/// is wrong, and then only delays the failure.
let patience: Duration = .seconds(60)

/// Looks for `found` every `interval` until it gives a value or `timeout` has passed, and once more
/// at the end: a test can be left unscheduled past its deadline while CPU-bound tests beside it hold
/// the test runner's threads, and what happened meanwhile is then still seen, not timed out.
func eventually<Value>(timeout: Duration = patience, every interval: Duration = .milliseconds(2),
                       _ found: () -> Value?) async -> Value? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = found() { return value }
        try? await Task.sleep(for: interval)
    }
    return found()
}

/// The built `autoscaled` binary, next to the test bundle in the build directory.
func autoscaledBinary() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    precondition(count > 0, "cannot read /proc/self/exe")
    var directory = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    while !directory.isEmpty {
        directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
        if access(directory + "/autoscaled", X_OK) == 0 { return directory + "/autoscaled" }
    }
    preconditionFailure("the autoscaled binary was not found next to the tests; run `swift build` first")
}

/// A process the test started, with stdout and stderr captured in files.
/// Only this pid is ever signalled.
final class ChildProcess {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private(set) var exitStatus: Int32?

    /// - Parameter standardError: a descriptor to give the process as its stderr instead of a capture file.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], captureIn directory: String,
         standardError: Int32? = nil) {
        let tag = "\(UInt32.random(in: 0...UInt32.max))"
        stdoutPath = "\(directory)/stdout-\(tag).txt"
        stderrPath = "\(directory)/stderr-\(tag).txt"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let standardError {
            posix_spawn_file_actions_adddup2(&actions, standardError, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        var env = ["PATH": "/usr/bin:/bin", "TZ": "UTC"]
        env.merge(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The spawning thread (a pool or Dispatch worker) blocks most signals, and a child would
        // inherit that mask: start it with none blocked and the usual signals at their defaults.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        precondition(result == 0, "posix_spawn \(executable) failed: \(result)")
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    var standardError: String { readText(stderrPath) }
    var standardOutput: String { readText(stdoutPath) }
    var stderrLines: [String] { standardError.split(separator: "\n").map(String.init) }

    func signal(_ number: Int32) {
        precondition(exitStatus == nil, "process already exited")
        kill(pid, number)
    }

    /// Waits (without blocking a thread) for the process to exit; returns its exit status, or 128+signal, or nil on timeout.
    @discardableResult
    func wait(timeout: Duration = patience) async -> Int32? {
        if let exitStatus { return exitStatus }
        return await eventually(timeout: timeout) { () -> Int32? in
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            exitStatus = code
            return code
        }
    }

    /// Waits until a stderr line after the first `skipping` lines contains every one of `parts`.
    /// - Returns: the line, or nil on timeout.
    func waitForLine(_ parts: String..., after skipping: Int = 0, timeout: Duration = patience) async -> String? {
        await waitForLine(after: skipping, timeout: timeout) { line in parts.allSatisfy { line.contains($0) } }
    }

    /// Waits until a stderr line after the first `skipping` lines satisfies `matches`.
    /// - Returns: the line, or nil on timeout.
    func waitForLine(after skipping: Int = 0, timeout: Duration = patience,
                     where matches: (String) -> Bool) async -> String? {
        await eventually(timeout: timeout) {
            let lines = stderrLines
            return lines.count > skipping ? lines[skipping...].first(where: matches) : nil
        }
    }

    /// Runs to completion, waiting at most `timeout`, and returns (status, stdout, stderr).
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                    timeout: Duration = patience) async
        -> (status: Int32?, stdout: String, stderr: String)
    {
        let child = ChildProcess(autoscaledBinary(), arguments, environment: environment, captureIn: directory)
        let status = await child.wait(timeout: timeout)
        return (status, child.standardOutput, child.standardError)
    }
}

/// When a log line was written, by its `ts=` field (seconds since the epoch): the daemon's own
/// account of time, however late the test reads the line.
func loggedAt(_ line: String) -> Double? {
    guard line.hasPrefix("ts=") else { return nil }
    // ts=YYYY-MM-DDTHH:MM:SS.mmmZ
    let text = line.dropFirst(3).prefix { $0 != " " }
    let numbers = text.split { !$0.isNumber }.compactMap { Int($0) }
    guard text.hasSuffix("Z"), numbers.count == 7 else { return nil }
    var parts = tm()
    parts.tm_year = Int32(numbers[0] - 1900)
    parts.tm_mon = Int32(numbers[1] - 1)
    parts.tm_mday = Int32(numbers[2])
    parts.tm_hour = Int32(numbers[3])
    parts.tm_min = Int32(numbers[4])
    parts.tm_sec = Int32(numbers[5])
    return Double(timegm(&parts)) + Double(numbers[6]) / 1000
}

/// The wall clock now, in the `ts=` field's terms (seconds since the epoch). Read right after a
/// test acts (no `await` between), it times the daemon's reaction by the daemon's own lines:
/// unlike a test's clock across an `await`, it does not count the time the test waited for a
/// thread of the test runner's pool while CPU-bound tests beside it held them.
func wallClockNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Seconds from `since` (a ``wallClockNow()`` or another line's ``loggedAt(_:)``) to when `line`
/// was logged, by its `ts=` field; `nil` without a line or a time.
func secondsLogged(_ line: String?, after since: Double?) -> Double? {
    guard let since, let at = line.flatMap(loggedAt) else { return nil }
    return at - since
}

/// The text of the file at `path`; empty when it cannot be read.
func readText(_ path: String) -> String {
    readFile(path) ?? ""
}

/// Starts a daemon on `dir`'s config and waits for its first evaluation.
func startDaemon(_ dir: Workspace) async -> ChildProcess {
    let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
    // Every decision line (hold, scale-up, scale-down) carries from=.
    let first = await daemon.waitForLine(" from=")
    #expect(first != nil, "no first evaluation: \(daemon.standardError)")
    return daemon
}

import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Glibc

/// A daemon started by the benchmark, its stderr on a pipe the benchmark reads line by line.
/// Only this pid is ever signalled.
final class BenchChild {
    let pid: pid_t
    private let stderrFD: Int32
    private var pending: [UInt8] = []

    /// - Parameter stderrCapacity: the stderr pipe's size (`F_SETPIPE_SZ`), e.g. 4096 for one page;
    ///   the system's default when `nil`.
    init(_ executable: String, _ arguments: [String], stderrCapacity: Int32? = nil) {
        let stderrPipe = TestPipe(capacity: stderrCapacity)
        let fds = [stderrPipe.readEnd, stderrPipe.writeEnd]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environment: [String] = ["PATH=/usr/bin:/bin", "TZ=UTC"]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard result == 0 else { fatalError("posix_spawn \(executable) failed: \(result)") }
        close(fds[1])
        pid = child
        stderrFD = fds[0]
    }

    /// The next whole stderr line, or `nil` when none came within `timeout`.
    func nextLine(timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var poller = pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)
            let millis = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&poller, 1, millis) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = read(stderrFD, &buffer, buffer.count)
            guard count > 0 else { return nil }
            pending += buffer[0..<count]
        }
    }

    /// The first line containing `part`, skipping others.
    func waitForLine(containing part: String, timeout: Duration = .seconds(10)) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let line = nextLine(timeout: deadline - ContinuousClock.now) else { return nil }
            if line.contains(part) { return line }
        }
        return nil
    }

    private var stopped = false

    /// Sends SIGTERM, waits for the exit, and returns the CPU time (user + system, seconds) the
    /// process used over its whole life, from `wait4`'s resource usage.
    @discardableResult
    func stop() -> Double {
        guard let usage = terminate()?.usage else { return 0 }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Sends SIGTERM and waits for the exit: the seconds from the signal to `wait4` returning, and
    /// the exit status (128 + the signal when a signal ended the process); `nil` once stopped.
    func stopTimed() -> (seconds: Double, status: Int32)? {
        terminate().map { ($0.seconds, $0.status) }
    }

    private func terminate() -> (seconds: Double, status: Int32, usage: rusage)? {
        guard !stopped else { return nil }
        stopped = true
        let signalled = ContinuousClock.now
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = (ContinuousClock.now - signalled).seconds
        close(stderrFD)
        // WEXITSTATUS, or 128 + WTERMSIG as a shell says it (Glibc's module exports neither).
        return (seconds, status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F), usage)
    }

    /// Waits for the exit, unsignalled (a command that ends by itself): its status and its peak
    /// resident set in KiB, from `wait4`'s resource usage.
    func waitForExit() -> (status: Int32, peakKilobytes: Int) {
        stopped = true
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        close(stderrFD)
        return (status, Int(usage.ru_maxrss))
    }

    /// `run` of `binary` on `workspace`'s config, once it logged `event=start`; `nil` (said on
    /// standard output) when it did not within 10 s.
    static func started(_ binary: String, _ workspace: BenchWorkspace, stderrCapacity: Int32? = nil) -> BenchChild? {
        let daemon = BenchChild(binary, ["run", "--config", workspace.configPath], stderrCapacity: stderrCapacity)
        guard daemon.waitForLine(containing: "event=start") != nil else {
            daemon.stop()
            print("  the daemon did not start")
            return nil
        }
        return daemon
    }

    /// The `autoscaled` binary next to this benchmark's executable.
    static func siblingBinary() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "autoscaled" }
        let path = String(decoding: buffer[0..<count], as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) + "/autoscaled"
    }
}

/// A scratch directory with a config and a load file, removed at the end.
struct BenchWorkspace {
    let path: String

    /// - Parameter metrics: write the metrics textfile, `metrics.prom` (read by ``droppedLogLines``).
    init(pollInterval: String, logLevel: String, history: Bool = true, metrics: Bool = false) {
        var template = Array("/tmp/autoscaled-bench-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { fatalError("mkdtemp") }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        write("autoscaled.conf", """
            [source]
            path = loads.json
            poll_interval = \(pollInterval)
            [state]
            path = state.json
            [history]
            enabled = \(history)
            [log]
            level = \(logLevel)
            \(metrics ? "[metrics]\ntextfile = metrics.prom\n" : "")
            """)
        writeLoads(#"{"server1": 30, "server2": 40, "server3": 20}"#)
    }

    var configPath: String { "\(path)/autoscaled.conf" }

    /// Replaces the load file atomically: a temporary file, then `rename`.
    func writeLoads(_ text: String) {
        write("loads.json.tmp", text)
        rename("\(path)/loads.json.tmp", "\(path)/loads.json")
    }

    /// `autoscaled_log_lines_dropped_total` in the metrics textfile: 0 before its first write.
    var droppedLogLines: Int {
        let text = IdleBench.readText("\(path)/metrics.prom")
        guard let tail = text.split(separator: "autoscaled_log_lines_dropped_total ").dropFirst().last else { return 0 }
        return Int(tail.prefix { $0.isNumber }) ?? 0
    }

    func write(_ name: String, _ text: String) {
        let fd = open("\(path)/\(name)", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let bytes = Array(text.utf8)
        _ = Glibc.write(fd, bytes, bytes.count)
        close(fd)
    }

    func remove() {
        for name in ["autoscaled.conf", "loads.json", "loads.json.tmp", "state.json", "metrics.prom"] { unlink("\(path)/\(name)") }
        for name in listing("\(path)/history") where HistoryLog.isSegmentName(name) { unlink("\(path)/history/\(name)") }
        rmdir("\(path)/history")
        rmdir(path)
    }
}

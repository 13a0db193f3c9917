import AutoscaledBase
import Glibc

/// What `run` costs while nothing changes: RSS and CPU time from /proc, at a 1 s poll.
enum IdleBench {
    static func run(binary: String, seconds: Int) {
        print("\nidle cost of `run` (poll_interval 1s, \(seconds) s)")
        let workspace = BenchWorkspace(pollInterval: "1s", logLevel: "info")
        defer { workspace.remove() }
        guard let daemon = BenchChild.started(binary, workspace) else { return }
        defer { daemon.stop() }
        let started = ContinuousClock.now
        sleep(1)
        let before = cpuSeconds(daemon.pid)
        sleep(UInt32(seconds))
        let ticks = cpuSeconds(daemon.pid) - before
        let status = readText("/proc/\(daemon.pid)/status")
        let life = daemon.stop()
        let lifetime = (ContinuousClock.now - started).seconds
        print("  RSS after \(seconds + 1) s: \(field("VmRSS", in: status)) (peak \(field("VmHWM", in: status)))")
        print("  CPU over the last \(seconds) s (/proc, whole clock ticks): \(Format.time(ticks)) "
            + "= \(percent(ticks / Double(seconds))) % of one core")
        print("  CPU over the whole run of \(Format.fixed(lifetime, 1)) s, start included (wait4): \(Format.time(life)) "
            + "= \(percent(life / lifetime)) % of one core")
    }

    /// Time `pid` has run on a CPU, in seconds: from /proc/PID/schedstat (nanoseconds) when the
    /// kernel fills it in, else utime + stime from /proc/PID/stat (clock ticks, usually 10 ms).
    static func cpuSeconds(_ pid: pid_t) -> Double {
        if let nanoseconds = readText("/proc/\(pid)/schedstat").split(separator: " ").first.flatMap({ Double($0) }),
           nanoseconds > 0 {
            return nanoseconds / 1e9
        }
        let stat = readText("/proc/\(pid)/stat")
        // Fields after the command name (which is in parentheses and may hold spaces).
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func field(_ name: String, in status: String) -> String {
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
        return line.dropFirst(name.count + 1).trimmingPrefix { $0 == " " || $0 == "\t" }.description
    }

    static func percent(_ fraction: Double) -> String {
        Format.fixed(fraction * 100, 3)
    }

    static func readText(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

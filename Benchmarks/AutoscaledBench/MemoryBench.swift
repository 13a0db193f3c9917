import AutoscaledBase
import Glibc

/// What one large load file leaves behind: RSS of `run` before it, while it is read, and after a
/// small file replaced it (history off, so that only the read and the snapshot count).
enum MemoryBench {
    static func run(binary: String, servers: Int = 650_000) {
        print("\nmemory of `run` around one large load file (\(servers) servers, history off)")
        let workspace = BenchWorkspace(pollInterval: "1s", logLevel: "info", history: false)
        defer { workspace.remove() }
        guard let daemon = BenchChild.started(binary, workspace) else { return }
        defer { daemon.stop() }
        sleep(2)
        let before = IdleBench.readText("/proc/\(daemon.pid)/status")
        var large = "{"
        for index in 0..<servers { large += "\(index == 0 ? "" : ", ")\"server\(index)\": 12.5" }
        large += "}"
        workspace.writeLoads(large)
        sleep(3)
        let during = IdleBench.readText("/proc/\(daemon.pid)/status")
        workspace.writeLoads(#"{"server1": 30, "server2": 40, "server3": 20}"#)
        sleep(3)
        let after = IdleBench.readText("/proc/\(daemon.pid)/status")
        print("  load file of \(Format.fixed(Double(large.utf8.count) / 1e6, 1)) MB")
        print("  RSS before: \(IdleBench.field("VmRSS", in: before)); with the large file: "
            + "\(IdleBench.field("VmRSS", in: during)) (peak \(IdleBench.field("VmHWM", in: during))); "
            + "3 s after a 3-server file replaced it: \(IdleBench.field("VmRSS", in: after))")
    }
}

import Glibc

/// What /proc says about processes, for checks that nothing was left running or unreaped.
public enum ProcessTable {
    /// The state letter of `pid` (`R`, `S`, `Z`, …), or `nil` when there is no such process.
    public static func state(of pid: Int32) -> Character? {
        guard let stat = readSmallFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].first { $0 != " " }
    }

    /// `true` while `pid` runs (exists and is not a zombie).
    public static func isRunning(_ pid: Int32) -> Bool {
        guard let state = state(of: pid) else { return false }
        return state != "Z" && state != "X"
    }

    /// The zombies whose parent is `parent`.
    public static func zombieChildren(of parent: Int32) -> [Int32] {
        listing("/proc").compactMap { Int32($0) }.filter { pid in
            guard let stat = readSmallFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && fields[0] == "Z" && Int32(fields[1]) == parent
        }
    }

    /// Waits (without blocking a thread) until `pid` no longer runs; `false` on timeout.
    public static func waitUntilGone(_ pid: Int32, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning(pid) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}

func readSmallFile(_ path: String) -> String? {
    guard let handle = fopen(path, "r") else { return nil }
    defer { fclose(handle) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = fread(&buffer, 1, buffer.count, handle)
    return String(decoding: buffer[0..<count], as: UTF8.self)
}

func mkdirPath(_ path: String) -> Bool { mkdir(path, 0o755) == 0 }
func unlinkPath(_ path: String) -> Bool { unlink(path) == 0 }

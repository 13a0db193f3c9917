import Glibc

/// A fake command for actuator tests: a shell script in a temporary directory that records each
/// call's argument vector and environment exactly (NUL-separated, so an argument may hold any
/// character, newlines included), then behaves as its plan says.
///
/// The plan has one line per call, consumed in order; calls past its end succeed:
/// - `ok`: exit 0;
/// - `fail`: write `boom` to stderr and exit 3;
/// - `hang`: start a grandchild (`sleep`) holding stdout and stderr, record its pid, and wait forever.
public struct RecordingCommand: Sendable {
    public let directory: TemporaryDirectory
    /// The script's absolute path.
    public var path: String { directory.file("fake-command") }

    public init(plan: [String] = []) {
        directory = TemporaryDirectory()
        let dir = directory.path
        directory.write("plan", plan.map { $0 + "\n" }.joined())
        directory.write("fake-command", """
            #!/bin/sh
            dir='\(dir)'
            n=$(cat "$dir/count" 2>/dev/null || echo 0)
            n=$((n + 1))
            echo "$n" > "$dir/count"
            printf '%s\\0' "$0" "$@" > "$dir/argv.$n"
            env -0 > "$dir/env.$n"
            echo "$$" > "$dir/pid.$n"
            grep '^SigIgn:' "/proc/$$/status" | cut -f2 > "$dir/sigign.$n"
            case "$(sed -n "${n}p" "$dir/plan")" in
            fail) echo boom >&2; exit 3 ;;
            hang) sleep 1000 & echo "$!" > "$dir/grandchild.$n"; wait; exit 0 ;;
            esac
            exit 0

            """, mode: 0o755)
    }

    /// How many times the command was called.
    public var calls: Int { Int(directory.read("count")?.split(separator: "\n").first ?? "") ?? 0 }

    /// Waits (without blocking a thread) until the command was called `count` times.
    public func waitForCalls(_ count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while calls < count {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    /// The argument vector of call `number` (1-based), `argv[0]` first.
    public func arguments(ofCall number: Int) -> [String]? {
        directory.read("argv.\(number)").map(Self.nulSeparated)
    }

    /// The environment of call `number`, without the `PWD` the shell adds.
    public func environment(ofCall number: Int) -> [String: String]? {
        guard let text = directory.read("env.\(number)") else { return nil }
        var result: [String: String] = [:]
        for entry in Self.nulSeparated(text) {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            result[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        result["PWD"] = nil
        return result
    }

    /// The signals call `number` started with ignored, as a bit mask (bit 0 = signal 1).
    public func ignoredSignals(ofCall number: Int) -> UInt64? {
        directory.read("sigign.\(number)").flatMap { UInt64($0.split(separator: "\n").first ?? "", radix: 16) }
    }

    /// The pid of call `number`, and of the grandchild it started when it hung.
    public func pid(ofCall number: Int) -> Int32? { integer(in: "pid.\(number)") }
    public func grandchild(ofCall number: Int) -> Int32? { integer(in: "grandchild.\(number)") }

    public func remove() { directory.remove() }

    private func integer(in file: String) -> Int32? {
        directory.read(file).flatMap { Int32($0.split(separator: "\n").first ?? "") }
    }

    private static func nulSeparated(_ text: String) -> [String] {
        var parts = text.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

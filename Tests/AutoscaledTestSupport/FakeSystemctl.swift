/// A fake `systemctl` for actuator tests: a shell script named `systemctl` in a temporary
/// directory (put that directory first on `PATH`, or call the script by path) that records each
/// call's arguments, one call per line, and keeps each unit's state in a file of its own.
///
/// It understands `is-active UNIT…` (one state per line; `inactive` for a unit without a file;
/// exit 3 unless all are active), and `start`/`stop UNIT…` with any options before the verb.
/// A test changes the world behind the actuator's back with ``setState(_:of:)`` (drift).
public struct FakeSystemctl: Sendable {
    public let directory: TemporaryDirectory
    /// The directory holding the script, for `PATH`.
    public var binDirectory: String { directory.file("bin") }
    public var path: String { "\(binDirectory)/systemctl" }

    public init() {
        directory = TemporaryDirectory()
        let dir = directory.path
        _ = mkdirPath(directory.file("bin"))
        _ = mkdirPath(directory.file("units"))
        directory.write("calls", "")
        directory.write("bin/systemctl", """
            #!/bin/sh
            dir='\(dir)'
            echo "$*" >> "$dir/calls"
            verb=
            for arg in "$@"; do
                case "$arg" in
                -*) ;;
                *) if [ -z "$verb" ]; then verb=$arg; shift; break; fi ;;
                esac
                shift
            done
            status=0
            for unit in "$@"; do
                case "$verb" in
                is-active)
                    if [ -f "$dir/units/$unit" ]; then state=$(cat "$dir/units/$unit"); else state=inactive; fi
                    echo "$state"
                    [ "$state" = active ] || status=3 ;;
                start) echo active > "$dir/units/$unit" ;;
                stop) rm -f "$dir/units/$unit" ;;
                *) echo "fake systemctl: unknown verb '$verb'" >&2; exit 1 ;;
                esac
            done
            exit $status

            """, mode: 0o755)
    }

    /// Every call so far, as its arguments joined by spaces.
    public var calls: [String] {
        (directory.read("calls") ?? "").split(separator: "\n").map(String.init)
    }

    /// The units whose state is `active`, sorted.
    public var activeUnits: [String] {
        units().filter { directory.read("units/\($0)")?.hasPrefix("active") == true }
    }

    /// Sets `unit`'s state (`active`, `failed`, `activating`, …); `nil` removes it (inactive).
    public func setState(_ state: String?, of unit: String) {
        if let state {
            directory.write("units/\(unit)", state + "\n")
        } else {
            _ = unlinkPath(directory.file("units/\(unit)"))
        }
    }

    public func clearCalls() { directory.write("calls", "") }

    public func remove() { directory.remove() }

    private func units() -> [String] { listing(directory.file("units")) }
}

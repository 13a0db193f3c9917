/// `type = systemd`: runs instances 1…N of a template unit and stops the others.
///
/// Each actuation asks `systemctl is-active` about instances 1…`maxReplicas` in one call, then
/// starts those of 1…N that are not running and stops those above N that are, with one
/// `systemctl --no-ask-password --no-block start …` and one `… stop …` call (argument vectors,
/// no shell). At most ``maxInstances`` instances are run, and a call names at most
/// ``unitsPerCall`` units (more take several calls), so an argument list stays far below what
/// the kernel takes. A check that finds everything in place changes nothing; run again later, the same
/// steps correct drift (an instance that failed or was stopped by hand, one started by hand).
///
/// `--no-block` queues the jobs and returns: a model server that loads for a minute does not
/// hold the actuator, and one that then fails shows up as not running at the next check.
/// `--no-ask-password` makes a missing permission fail at once instead of waiting for a prompt.
public struct SystemdActuator: Actuator {
    /// States in which an instance counts as running: it is not started again, and is stopped above N.
    public static let runningStates: Set<String> = ["active", "activating", "reloading", "refreshing"]
    /// The most instances run: `max_replicas` is bounded by it when `type = systemd`.
    public static let maxInstances = 10_000
    /// The most units one `systemctl` call names: 1000 names of at most 255 bytes are 256 KiB,
    /// an eighth of the usual 2 MiB the kernel takes for arguments and environment.
    public static let unitsPerCall = 1000

    public var unit: UnitNameTemplate
    /// The `systemctl` to call: a name looked up in `PATH`, or a path.
    public var systemctl: String
    public var runner: ProgramRunner

    /// The `systemctl` the daemon calls, looked up in `PATH`.
    public static let defaultSystemctl = "systemctl"

    public init(unit: UnitNameTemplate, systemctl: String = defaultSystemctl, runner: ProgramRunner) {
        self.unit = unit
        self.systemctl = systemctl
        self.runner = runner
    }

    public func apply(_ request: ActuationRequest) async throws(ActuationError) -> ActuationReport {
        let highest = max(request.maxReplicas, request.replicas, 1)
        guard highest <= Self.maxInstances else { throw .tooManyReplicas(highest, limit: Self.maxInstances) }
        let numbers = Array(1...highest)
        let units = numbers.map(unit.name)
        var states: [String] = []
        for batch in Self.batches(units) {
            let check = try await runner.run([systemctl, "is-active"] + batch)
            let printed = String(decoding: check.standardOutput, as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .dropLast(while: { $0.isEmpty })
            guard printed.count == batch.count else {
                // Its status says little (3: a unit not active), but with no states it says it failed.
                let status = if case let .exited(code) = check.termination, code != 0 { " exited with status \(code) and" } else { "" }
                throw .unexpectedOutput(
                    program: systemctl, detail: "is-active\(status) printed \(printed.count) state\(printed.count == 1 ? "" : "s") "
                        + "for \(Self.described(batch))",
                    standardError: check.standardErrorText)
            }
            states += printed
        }
        var start: [String] = []
        var stop: [String] = []
        for (index, state) in states.enumerated() {
            let running = Self.runningStates.contains(state)
            if numbers[index] <= request.replicas, !running { start.append(units[index]) }
            if numbers[index] > request.replicas, running { stop.append(units[index]) }
        }
        for batch in Self.batches(start) {
            try await runner.runChecked([systemctl, "--no-ask-password", "--no-block", "start"] + batch,
                                        named: "\(systemctl) start \(Self.described(batch))")
        }
        for batch in Self.batches(stop) {
            try await runner.runChecked([systemctl, "--no-ask-password", "--no-block", "stop"] + batch,
                                        named: "\(systemctl) stop \(Self.described(batch))")
        }
        var fields: [LogField] = []
        if !start.isEmpty { fields.append(LogField("started", .string(start.joined(separator: " ")))) }
        if !stop.isEmpty { fields.append(LogField("stopped", .string(stop.joined(separator: " ")))) }
        return ActuationReport(changed: !start.isEmpty || !stop.isEmpty, fields: fields)
    }

    /// The units of one call, for a message: all of up to three, else the first and last and how many.
    static func described(_ units: ArraySlice<String>) -> String {
        guard units.count > 3, let first = units.first, let last = units.last else { return units.joined(separator: " ") }
        return "\(first) … \(last) (\(units.count) units)"
    }

    /// `units` cut into runs of at most ``unitsPerCall``, in order.
    static func batches(_ units: [String]) -> [ArraySlice<String>] {
        stride(from: 0, to: units.count, by: unitsPerCall).map { units[$0..<min($0 + unitsPerCall, units.count)] }
    }
}

extension Array {
    /// The array without its trailing elements that match `predicate`.
    fileprivate func dropLast(while predicate: (Element) -> Bool) -> [Element] {
        var copy = self
        while let last = copy.last, predicate(last) { copy.removeLast() }
        return copy
    }
}

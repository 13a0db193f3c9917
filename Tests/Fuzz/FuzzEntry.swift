// libFuzzer entry point for every parser, and for the policy and the simulator. Built by
// scripts/fuzz.sh together with the library's sources (and the scenario generators of
// Tests/AutoscaledTestSupport) into one binary; FUZZ_TARGET picks the target. Each target must
// return on any input: an error is fine, a trap, a hang or unbounded memory is a bug.

import AutoscaledBase
import Glibc

/// The parsers, by the name FUZZ_TARGET gives.
let fuzzTargets: [String: @Sendable (UnsafeRawBufferPointer) -> Void] = [
    "config": { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        if case let .success(config) = ConfigParser.parse(text, file: "fuzz.conf", directory: "/etc/autoscaled") {
            // Whatever validates must be internally consistent.
            precondition(config.policy.scaleDownThreshold < config.policy.scaleUpThreshold)
            precondition(config.policy.minReplicas <= config.policy.initialReplicas)
            precondition(config.policy.initialReplicas <= config.policy.maxReplicas)
            precondition(config.source.pollInterval > .zero)
            _ = config.settings
        }
    },
    "command": { bytes in
        guard let template = try? CommandTemplate(parsing: String(decoding: bytes, as: UTF8.self)) else { return }
        precondition(!template.program.isEmpty)
        // What is shown as config text (settings, reload diffs) splits back into the same words.
        precondition((try? CommandTemplate(parsing: template.description)) == template)
    },
    "json": { bytes in checkSnapshot(bytes, .json) },
    "lines": { bytes in checkSnapshot(bytes, .lines) },
    "trace": { bytes in
        guard let trace = try? TraceParser.parse(bytes) else { return }
        precondition(trace.binSeconds >= 1 && trace.binCount >= 2 && trace.spanSeconds <= TraceParser.maxSpanSeconds)
        switch trace.series {
        case let .offeredLoad(requests): precondition(requests.allSatisfy { $0.isFinite && $0 >= 0 })
        case let .serverLoads(_, loads): precondition(loads.allSatisfy { $0.map { $0.isFinite && $0 >= 0 } ?? true })
        }
        // Replay the short ones too: the replay must not trap on anything the parser accepts.
        guard trace.spanSeconds <= 20_000 else { return }
        var policy = PolicyConfig.defaults
        (policy.minReplicas, policy.maxReplicas, policy.initialReplicas) = (0, 50, 2)
        (policy.scaleUpCooldown, policy.scaleDownStabilization) = (.zero, .seconds(10))
        let summary = Simulation.replay(trace, setup: SimulationSetup(policy: policy, pollSeconds: 3, capacity: 0.5,
                                                                      startupDelaySeconds: 7))
        precondition(summary.seconds == trace.spanSeconds && (0...50).contains(summary.finalReplicas))
    },
    "prometheus": { bytes in
        checkSnapshot(bytes, .prometheus(PrometheusSelection(
            metric: "q", serverLabel: "s", labelMatch: [LabelMatcher(label: "m", value: "x")])))
    },
    "haproxy": { bytes in checkSnapshot(bytes, .haproxy(HAProxySelection(backend: "b", field: .utilization))) },
    "http": { bytes in
        let response = Array(bytes)
        if let body = try? HTTPResponse.body(of: response) { precondition(body.count <= response.count) }
        _ = HTTPResponse.isComplete(response)
    },
    "policy": { bytes in
        // The input's bytes choose a config, snapshots and clock advances, then a trace and model.
        let violations = PolicyScenario.violations(rollingFrom: bytes)
        precondition(violations.isEmpty, violations.joined(separator: "\n"))
    },
    "journal": { bytes in
        // Any datagram decodes or is rejected; whatever decodes encodes to bytes that decode the same.
        if let fields = try? JournalMessage.decode(bytes) {
            precondition((try? JournalMessage.decode(JournalMessage.encode(fields))) == fields)
        }
        // Any text as keys and values (split at U+0001; the first byte picks the event): valid
        // names, and the fields come back.
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\u{1}", omittingEmptySubsequences: false)
        var logFields: [LogField] = []
        for index in stride(from: 1, to: parts.count - 1, by: 2) {
            logFields.append(LogField(String(parts[index]), .string(String(parts[index + 1]))))
        }
        let events = LogEvent.allCases
        let record = LogRecord(.notice, events[Int(bytes.first ?? 0) % events.count], logFields)
        let fields = JournalMessage.fields(record, message: LogEncoder(format: .logfmt, style: .journal).encode(record, wallTime: 0))
        precondition(fields.allSatisfy { JournalMessage.isValidName($0.name) })
        precondition((try? JournalMessage.decode(JournalMessage.encode(fields))) == fields)
    },
    "duration": { bytes in
        if let duration = try? DurationText.parse(String(decoding: bytes, as: UTF8.self)) {
            precondition(duration >= .zero)
            // What is formatted parses back to the same duration.
            precondition((try? DurationText.parse(DurationText.format(duration))) == duration)
        }
    },
]

/// A snapshot that parses is valid as a whole.
func checkSnapshot(_ bytes: UnsafeRawBufferPointer, _ format: LoadFormat) {
    guard let snapshot = try? LoadParser.snapshot(from: bytes, format: format) else { return }
    precondition(!snapshot.servers.isEmpty)
    for server in snapshot.servers {
        precondition(server.load.isFinite && server.load >= 0 && !server.name.isEmpty)
    }
}

nonisolated(unsafe) var selectedTarget: ((UnsafeRawBufferPointer) -> Void)?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    if selectedTarget == nil {
        let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = fuzzTargets[name] else {
            let names = fuzzTargets.keys.sorted().joined(separator: ", ")
            let message = Array("FUZZ_TARGET must be one of: \(names)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            exit(2)
        }
        selectedTarget = target
    }
    selectedTarget!(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

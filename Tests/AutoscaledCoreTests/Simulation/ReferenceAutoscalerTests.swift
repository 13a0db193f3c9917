@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Testing

/// The HPA and KPA models against the reference figures of the public traces (config/traces,
/// README of the traces: both autoscalers simulated from their source under the same model).
struct ReferenceAutoscalerTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var trace: String
        var capacity: Double
        var delay: Int
        var initial: Int
        var model: ReferenceAutoscaler
        var replicaSeconds: Int
        var overPercent: Double

        var testDescription: String { "\(trace) \(model.name) at \(model.target)" }
    }

    /// Replica-seconds within 2 %, requests over capacity within 0.2 percentage points.
    static let rows: [Row] = [
        Row(trace: "azure_llm_conv_2023.csv", capacity: 1, delay: 120, initial: 7, model: .hpa(target: 0.5),
            replicaSeconds: 47765, overPercent: 0.29),
        Row(trace: "azure_llm_conv_2023.csv", capacity: 1, delay: 120, initial: 7, model: .kpa(target: 0.7),
            replicaSeconds: 30067, overPercent: 5.49),
        Row(trace: "azure_llm_code_2023.csv", capacity: 2, delay: 120, initial: 2, model: .hpa(target: 0.7),
            replicaSeconds: 34835, overPercent: 14.31),
        Row(trace: "azure_llm_code_2023.csv", capacity: 2, delay: 120, initial: 2, model: .kpa(target: 0.3),
            replicaSeconds: 67537, overPercent: 58.86),
        Row(trace: "azure_functions_2019_invitro1350.csv", capacity: 2, delay: 60, initial: 19, model: .hpa(target: 0.7),
            replicaSeconds: 905580, overPercent: 0.93),
        Row(trace: "azure_functions_2019_invitro1350.csv", capacity: 2, delay: 60, initial: 19, model: .kpa(target: 0.9),
            replicaSeconds: 566852, overPercent: 4.33),
    ]

    @Test("the models land on the reference figures", arguments: rows)
    func referenceRow(_ row: Row) throws {
        let bytes = try RegularFile.read("\(repositoryRoot)/config/traces/\(row.trace)", limit: 1 << 24).bytes
        let trace = try TraceParser.parse(bytes)
        let policy = modified(PolicyConfig.defaults) { ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 1000, row.initial) }
        let setup = SimulationSetup(policy: policy, pollSeconds: 10, capacity: row.capacity,
                                    startupDelaySeconds: row.delay, scaler: .reference(row.model))
        let summary = Simulation.replay(trace, setup: setup)
        let cost = Double(summary.replicaSeconds) / Double(row.replicaSeconds)
        #expect(abs(cost - 1) <= 0.02, "replica-seconds \(summary.replicaSeconds), reference \(row.replicaSeconds)")
        let over = try #require(summary.overCapacityPercent)
        #expect(abs(over - row.overPercent) <= 0.2, "over \(over) %, reference \(row.overPercent) %")
    }

    @Test("HPA: inside the tolerance the count holds; outside it, ⌈ratio × ready⌉")
    func hpaTolerance() {
        // 10 ready replicas at 75 % for a 70 % target: ratio 1.07, inside 0.1.
        #expect(HPAModel.calculate(current: 10, ready: 10, utilisation: 7.5, missing: 0, unready: 0, target: 0.7) == 10)
        // At 90 %: ratio 1.29 → ⌈12.9⌉.
        #expect(HPAModel.calculate(current: 10, ready: 10, utilisation: 9, missing: 0, unready: 0, target: 0.7) == 13)
        // At 35 %: ratio 0.5 → 5.
        #expect(HPAModel.calculate(current: 10, ready: 10, utilisation: 3.5, missing: 0, unready: 0, target: 0.7) == 5)
    }

    @Test("HPA: on a scale-up, starting replicas count at 0 %")
    func hpaUnready() {
        // 4 ready at 140 % (ratio 2) and 4 starting: 5.6 over 8 pods = 70 %, at the target: hold.
        #expect(HPAModel.calculate(current: 8, ready: 4, utilisation: 5.6, missing: 0, unready: 4, target: 0.7) == 8)
        // 4 ready at 240 % and 4 starting: 9.6 / 8 = 120 %, ratio 1.71 → ⌈13.7⌉.
        #expect(HPAModel.calculate(current: 8, ready: 4, utilisation: 9.6, missing: 0, unready: 4, target: 0.7) == 14)
    }

    @Test("KPA: started with more than one replica, it holds the count through a quiet first minute")
    func kpaStartsInPanic() {
        let trace = Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: [Double](repeating: 0, count: 120)))
        var recorder = DecisionRecorder()
        let setup = SimulationSetup(policy: modified(PolicyConfig.defaults) { ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 100, 6) },
                                    pollSeconds: 10, capacity: 1, scaler: .reference(.kpa(target: 0.7)))
        _ = Simulation.replay(trace, setup: setup, observer: &recorder)
        let firstChange = recorder.decisions.first { $0.decision.changesReplicas }
        #expect(firstChange?.time == 62)
        #expect(firstChange?.decision.to == 3)
        #expect(recorder.decisions.allSatisfy { $0.time % 2 == 0 })
    }
}

/// Keeps every decision of a replay with its time.
struct DecisionRecorder: SimulationObserver {
    var decisions: [(time: Int, decision: ScalingDecision)] = []

    mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double) {}
    mutating func decision(_ decision: ScalingDecision, at time: Int) { decisions.append((time, decision)) }
}

@testable import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// A decision line's numbers read the same in its fields and in its reason: one formatter writes both.
struct DecisionRecordTests {
    static let config = modified(ThresholdPolicyTests.plain) {
        ($0.scaleUpThreshold, $0.scaleDownThreshold, $0.targetLoad) = (50.125, 35.5, 45.25)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var loads: [(String, Double)]
        var replicas: Int
        var config: PolicyConfig = DecisionRecordTests.config
        /// What the line must show, in its fields and its reason alike.
        var shown: [String]
        /// Whether the reason names every number of the fields (a burst's names neither the
        /// threshold nor the busiest load).
        var reasonNamesEveryField = true
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a threshold with three decimals, a load with three", loads: [("a", 55.555), ("b", 30)], replicas: 2,
             shown: ["threshold=50.125", "scale_up_threshold 50.125", "max_load=55.555", "a=55.555", "target_load 45.25"]),
        Case(name: "a load a hair above the threshold is shown as above it", loads: [("a", 50.12500000000001)], replicas: 2,
             shown: ["max_load=50.12500000000001", "(max a=50.12500000000001)"]),
        Case(name: "a scale-down: the lower threshold and a small load", loads: [("a", 10.125), ("b", 0.1)], replicas: 4,
             shown: ["threshold=35.5", "scale_down_threshold 35.5", "max_load=10.125", "a=10.125"]),
        Case(name: "a hold between the thresholds", loads: [("a", 40.005)], replicas: 3,
             shown: ["max_load=40.005", "a=40.005", "scale_up_threshold 50.125", "scale_down_threshold 35.5"]),
        Case(name: "a burst", loads: [("a", 300.75)], replicas: 1, config: modified(config) { $0.burstRatio = 2.5 },
             shown: ["threshold=50.125", "max_load=300.75", "burst_ratio 2.5", "total load 300.75"],
             reasonNamesEveryField: false),
    ]

    @Test("every number of a decision line reads the same in its fields and its reason", arguments: cases)
    func agree(_ test: Case) {
        let decision = ThresholdPolicy(config: test.config).decide(
            .loads(snapshot(test.loads)), memory: PolicyMemory(replicas: test.replicas, observingSince: .origin),
            now: .origin + .seconds(3600))
        let record = decisionRecord(decision)
        let reason = decision.reason.text
        #expect(record.fields.last == LogField("reason", .string(reason)))
        for field in record.fields where test.reasonNamesEveryField {
            guard case .number = field.value else { continue }
            #expect(reason.contains(field.value.text), "\(field.key)=\(field.value.text) in \(reason)")
        }
        let line = LogEncoder(format: .logfmt, style: .journal).encode(record, wallTime: 0)
        for text in test.shown { #expect(line.contains(text), "\(text) in \(line)") }
    }
}

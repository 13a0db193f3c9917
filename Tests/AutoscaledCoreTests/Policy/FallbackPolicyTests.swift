@testable import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// `fallback_replicas`: what the policy does once the source is down.
struct FallbackPolicyTests {
    static let cause = "connect(/run/h.sock): connection refused (errno 111)"

    static func decide(_ input: PolicyInput, replicas: Int, fallback: Int?) -> ScalingDecision {
        ThresholdPolicy(config: modified(PolicyConfig.defaults) { $0.fallbackReplicas = fallback })
            .decide(input, memory: PolicyMemory(replicas: replicas, observingSince: .origin), now: .origin + .seconds(1))
    }

    @Test("a down source moves the count to fallback_replicas, up or down", arguments: [
        (3, 5, ScalingAction.scaleUp), (8, 2, .scaleDown),
    ])
    func moves(_ replicas: Int, _ fallback: Int, _ action: ScalingAction) {
        let decision = Self.decide(.sourceDown(Self.cause), replicas: replicas, fallback: fallback)
        #expect(decision == ScalingDecision(
            action: action, from: replicas, to: fallback, serversToScale: nil, busiest: nil, threshold: nil,
            reason: DecisionReason(.fallback(replicas: fallback, cause: Self.cause)), recommendation: fallback,
            heldBy: .noUsableData))
    }

    @Test("once at fallback_replicas it holds there while the source stays down")
    func movesOnce() {
        let decision = Self.decide(.sourceDown(Self.cause), replicas: 5, fallback: 5)
        #expect(decision.action == .hold && decision.to == 5)
        // No data, no wish: the count is held by that, at fallback_replicas as anywhere.
        #expect(decision.heldBy == .noUsableData && decision.wanted == nil)
        #expect(decision.reason.text == "source down: at fallback_replicas 5 (\(Self.cause))")
    }

    @Test("without fallback_replicas a down source holds the count")
    func holdsWithoutFallback() {
        let decision = Self.decide(.sourceDown(Self.cause), replicas: 3, fallback: nil)
        #expect(decision.action == .hold && decision.to == 3 && decision.recommendation == nil)
        #expect(decision.reason.text == "no usable load data: \(Self.cause) (source down, no fallback_replicas)")
    }

    @Test("failures below failure_threshold hold even with a fallback")
    func unavailableHolds() {
        let decision = Self.decide(.unavailable(Self.cause), replicas: 3, fallback: 5)
        #expect(decision.action == .hold && decision.to == 3)
        #expect(decision.reason.text == "no usable load data: \(Self.cause)")
    }

    @Test("a count outside [min, max] is clamped first, the fallback follows")
    func clampFirst() {
        let decision = Self.decide(.sourceDown(Self.cause), replicas: 12, fallback: 5)
        #expect(decision.action == .scaleDown && decision.to == 10)
        #expect(decision.reason.text == "12 replicas above max_replicas 10")
    }

    @Test("after recovery a scale-down from the fallback waits out the stabilization window")
    func recoveryIsStabilized() throws {
        let policy = ThresholdPolicy(config: modified(PolicyConfig.defaults) {
            $0.scaleDownStabilization = .seconds(60)
            $0.fallbackReplicas = 6
        })
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        let down = policy.decide(.sourceDown(Self.cause), memory: memory, now: .origin + .seconds(100))
        memory = memory.recording(down, at: .origin + .seconds(100), policy: policy.config)
        #expect(down.to == 6)
        let idle = try LoadSnapshot(servers: [ServerLoad(name: "a", load: 1)])
        let soon = policy.decide(.loads(idle), memory: memory, now: .origin + .seconds(130))
        #expect(soon.action == .hold && soon.to == 6)
        memory = memory.recording(soon, at: .origin + .seconds(130), policy: policy.config)
        // The fallback was recorded in the tick at 100 s: the window lets go of it in the tick at 170 s.
        let held = policy.decide(.loads(idle), memory: memory, now: .origin + .seconds(169))
        #expect(held.action == .hold && held.to == 6)
        let later = policy.decide(.loads(idle), memory: memory, now: .origin + .seconds(170))
        #expect(later.action == .scaleDown && later.to == 3)
    }

    @Test("without fallback_replicas too, a scale-down after the source was down waits out the stabilization window, and says why; a failed read short of down does not",
          arguments: [PolicyConfig.StabilizationRule.highest, .mean])
    func recoveryWithoutFallbackIsStabilized(_ rule: PolicyConfig.StabilizationRule) throws {
        let policy = ThresholdPolicy(config: modified(PolicyConfig.defaults) {
            ($0.scaleDownStabilization, $0.scaleDownStabilizationRule) = (.seconds(60), rule)
        })
        let idle = try LoadSnapshot(servers: [ServerLoad(name: "a", load: 1)])
        func recovering(after input: PolicyInput) -> (PolicyMemory, ScalingDecision) {
            var memory = PolicyMemory(replicas: 8, observingSince: .origin)
            let failed = policy.decide(input, memory: memory, now: .origin + .seconds(100))
            #expect(failed.action == .hold && failed.to == 8 && failed.recommendation == nil)
            memory.record(failed, at: .origin + .seconds(100), policy: policy.config)
            let first = policy.decide(.loads(idle), memory: memory, now: .origin + .seconds(130))
            memory.record(first, at: .origin + .seconds(130), policy: policy.config)
            return (memory, first)
        }
        let (memory, first) = recovering(after: .sourceDown(Self.cause))
        #expect(first.action == .hold && first.to == 8 && first.heldBy == .scaleDownStabilization(holdsAt: 8))
        #expect(first.reason.text.hasSuffix(" but scale_down_stabilization 1min holds at 8 (the source was down within it)"),
                "\(first.reason.text)")
        // The source was down in the tick at 100 s: the window lets go of it in the tick at 170 s.
        let held = policy.decide(.loads(idle), memory: memory, now: .origin + .seconds(169))
        #expect(held.action == .hold && held.to == 8)
        let later = policy.decide(.loads(idle), memory: memory, now: .origin + .seconds(170))
        #expect(later.action == .scaleDown && later.to < 8, "\(later.reason.text)")
        #expect(!later.reason.text.contains("the source was down"))
        // One failed read is no outage: the first good read after it may scale down.
        let (_, afterFailure) = recovering(after: .unavailable(Self.cause))
        #expect(afterFailure.action == .scaleDown, "\(afterFailure.reason.text)")
    }
}

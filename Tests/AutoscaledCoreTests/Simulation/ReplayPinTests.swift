@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Testing

/// Pins whole replays, every decision and its reason included, so that work on the simulator's
/// speed cannot change what it computes. The figures were taken before that work and checked
/// against it (the decision logs at debug level compared byte for byte); they were taken again
/// when the rules moved from samples to time (ticks, rates per minute), and when a reason began to
/// name the busiest server's load exact, as the line's `max_load` does (the same hashes as before
/// with that load rounded to two decimals), and when a need within a billionth of a whole number
/// became that number (``Evaluation/wholeReplicas(_:)``: the functions trace 1 280 250 → 1 280 480
/// replica-seconds, the conversation trace's replica-seconds unchanged, some of its needs one lower),
/// and when a band-rule scale-up past a need already met began to say so (`+1 (a scale-up adds at
/// least 1)`: the same decisions and replica-seconds), and when a held scale-up that wanted one more
/// than the need began to say so too (`; a scale-up adds at least 1 (to 5) but in scale_up_cooldown …`:
/// the same decisions and replica-seconds).
struct ReplayPinTests {
    /// Every decision as `time action from to reason`, hashed (FNV-1a, 64 bits).
    struct Fingerprint: SimulationObserver {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var decisions = 0

        mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double) {}

        mutating func decision(_ decision: ScalingDecision, at time: Int) {
            decisions += 1
            for byte in "\(time) \(decision.action.rawValue) \(decision.from) \(decision.to) \(decision.reason)\n".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
    }

    struct Pin: Sendable, CustomTestStringConvertible {
        var trace: String
        var capacity: Double
        var delay: Int
        var initial: Int
        var replicaSeconds: Int
        var decisions: Int
        var hash: UInt64

        var testDescription: String { trace }
    }

    @Test("the shipped policy replays the public traces exactly as before", arguments: [
        Pin(trace: "azure_llm_conv_2023.csv", capacity: 1, delay: 120, initial: 7,
            replicaSeconds: 52800, decisions: 350, hash: 4_829_358_115_574_060_927),
        Pin(trace: "azure_functions_2019_invitro1350.csv", capacity: 2, delay: 60, initial: 19,
            replicaSeconds: 1_280_480, decisions: 8639, hash: 8_398_200_257_326_311_243),
    ])
    func pinned(_ pin: Pin) throws {
        let bytes = try RegularFile.read("\(repositoryRoot)/config/traces/\(pin.trace)", limit: 1 << 24).bytes
        let trace = try TraceParser.parse(bytes)
        let policy = modified(PolicyConfig.defaults) { ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 1000, pin.initial) }
        var fingerprint = Fingerprint()
        let summary = Simulation.replay(trace, setup: SimulationSetup(policy: policy, pollSeconds: 10, capacity: pin.capacity,
                                                                      startupDelaySeconds: pin.delay), observer: &fingerprint)
        #expect(summary.replicaSeconds == pin.replicaSeconds)
        #expect(fingerprint.decisions == pin.decisions)
        #expect(fingerprint.hash == pin.hash)
    }
}

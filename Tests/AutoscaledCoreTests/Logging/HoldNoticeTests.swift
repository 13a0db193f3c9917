import AutoscaledBase
@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct HoldNoticeTests {
    static func decision(_ heldBy: HoldingRule?, wanted: Int? = 6, reason: DecisionReason = DecisionReason(.noUsableData(cause: "r"))) -> ScalingDecision {
        ScalingDecision(action: .hold, from: 4, to: 4, serversToScale: 2, busiest: nil, threshold: nil, reason: reason,
                        recommendation: 6, heldBy: heldBy, wanted: heldBy == nil ? nil : wanted)
    }

    @Test("logged once when a rule starts holding, again only when another rule takes over")
    func onceThenOnChange() {
        var notice = HoldNotice()
        let first = notice.note(Self.decision(.scaleUpCooldown(left: .milliseconds(41_068))), wallTime: 100)
        #expect(first == LogRecord(.info, .limited, [
            LogField("want", 6), LogField("held_by", "scale_up_cooldown"), LogField("left", "41s 68ms"),
            LogField("replicas", 4), LogField("reason", "no usable load data: r"),
        ]))
        // The same rule, evaluation after evaluation, with less time left: nothing more.
        for left in [30, 20, 10] as [Int64] {
            #expect(notice.note(Self.decision(.scaleUpCooldown(left: .seconds(left))), wallTime: 110) == nil)
        }
        #expect(notice.limit(Self.decision(.scaleUpCooldown(left: .seconds(10))), wallTime: 130) == StateFile.Limit(
            heldBy: "scale_up_cooldown", wanted: 6, reason: "no usable load data: r", sinceUnix: 100, untilUnix: 140))
        let next = notice.note(Self.decision(.maxReplicas(10), wanted: 11), wallTime: 140)
        #expect(next?.fields.first == LogField("want", 11))
        #expect(next?.fields.dropFirst().first == LogField("held_by", "max_replicas"))
        #expect(notice.since == 140)
    }

    @Test("left= is written as the reason writes the time left: 100ms, not rounded up to 1s")
    func leftAsTheReasonWritesIt() throws {
        let policy = ThresholdPolicy(config: modified(.defaults) { $0.scaleUpCooldown = .milliseconds(200) })
        let hot = try LoadSnapshot(servers: [ServerLoad(name: "a", load: 80)])
        let memory = PolicyMemory(replicas: 4, observingSince: .origin, lastScaleUp: .origin)
        // 100 ms into the 200 ms cooldown (tick 10 ms), the policy holds with 100ms left.
        let tick = modified(policy) { $0.config.tick = .milliseconds(10) }
        let decision = tick.decide(.loads(hot), memory: memory, now: .origin + .milliseconds(100))
        #expect(decision.heldBy == .scaleUpCooldown(left: .milliseconds(100)))
        var notice = HoldNotice()
        let noted = notice.note(decision, wallTime: 0)
        let record = try #require(noted)
        #expect(record.fields.first { $0.key == "left" } == LogField("left", "100ms"))
        #expect(decision.reason.text.contains("(100ms of 200ms left)"))
    }

    @Test("a hold that ends and starts again is logged again; no data logs no wish")
    func endsAndStartsAgain() {
        var notice = HoldNotice()
        #expect(notice.note(Self.decision(.noUsableData, wanted: nil), wallTime: 1)?.fields.map(\.key)
            == ["held_by", "replicas", "reason"])
        #expect(notice.note(Self.decision(nil), wallTime: 2) == nil)
        #expect(notice.holding == nil && notice.limit(Self.decision(nil), wallTime: 2) == nil)
        #expect(notice.note(Self.decision(.noUsableData, wanted: nil), wallTime: 3)?.fields.map(\.key)
            == ["held_by", "replicas", "reason"])
    }
}

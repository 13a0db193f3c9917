import AutoscaledCore
import Testing

/// The one rendering of a reason into words, case by case: what `reason=`, `once`, `status` and
/// the simulator print.
struct DecisionReasonTextTests {
    typealias Reason = DecisionReason
    static let busiest = ServerLoad(name: "a", load: 80)
    static let sizing = Reason.Sizing(total: 105, need: 3, targetLoad: 50)
    static let window = Reason.Stabilization(window: .seconds(300), need: 4)

    static let cases: [(Reason, String)] = [
        (Reason(.aboveMaxReplicas(replicas: 12, max: 10)), "12 replicas above max_replicas 10"),
        (Reason(.belowMinReplicas(replicas: 1, min: 2)), "1 replica below min_replicas 2"),
        (Reason(.noUsableData(cause: "line 1: bad")), "no usable load data: line 1: bad"),
        (Reason(.sourceDownWithoutFallback(cause: "refused")), "no usable load data: refused (source down, no fallback_replicas)"),
        (Reason(.fallback(replicas: 5, cause: "refused")), "source down: fallback_replicas 5 (refused)"),
        (Reason(.atFallback(replicas: 5, cause: "refused")), "source down: at fallback_replicas 5 (refused)"),
        (Reason(.burst(total: 450, ratio: 2, replicas: 3, targetLoad: 50), sizing: Reason.Sizing(total: 450, need: 9, targetLoad: 50),
                outcome: .scaledUp(by: 6, limitedBy: nil, cappedAt: nil)),
         "burst: total load 450 is at least burst_ratio 2 times what 3 replicas serve at target_load 50; "
             + "total load 450 needs 9 at target_load 50: +6"),
        (Reason(.burst(total: 120, ratio: 2, replicas: 1, targetLoad: 50), sizing: Reason.Sizing(total: 120, need: 3, targetLoad: 50),
                outcome: .scaledUp(by: 2, limitedBy: nil, cappedAt: nil)),
         "burst: total load 120 is at least burst_ratio 2 times what 1 replica serves at target_load 50; "
             + "total load 120 needs 3 at target_load 50: +2"),
        (Reason(.serversAbove(count: 1, threshold: 50, busiest: ServerLoad(name: "a=b", load: 60))),
         "1 server above scale_up_threshold 50 (max 'a=b'=60)"),
        (Reason(.serversAbove(count: 1, threshold: 50, busiest: ServerLoad(name: "gpu 1 (it's \"x\")", load: 60))),
         #"1 server above scale_up_threshold 50 (max 'gpu 1 (it\'s "x")'=60)"#),
        (Reason(.serversAbove(count: 1, threshold: 50, busiest: ServerLoad(name: "server2", load: 55)), sizing: sizing,
                outcome: .scaledUp(by: 1, limitedBy: nil, cappedAt: nil, beyondNeed: true)),
         "1 server above scale_up_threshold 50 (max server2=55); total load 105 needs 3 at target_load 50: +1 (a scale-up adds at least 1)"),
        (Reason(.serversAbove(count: 2, threshold: 50, busiest: busiest), sizing: sizing,
                outcome: .scaledUp(by: 2, limitedBy: Reason.UpRate(max: 4, added: 2), cappedAt: 10)),
         "2 servers above scale_up_threshold 50 (max a=80); total load 105 needs 3 at target_load 50: "
             + "+2 (limited by max_scale_up_per_minute 4, +2 in the last minute) (capped at max_replicas 10)"),
        (Reason(.expectedLoadAbove(load: 56.666, within: .seconds(60), threshold: 50),
                sizing: Reason.Sizing(total: 120, projection: Reason.Projection(load: 170, ahead: .seconds(60), capped: false),
                                      need: 4, targetLoad: 50)),
         "load per server expected in replica_startup 1min 56.67 above scale_up_threshold 50; total load 120, "
             + "170 expected in 1min needs 4 at target_load 50"),
        (Reason(.betweenThresholds(scaleUp: 50, scaleDown: 35, busiest: busiest),
                sizing: Reason.Sizing(total: 200, smoothed: 120, projection: Reason.Projection(load: 360, ahead: .seconds(120), capped: true),
                                      need: 8, targetLoad: 45)),
         "no server above scale_up_threshold 50 and not all below scale_down_threshold 35 (max a=80); total load 200, "
             + "smoothed 120, 360 expected in 2min (the trend adds at most 2 times the smoothed load) needs 8 at target_load 45"),
        (Reason(.serversAbove(count: 1, threshold: 50, busiest: busiest), sizing: sizing, outcome: .atMaxReplicas(10)),
         "1 server above scale_up_threshold 50 (max a=80); total load 105 needs 3 at target_load 50 but already at max_replicas 10"),
        (Reason(.serversAbove(count: 1, threshold: 50, busiest: busiest), sizing: sizing,
                outcome: .inCooldown(left: .milliseconds(1), cooldown: .seconds(60))),
         "1 server above scale_up_threshold 50 (max a=80); total load 105 needs 3 at target_load 50 "
             + "but in scale_up_cooldown (1ms of 1min left)"),
        (Reason(.serversAbove(count: 1, threshold: 50, busiest: busiest), sizing: sizing,
                outcome: .scaledUpThisTick(pollInterval: .seconds(10))),
         "1 server above scale_up_threshold 50 (max a=80); total load 105 needs 3 at target_load 50 "
             + "but scaled up already in this tick (poll_interval 10s)"),
        (Reason(.serversAbove(count: 1, threshold: 50, busiest: busiest), sizing: sizing,
                outcome: .upRateReached(Reason.UpRate(max: 2, added: 2))),
         "1 server above scale_up_threshold 50 (max a=80); total load 105 needs 3 at target_load 50 "
             + "but max_scale_up_per_minute 2 reached (+2 in the last minute)"),
        (Reason(.allBelow(servers: 1, threshold: 35, busiest: ServerLoad(name: "a", load: 1)),
                sizing: Reason.Sizing(total: 1, need: 1, targetLoad: 50), outcome: .atMinReplicas(1)),
         "the only server below scale_down_threshold 35 (max a=1); total load 1 needs 1 at target_load 50 but already at min_replicas 1"),
        (Reason(.allBelow(servers: 2, threshold: 35, busiest: ServerLoad(name: "b", load: 10)),
                sizing: Reason.Sizing(total: 15, need: 1, targetLoad: 50), outcome: .stabilizationHolds(window)),
         "all 2 servers below scale_down_threshold 35 (max b=10); total load 15 needs 1 at target_load 50 "
             + "but scale_down_stabilization 5min holds at 4"),
        (Reason(.allBelow(servers: 2, threshold: 35, busiest: ServerLoad(name: "b", load: 10)),
                sizing: Reason.Sizing(total: 15, need: 1, targetLoad: 50),
                outcome: .downRateReached(stabilized: window, Reason.DownRate(.perMinute(3), removed: 3))),
         "all 2 servers below scale_down_threshold 35 (max b=10); total load 15 needs 1 at target_load 50; "
             + "highest need within scale_down_stabilization 5min is 4 but max_scale_down_per_minute 3 reached (-3 in the last minute)"),
        (Reason(.allBelow(servers: 2, threshold: 35, busiest: ServerLoad(name: "b", load: 10)),
                sizing: Reason.Sizing(total: 15, need: 1, targetLoad: 50),
                outcome: .scaledDown(by: 10, stabilized: window,
                                     limitedBy: Reason.DownRate(.percentPerMinute(percent: 25, allowed: 10, of: 40), removed: 0))),
         "all 2 servers below scale_down_threshold 35 (max b=10); total load 15 needs 1 at target_load 50; "
             + "highest need within scale_down_stabilization 5min is 4: -10 (limited by max_scale_down_percent_per_minute 25 (10 of 40))"),
        (Reason(.allBelow(servers: 2, threshold: 35, busiest: ServerLoad(name: "b", load: 10)),
                sizing: Reason.Sizing(total: 15, need: 1, targetLoad: 50),
                outcome: .scaledDown(by: 1, stabilized: window, limitedBy: Reason.DownRate(.perMinute(1), removed: 2))),
         "all 2 servers below scale_down_threshold 35 (max b=10); total load 15 needs 1 at target_load 50; "
             + "highest need within scale_down_stabilization 5min is 4: -1 (limited by max_scale_down_per_minute 1, -2 in the last minute)"),
        (Reason(.hpaWithoutMetric), "hpa: no ready replica has a metric"),
        (Reason(.hpa(utilisation: 84.444, ready: 3, target: 70, desired: 4, stabilized: 4)),
         "hpa: utilisation 84.44% of 3 ready, target 70%: desired 4, stabilized 4"),
        (Reason(.kpa(stableRate: 12.5, panicRate: 30, perReplica: 7, stable: 2, panic: 5, panicking: true)),
         "kpa: 12.5 req/s over 60s, 30 over 6s, target 7 per replica: stable 2, panic 5, panicking"),
        (Reason(.serversAbove(count: 2, threshold: 50, busiest: busiest), sizing: sizing,
                outcome: .scaledUp(by: 2, limitedBy: nil, cappedAt: nil), pause: .holding(at: 3, policyTarget: 5, note: "incident")),
         "paused (incident): holding 3; the policy would scale-up to 5: 2 servers above scale_up_threshold 50 (max a=80); "
             + "total load 105 needs 3 at target_load 50: +2"),
        (Reason(.betweenThresholds(scaleUp: 50, scaleDown: 35, busiest: busiest), sizing: sizing,
                pause: .holding(at: 3, policyTarget: nil, note: nil)),
         "paused: holding 3; no server above scale_up_threshold 50 and not all below scale_down_threshold 35 (max a=80); "
             + "total load 105 needs 3 at target_load 50"),
        (Reason(.fallback(replicas: 2, cause: "x"), pause: .holding(at: 3, policyTarget: 2, note: nil)),
         "paused: holding 3; the policy would scale-down to 2: source down: fallback_replicas 2 (x)"),
        (Reason(.noUsableData(cause: "x"), pause: .moving(to: 2, asked: 2, note: "drain")), "paused (drain): moving to the pause's 2 replicas"),
        (Reason(.noUsableData(cause: "x"), pause: .moving(to: 5, asked: 10, note: nil)), "paused: moving to max_replicas 5 (the pause would hold 10)"),
        (Reason(.noUsableData(cause: "x"), pause: .moving(to: 2, asked: 1, note: "x")), "paused (x): moving to min_replicas 2 (the pause would hold 1)"),
    ]

    @Test("each trigger, sizing, limit and pause in words", arguments: cases)
    func rendered(_ reason: Reason, _ text: String) {
        #expect(reason.text == text)
        #expect("\(reason)" == text)
    }
}

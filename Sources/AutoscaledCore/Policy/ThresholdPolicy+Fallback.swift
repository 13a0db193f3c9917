extension ThresholdPolicy {
    /// KEDA's fallback: a source that stays down moves the count to `fallback_replicas`, which is
    /// then also the recommendation, so a recovered source scales down only after the window. With
    /// no usable data there is no wish: the count is held by that (``HoldingRule/noUsableData``),
    /// at `fallback_replicas` too.
    func sourceDown(current: Int, cause: String) -> ScalingDecision {
        guard let fallback = config.fallbackReplicas else {
            return ScalingDecision(action: .hold, from: current, to: current, serversToScale: nil, busiest: nil, threshold: nil,
                                   reason: DecisionReason(.sourceDownWithoutFallback(cause: cause)),
                                   recommendation: nil, heldBy: .noUsableData)
        }
        guard fallback != current else {
            return ScalingDecision(action: .hold, from: current, to: current, serversToScale: nil, busiest: nil, threshold: nil,
                                   reason: DecisionReason(.atFallback(replicas: fallback, cause: cause)), recommendation: fallback,
                                   heldBy: .noUsableData)
        }
        return ScalingDecision(action: fallback > current ? .scaleUp : .scaleDown, from: current, to: fallback,
                               serversToScale: nil, busiest: nil, threshold: nil,
                               reason: DecisionReason(.fallback(replicas: fallback, cause: cause)), recommendation: fallback,
                               heldBy: .noUsableData)
    }
}

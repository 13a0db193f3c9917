extension ThresholdPolicy {
    /// KEDA's fallback: a source that stays down moves the count to `fallback_replicas`, which is
    /// then also the recommendation, so a recovered source scales down only after the window.
    func sourceDown(current: Int, cause: String) -> ScalingDecision {
        guard let fallback = config.fallbackReplicas else {
            return ScalingDecision(action: .hold, from: current, to: current, serversToScale: nil, busiest: nil, threshold: nil,
                                   reason: "no usable load data: \(cause) (source down, no fallback_replicas)",
                                   recommendation: nil, heldBy: .noUsableData)
        }
        guard fallback != current else {
            return ScalingDecision(action: .hold, from: current, to: current, serversToScale: nil, busiest: nil, threshold: nil,
                                   reason: "source down: at fallback_replicas \(fallback) (\(cause))", recommendation: fallback)
        }
        return ScalingDecision(action: fallback > current ? .scaleUp : .scaleDown, from: current, to: fallback,
                               serversToScale: nil, busiest: nil, threshold: nil,
                               reason: "source down: fallback_replicas \(fallback) (\(cause))", recommendation: fallback)
    }
}

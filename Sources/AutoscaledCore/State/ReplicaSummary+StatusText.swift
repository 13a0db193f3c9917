import AutoscaledBase

extension ReplicaSummary {
    /// `replicas=4 servers_to_scale=1 last=scale-up 12s ago`, for `systemctl status`.
    func statusText(now: MonotonicInstant) -> String {
        var text = "replicas=\(desired) servers_to_scale=\(serversToScale.map(String.init) ?? "unknown")"
        if let change = lastChange {
            let age = (now - change.at).components.seconds
            text += " last=\(change.action.rawValue) \(age == 0 ? "0s" : DurationText.format(.seconds(age))) ago"
        } else {
            text += " last=none"
        }
        if health == .down { text += " source=down" }
        if paused { text += " paused" }
        if let heldBy {
            text += wanted.map { " want=\($0)" } ?? ""
            text += " held_by=\(heldBy.name)"
        }
        return text
    }
}

import AutoscaledBase

extension ReplicaSummary {
    /// `replicas=4 servers_to_scale=1 last=scale-up 12s ago`, for `systemctl status`; a last change
    /// stamped ahead of the clock (restored from a state file written before the clock was set
    /// back) is `last=scale-up 59min 58s ahead`.
    func statusText(now: MonotonicInstant) -> String {
        var text = "replicas=\(desired) servers_to_scale=\(serversToScale.map(String.init) ?? "unknown")"
        if let change = lastChange {
            let age = (now - change.at).components.seconds
            let when = age <= -1 ? DurationText.format(.seconds(-age)) + " ahead"
                : (age == 0 ? "0s" : DurationText.format(.seconds(age))) + " ago"
            text += " last=\(change.action.rawValue) \(when)"
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

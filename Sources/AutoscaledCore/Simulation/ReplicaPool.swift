/// The replicas of an offered-load replay, oldest first, each asked for at some second and
/// serving from its `readyAt`.
///
/// A scale-down removes the newest replicas first, so starting replicas go before serving ones
/// and a replica keeps its position — and its name, `replica-N` — for its whole life (like a
/// StatefulSet's ordinals).
struct ReplicaPool {
    /// Replicas asked for together: they start serving at the same second.
    struct Cohort {
        var readyAt: Int
        var count: Int
    }

    /// Oldest first; `readyAt` ascending.
    private(set) var cohorts: [Cohort] = []
    /// All replicas, serving or starting: what is paid for.
    private(set) var count = 0
    /// Replicas serving at the second last passed to ``advance(to:)``.
    private(set) var serving = 0
    /// Index of the first cohort not yet serving.
    private var firstStarting = 0

    /// `initial` replicas, serving from the first second.
    init(initial: Int) {
        if initial > 0 {
            cohorts = [Cohort(readyAt: 0, count: initial)]
            count = initial
        }
    }

    /// Counts the replicas that are serving at `second`.
    mutating func advance(to second: Int) {
        while firstStarting < cohorts.count, cohorts[firstStarting].readyAt <= second {
            serving += cohorts[firstStarting].count
            firstStarting += 1
        }
    }

    /// Makes the count `target`: new replicas serve from `readyAt`; removals take the newest first.
    /// Cohorts already serving merge first (from now on they look alike).
    mutating func resize(to target: Int, readyAt: Int) {
        mergeServing()
        if target > count {
            if let last = cohorts.last, last.readyAt == readyAt {
                cohorts[cohorts.count - 1].count += target - count
            } else {
                cohorts.append(Cohort(readyAt: readyAt, count: target - count))
            }
        } else {
            var surplus = count - max(target, 0)
            while surplus > 0, let last = cohorts.last {
                let taken = min(surplus, last.count)
                surplus -= taken
                if cohorts.count <= firstStarting { serving -= taken }
                if taken == last.count {
                    cohorts.removeLast()
                    firstStarting = min(firstStarting, cohorts.count)
                } else {
                    cohorts[cohorts.count - 1].count -= taken
                }
            }
        }
        count = max(target, 0)
    }

    /// Keeps one cohort for the replicas counted as serving: the oldest `readyAt` stands for all.
    private mutating func mergeServing() {
        guard firstStarting > 1 else { return }
        let total = cohorts[0..<firstStarting].reduce(0) { $0 + $1.count }
        cohorts.replaceSubrange(0..<firstStarting, with: [Cohort(readyAt: cohorts[0].readyAt, count: total)])
        firstStarting = 1
    }
}

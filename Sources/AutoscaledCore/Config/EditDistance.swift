/// Finds the name a user most likely meant, for "did you mean" hints.
enum EditDistance {
    /// The distance between `a` and `b`, counted in Unicode scalars: the fewest insertions,
    /// deletions, substitutions and swaps of two neighbours (`reqeusts` for `requests`, the most
    /// common slip of a typist) that turn one into the other, no part edited twice.
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// The candidate closest to `name`, if one is close enough to be a likely typo.
    ///
    /// Case is ignored. A candidate is close when at most a third of `name` (1 to 3 edits)
    /// differs, or when `name` is a prefix of it at least 3 characters long (`warn` → `warning`).
    /// Ties go to the earlier candidate.
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        let lowered = name.lowercased()
        let length = lowered.unicodeScalars.count
        let allowed = max(1, min(3, length / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = candidate.lowercased()
            // The distance is at least the difference in length: a name far longer than every
            // candidate (a line of a megabyte) costs one comparison of lengths each, not a table.
            guard abs(other.unicodeScalars.count - length) <= allowed || (length >= 3 && other.hasPrefix(lowered)) else {
                continue
            }
            var distance = between(lowered, other)
            if distance > allowed, lowered.unicodeScalars.count >= 3, other.hasPrefix(lowered) {
                distance = allowed
            }
            if distance <= allowed, distance < best?.distance ?? .max {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}

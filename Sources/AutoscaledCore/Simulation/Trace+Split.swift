extension Trace {
    /// The bins of `range`, as a trace of their own (starting at their own `t_seconds`).
    func bins(_ range: Range<Int>) -> Trace {
        let start = self.start + range.lowerBound * binSeconds
        switch series {
        case let .offeredLoad(requests):
            return Trace(start: start, binSeconds: binSeconds, series: .offeredLoad(requests: Array(requests[range])))
        case let .serverLoads(names, loads):
            let width = names.count
            return Trace(start: start, binSeconds: binSeconds,
                         series: .serverLoads(names: names, loads: Array(loads[range.lowerBound * width..<range.upperBound * width])))
        }
    }

    /// Where `tune` holds out the end of a trace: the last day of a trace of five days or more,
    /// else the last 20 % (whole bins; at least one bin on each side when there are two).
    var holdOutStart: Int {
        let day = 86_400
        let held = spanSeconds >= 5 * day ? day / binSeconds : binCount / 5
        return min(max(binCount - max(held, 1), 1), binCount)
    }
}

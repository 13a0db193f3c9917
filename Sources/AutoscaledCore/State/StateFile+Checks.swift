/// What makes a state file that parsed unusable: each field is checked as it is loaded, so nothing
/// read from the file (an age worked out from a time, a count) can be out of the range the rest of
/// the code takes.
extension StateFile {
    /// Why the file cannot be used, naming the field (`updated_at_unix -1e+300 is not a time from 0
    /// to 1000000000000 (1970 to the year 33658)`); `nil` when it can.
    var fault: String? {
        let times: [(String, Double?)] = [
            ("updated_at_unix", updatedAtUnix), ("last_decision.at_unix", lastDecision?.atUnix),
            ("source.last_good_read_unix", source?.lastGoodReadUnix), ("limit.since_unix", limit?.sinceUnix),
            ("limit.until_unix", limit?.untilUnix),
        ]
        return times.lazy.compactMap { JSONFileFault.timeFault($0, $1) }.first
    }
}

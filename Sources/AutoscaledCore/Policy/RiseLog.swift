/// The learned headroom's rises in time order, appended at the end and dropped from the front in
/// amortized constant time: the front is an offset into the storage, which is compacted only
/// once the dropped part is at least as long as the rest (a window of rises moves by one every
/// tick; shifting the whole window each time cost more than every other step of a replay).
///
/// Two logs are equal when they hold the same rises, wherever their front is.
struct RiseLog: Sendable, Equatable {
    private var storage: [LoadSample] = []
    private var front = 0

    init(_ rises: [LoadSample] = []) {
        storage = rises
    }

    /// The rises, oldest first (indices are the storage's: start at `startIndex`).
    var all: ArraySlice<LoadSample> { storage[front...] }

    mutating func append(_ rise: LoadSample) {
        storage.append(rise)
    }

    /// Drops the `count` oldest rises.
    mutating func dropOldest(_ count: Int) {
        front += min(count, storage.count - front)
        if front >= 32, front * 2 >= storage.count {
            storage.removeFirst(front)
            front = 0
        }
    }

    static func == (a: RiseLog, b: RiseLog) -> Bool {
        a.all.elementsEqual(b.all)
    }
}

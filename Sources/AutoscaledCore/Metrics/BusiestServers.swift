/// Picks the `count` busiest servers of a snapshot without sorting all of them.
enum BusiestServers {
    /// The indices of the `count` most loaded servers, in snapshot order; on a tie the server
    /// listed first is kept. O(n log count).
    static func indices(of servers: [ServerLoad], keeping count: Int) -> [Int] {
        guard count > 0 else { return [] }
        guard servers.count > count else { return Array(servers.indices) }
        // A min-heap of the best `count` so far; its root is the one to drop next.
        var heap: [Int] = []
        heap.reserveCapacity(count)
        /// `true` when server `a` ranks below server `b` (less loaded, or as loaded but listed later).
        func below(_ a: Int, _ b: Int) -> Bool {
            servers[a].load < servers[b].load || (servers[a].load == servers[b].load && a > b)
        }
        for index in servers.indices {
            if heap.count < count {
                heap.append(index)
                var child = heap.count - 1
                while child > 0, below(heap[child], heap[(child - 1) / 2]) {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if below(heap[0], index) {
                heap[0] = index
                var parent = 0
                while true {
                    var smallest = parent
                    let left = 2 * parent + 1
                    if left < heap.count, below(heap[left], heap[smallest]) { smallest = left }
                    if left + 1 < heap.count, below(heap[left + 1], heap[smallest]) { smallest = left + 1 }
                    if smallest == parent { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
        }
        return heap.sorted()
    }
}

import Glibc

/// Checks at start that the limit on processes (`ulimit -u`, systemd's `LimitNPROC=`; a cgroup's
/// `pids.max`, which `TasksMax=` sets, alike) leaves room for the threads the runtime starts:
/// where one cannot be created, the runtime waits for ever, so every command would hang without a
/// word (SIGTERM included).
///
/// The check starts ``needed`` threads at once, each waiting on a lock this thread holds, then lets
/// them end: a shortage is found before the runtime meets it. A squeeze that comes later (other
/// processes of the same user taking the room) is not.
public enum ThreadBudget {
    /// The threads to find room for: the runtime's pool, Dispatch's workers, a read and an
    /// actuator's wait, with some to spare.
    public static let needed = 16

    /// Fewer than ``needed`` threads could be started.
    public struct Shortage: Error, Sendable, Equatable, CustomStringConvertible {
        public var needed: Int
        public var started: Int
        /// The soft `RLIMIT_NPROC`, when there is one.
        public var limit: UInt64?

        public var description: String {
            let limitText = limit.map { "the limit on processes (ulimit -u, or LimitNPROC=) is \($0)" }
                ?? "the limit on processes (a cgroup's pids.max: TasksMax=)"
            return "too few threads: \(limitText), and leaves room for \(started) of the \(needed) threads autoscaled "
                + "needs (raise it, or stop other processes of this user)"
        }
    }

    /// Starts `needed` threads of a small stack and ends them. Call it before any other thread starts.
    /// - Throws: ``Shortage`` when one cannot be created.
    public static func check(_ needed: Int = needed) throws(Shortage) {
        // Held while the threads start, so that they are all alive at once.
        let gate = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(gate, nil)
        defer {
            pthread_mutex_destroy(gate)
            gate.deallocate()
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 64 * 1024)
        pthread_mutex_lock(gate)
        var threads: [pthread_t] = []
        for _ in 0..<needed {
            var thread = pthread_t()
            let result = pthread_create(&thread, &attributes, { argument in
                let gate = argument!.assumingMemoryBound(to: pthread_mutex_t.self)
                pthread_mutex_lock(gate)
                pthread_mutex_unlock(gate)
                return nil
            }, gate)
            guard result == 0 else { break }
            threads.append(thread)
        }
        pthread_mutex_unlock(gate)
        for thread in threads { pthread_join(thread, nil) }
        guard threads.count < needed else { return }
        var limit = rlimit()
        let soft = getrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max
            ? UInt64(limit.rlim_cur) : nil
        throw Shortage(needed: needed, started: threads.count, limit: soft)
    }
}

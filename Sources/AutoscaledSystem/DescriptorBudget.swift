import Glibc

/// Checks at start that enough file descriptors are free for a command's whole life, so that a
/// process started under a tiny `ulimit -n` stops with a clear message instead of failing every
/// read and write later, or dying inside libdispatch when it cannot create its event descriptors.
public enum DescriptorBudget {
    /// What the daemon can hold open at once, with room to spare: libdispatch's epoll, eventfd,
    /// timerfd and signalfds, the inotify descriptor, the lock file, the history's open segment, and per evaluation the load file
    /// or socket, a directory and temporary file per write, and an actuator's pipes.
    public static let daemonNeeds = 32

    /// Too few descriptors are free.
    public struct Shortage: Error, Sendable, Equatable, CustomStringConvertible {
        public var free: Int
        public var needed: Int
        /// The soft `RLIMIT_NOFILE`, when known.
        public var limit: UInt64?
        /// The failure that ended the count, when it was not `EMFILE` (too many open files).
        public var cause: SystemError?

        public var description: String {
            if let cause { return "cannot check for free file descriptors: \(cause)" }
            let limitText = limit.map { "the open-file limit (ulimit -n) is \($0)" } ?? "the open-file limit is unknown"
            return "too few free file descriptors: \(free) free, autoscaled needs \(needed) (\(limitText); "
                + "raise it with ulimit -n or LimitNOFILE=)"
        }
    }

    /// Opens `/dev/null` until `needed` descriptors are held, then closes them all.
    /// - Throws: ``Shortage`` when the process runs out (`EMFILE`) first, or an open fails otherwise.
    public static func reserve(_ needed: Int) throws(Shortage) {
        var held: [FileDescriptor] = []
        defer { held.forEach { $0.close() } }
        while held.count < needed {
            do {
                held.append(try FileDescriptor.open("/dev/null", O_RDONLY))
            } catch {
                throw Shortage(free: held.count, needed: needed, limit: softLimit(), cause: error.errno == EMFILE ? nil : error)
            }
        }
    }

    /// The soft `RLIMIT_NOFILE`, or `nil` when `getrlimit` fails or reports no limit.
    static func softLimit() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return nil
        }
        return UInt64(limit.rlim_cur)
    }
}

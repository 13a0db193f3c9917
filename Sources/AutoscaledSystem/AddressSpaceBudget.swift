import Glibc

/// Checks at start that the address-space limit (`ulimit -v`, systemd's `LimitAS=`) leaves room
/// for the threads the runtime starts: under a tight limit a thread's stack cannot be mapped, and
/// the runtime retries for ever, so every command would hang without a word (SIGTERM included).
///
/// Under a limit it also keeps `malloc` to one arena: each thread's own arena reserves 128 MiB of
/// address space, and where that cannot be mapped the process spun for ever as well (`simulate`
/// under a limit of 120 MB).
public enum AddressSpaceBudget {
    /// The room to leave: eight threads' stacks of 8 MiB, the runtime's pool and Dispatch's workers.
    public static let needed = 64 << 20

    /// The limit leaves less than ``needed`` free.
    public struct Shortage: Error, Sendable, Equatable, CustomStringConvertible {
        public var needed: Int
        /// The soft `RLIMIT_AS`, in bytes.
        public var limit: UInt64

        public var description: String {
            "too little address space: the limit (ulimit -v, or LimitAS=) is \(limit / 1024) KiB, and leaves less than the "
                + "\(needed >> 20) MiB autoscaled needs for its threads (raise it, or remove it)"
        }
    }

    /// Under a limit: one `malloc` arena from now on, and a map of `needed` bytes of address space
    /// (no memory: `PROT_NONE`, `MAP_NORESERVE`), unmapped at once. Call it before any thread starts.
    /// - Throws: ``Shortage`` when the mapping fails.
    public static func check(_ needed: Int = needed) throws(Shortage) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return }
        MallocOptions.set(.arenaMax, to: 1)
        let region = mmap(nil, needed, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard region == MAP_FAILED else {
            munmap(region, needed)
            return
        }
        throw Shortage(needed: needed, limit: UInt64(limit.rlim_cur))
    }
}

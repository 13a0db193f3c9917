import Glibc

/// glibc `malloc`'s options (`mallopt`, which Swift's Glibc module does not bring: looked up by name).
public enum MallocOptions {
    /// The options this project sets, with their numbers in `malloc.h`.
    public enum Option: Int32, Sendable {
        case arenaMax = -8
        case mmapThreshold = -3
    }

    /// The block size from which `malloc` maps a block of its own, unmapped when it is freed:
    /// glibc's initial threshold, 128 KiB.
    public static let largeBlock: Int32 = 128 * 1024

    /// Sets `option`; `false` when the C library has no `mallopt` or refused the value.
    @discardableResult
    public static func set(_ option: Option, to value: Int32) -> Bool {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        return unsafeBitCast(symbol, to: Mallopt.self)(option.rawValue, value) == 1
    }

    /// Keeps the mmap threshold at ``largeBlock`` for the life of the process, so that memory a
    /// large read took goes back to the system when it is freed. glibc raises the threshold to the
    /// size of each mapped block freed (up to 32 MiB), and from then on keeps blocks of that size
    /// in its heap, which gives little back: one 15 MB load file left a daemon 60 MB larger for
    /// good. Not done when the environment sets the threshold (`MALLOC_MMAP_THRESHOLD_`, or
    /// `GLIBC_TUNABLES` naming `glibc.malloc.mmap_threshold`): the operator's choice stands.
    /// - Returns: whether the threshold is now fixed (by this call or by the environment).
    @discardableResult
    public static func returnLargeBlocksWhenFreed(environment: [String: String]) -> Bool {
        let tunables = environment["GLIBC_TUNABLES"] ?? ""
        if environment["MALLOC_MMAP_THRESHOLD_"] != nil || tunables.contains("glibc.malloc.mmap_threshold") { return true }
        return set(.mmapThreshold, to: largeBlock)
    }
}

import Glibc

extension Subprocess {
    /// Starts `arguments` in a new process group with default signal dispositions, an empty
    /// signal mask, stdin on `/dev/null`, the given descriptors as stdout and stderr, and no other
    /// descriptor open.
    static func spawn(
        _ arguments: [String], environment: [String: String], standardOutput: Int32, standardError: Int32
    ) throws(SystemError) -> pid_t {
        let program = arguments[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // dup2 clears close-on-exec on the copy only: the originals still close at exec.
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError, 2)
        // A descriptor the daemon inherited without close-on-exec (from a shell, or a supervisor
        // other than systemd) is not the daemon's to hand on: the child gets 0, 1 and 2 only.
        closeFrom(3, in: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        // posix_spawn returns the error number instead of setting errno; it does not fail with EINTR.
        // ETXTBSY: the program was just written and another process, forked meanwhile, still holds the
        // writing descriptor until its exec closes it. That clears within moments; try a few times.
        guard let executable = program.contains("/") ? program : locate(program, searchPath: environment["PATH"]) else {
            throw SystemError(call: "posix_spawn", subject: program, errno: ENOENT)
        }
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        var pause: UInt32 = 1_000
        while result == ETXTBSY, pause <= 64_000 {
            usleep(pause)
            pause *= 2
            result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        guard result == 0 else { throw SystemError(call: "posix_spawn", subject: program, errno: result) }
        return pid
    }
}

extension Subprocess {
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later), looked up once: Swift's
    /// Glibc module does not declare it. `nil` on an older glibc.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Has the child close every descriptor from `lowest` up, whatever its close-on-exec flag, as
    /// its last file action: in the child only, so no descriptor of the daemon's own changes. On a
    /// glibc without it, each descriptor open now above `lowest` without close-on-exec is closed
    /// in the child by name instead (`/proc/self/fd`).
    static func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom, addCloseFrom(&actions, lowest) == 0 { return }
        guard let directory = try? Directory.open("/proc/self/fd") else { return }
        defer { directory.close() }
        for name in (try? directory.names()) ?? [] {
            guard let descriptor = Int32(name), descriptor >= lowest, descriptor != directory.descriptor.rawValue else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { posix_spawn_file_actions_addclose(&actions, descriptor) }
        }
    }

    /// Where a bare program name is looked for when `PATH` is unset, as `execvp` does.
    public static let defaultSearchPath = "/bin:/usr/bin"

    /// Why `program` could not be run, as ``spawn`` would find it now, or `nil` when it could: a
    /// path that leads to nothing, to no regular file or to one not executable; a bare name in no
    /// absolute directory of `searchPath` (``locate(_:searchPath:)``).
    public static func runProblem(_ program: String, searchPath: String?) -> String? {
        guard program.contains("/") else {
            if locate(program, searchPath: searchPath) != nil { return nil }
            return "is not an executable file in any absolute directory of PATH (\(searchPath ?? "unset: \(defaultSearchPath)"))"
        }
        var info = stat()
        guard stat(program, &info) == 0 else {
            let code = errno
            if code == ENOENT { return "does not exist" }
            return "cannot be looked at: \(SystemError(call: "stat", subject: program, errno: code).description(omitting: program))"
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return "is not a regular file" }
        guard access(program, X_OK) == 0 else { return "is not executable" }
        return nil
    }

    /// The file a bare program name runs, as `execvp` finds it along `searchPath` (`PATH`; unset:
    /// `/bin:/usr/bin`), but in absolute directories only: an empty or relative entry would make what
    /// runs depend on the daemon's working directory, which a config's relative program name is
    /// refused for. `nil` when no absolute directory holds an executable file of that name.
    static func locate(_ program: String, searchPath: String?) -> String? {
        for directory in (searchPath ?? defaultSearchPath).split(separator: ":") where directory.hasPrefix("/") {
            let candidate = directory.hasSuffix("/") ? "\(directory)\(program)" : "\(directory)/\(program)"
            var info = stat()
            guard stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 else { continue }
            return candidate
        }
        return nil
    }
}

/// A connected pair of `SOCK_CLOEXEC` stream sockets: the parent reads one end, the child writes
/// the other as its stdout or stderr. Created close-on-exec atomically, so a child started by
/// another thread at the same moment cannot inherit either end.
struct SocketPair {
    private(set) var parent: Int32
    private(set) var child: Int32

    init(subject: String) throws(SystemError) {
        var fds: [Int32] = [-1, -1]
        _ = try syscall("socketpair", subject) {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        }
        parent = fds[0]
        child = fds[1]
        // The parent only reads and the child only writes.
        _ = shutdown(parent, Int32(SHUT_WR))
        _ = shutdown(child, Int32(SHUT_RD))
    }

    /// Hands the parent's end over to a new owner, who closes it; this pair no longer will.
    mutating func takeParentEnd() -> Int32 {
        defer { parent = -1 }
        return parent
    }

    /// Closes the child's end in the parent once the child holds its own copy.
    mutating func closeChildEnd() {
        if child >= 0 { _ = close(child) }
        child = -1
    }

    mutating func closeAll() {
        closeChildEnd()
        if parent >= 0 { _ = close(parent) }
        parent = -1
    }
}

/// Wakes a blocked ``SubprocessWaiter`` when its task is cancelled.
///
/// A cancellation may come before the wait begins, during it, or after it ended; the lock makes
/// each case safe: a byte is written only while the descriptor is open, and a cancellation that came
/// first is replayed into the descriptor when it opens.
final class SubprocessCancellation: Sendable {
    private struct State {
        var cancelled = false
        var readEnd: Int32 = -1
        var writeEnd: Int32 = -1
    }

    private let state = Locked(State())

    /// Opens the wake-up pair; the returned descriptor becomes readable once cancelled.
    func open(subject: String) throws(SystemError) -> Int32 {
        var fds: [Int32] = [-1, -1]
        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        _ = try syscall("socketpair", subject) { socketpair(AF_UNIX, flags, 0, &fds) }
        return state.withLock { state in
            state.readEnd = fds[0]
            state.writeEnd = fds[1]
            if state.cancelled { Self.poke(fds[1]) }
            return fds[0]
        }
    }

    func cancel() {
        state.withLock { state in
            state.cancelled = true
            if state.writeEnd >= 0 { Self.poke(state.writeEnd) }
        }
    }

    func close() {
        state.withLock { state in
            if state.readEnd >= 0 { _ = Glibc.close(state.readEnd) }
            if state.writeEnd >= 0 { _ = Glibc.close(state.writeEnd) }
            state.readEnd = -1
            state.writeEnd = -1
        }
    }

    private static func poke(_ fd: Int32) {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }
}

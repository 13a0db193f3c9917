import AutoscaledBase
import Dispatch

/// How a child process ended.
public enum SubprocessTermination: Sendable, Equatable {
    /// It exited by itself with this status.
    case exited(Int32)
    /// A signal it did not catch ended it (not one sent by ``Subprocess``).
    case signalled(Int32)
    /// It was still running at the deadline; its whole process group was sent `SIGTERM`, then
    /// `SIGKILL` (see ``Subprocess/terminationGrace``).
    case timedOut
    /// The waiting task was cancelled; its whole process group was sent `SIGTERM`, then `SIGKILL`
    /// (see ``Subprocess/terminationGrace``).
    case cancelled
}

/// What a finished child process left behind. The child is always reaped by then.
public struct SubprocessResult: Sendable, Equatable {
    /// The child's process id (and process group id); gone by the time this is returned.
    public var pid: Int32
    public var termination: SubprocessTermination
    /// The first ``Subprocess/outputLimit`` bytes of its standard output; the rest was read and dropped.
    public var standardOutput: [UInt8]
    /// The last ``Subprocess/errorTailLimit`` bytes of its standard error.
    public var standardErrorTail: [UInt8]

    public init(pid: Int32, termination: SubprocessTermination, standardOutput: [UInt8], standardErrorTail: [UInt8]) {
        self.pid = pid
        self.termination = termination
        self.standardOutput = standardOutput
        self.standardErrorTail = standardErrorTail
    }

    /// The stderr tail as one line of text: invalid UTF-8 replaced, surrounding whitespace trimmed.
    public var standardErrorText: String {
        let text = String(decoding: standardErrorTail, as: UTF8.self)
        return String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// Runs a program with an argument vector, never through a shell, and waits for it with a deadline.
///
/// The child is started with `posix_spawn(3)`:
/// - in a process group of its own, so a timeout or cancellation kills it and everything it
///   started (`kill(-pgid, SIGTERM)`, then `SIGKILL` once the child has exited or after
///   ``terminationGrace``): a grandchild cannot keep holding its output streams; and
///   what it leaves running in that group when it exits is killed with it (a process meant to
///   outlive it must leave the group, as `setsid` does);
/// - with every signal disposition at its default and an empty signal mask (the daemon ignores
///   SIGHUP, SIGTERM and SIGINT for libdispatch; a child must not inherit that);
/// - with stdin on `/dev/null` and stdout and stderr on `SOCK_CLOEXEC` socket pairs (as journald
///   gives services), and every other descriptor closed, close-on-exec or not: no descriptor of
///   ours, nor one the daemon inherited, leaks into it or into another child;
/// - with exactly the `environment` given.
///
/// Output is read while the child runs, so it never blocks on a full buffer: stdout is kept up to
/// ``outputLimit`` bytes and stderr's last ``errorTailLimit`` bytes. After the child exits, output
/// from a grandchild still holding the streams is awaited for ``drainGrace`` at most, then the
/// group is killed. The child is
/// always reaped, whatever happens: no zombie is left behind.
///
/// The waiting happens on a Dispatch thread of its own, never on a thread of Swift's executor.
public enum Subprocess {
    /// Standard output kept; more is read and dropped.
    public static let outputLimit = 64 * 1024
    /// Standard error kept, counted from the end.
    public static let errorTailLimit = 2 * 1024
    /// How long output is still read after the child exited while a grandchild holds the streams.
    public static let drainGrace: Duration = .milliseconds(250)
    /// How long a child sent `SIGTERM` at the deadline or on cancellation has to exit before its
    /// process group gets `SIGKILL`. The group gets `SIGKILL` as soon as the child has exited.
    public static let terminationGrace: Duration = .seconds(2)

    /// Runs `arguments` (`arguments[0]` is the program; without a `/` it is looked up in the
    /// daemon's `PATH`) and waits until it exits or `timeout` passes.
    ///
    /// Cancelling the calling task kills the child's process group and returns `.cancelled`.
    /// - Throws: a ``SystemError`` when the child could not be started (`posix_spawn` names the program).
    public static func run(
        _ arguments: [String], environment: [String: String], timeout: Duration
    ) async throws(SystemError) -> SubprocessResult {
        precondition(!arguments.isEmpty, "a subprocess needs a program")
        let cancellation = SubprocessCancellation()
        // The wait blocks a thread for as long as the child runs. A serial queue of its own targets
        // libdispatch's overcommitting root queue, which starts a thread for it. The global queues
        // (and concurrent queues, which target them) have about one thread per core, shared with
        // Swift's global executor: a few waits there would stall every task, the daemon's loop too.
        let waitQueue = DispatchQueue(label: "autoscaled.subprocess")
        let result: Result<SubprocessResult, SystemError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waitQueue.async {
                    continuation.resume(returning: Result { () throws(SystemError) in
                        try runBlocking(arguments, environment: environment, timeout: timeout, cancellation: cancellation)
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Spawns and waits on the current thread, which it blocks.
    static func runBlocking(
        _ arguments: [String], environment: [String: String], timeout: Duration,
        cancellation: SubprocessCancellation
    ) throws(SystemError) -> SubprocessResult {
        let clock = SystemMonotonicClock()
        let deadline = clock.now() + timeout
        let wake = try cancellation.open(subject: arguments[0])
        defer { cancellation.close() }
        var output = try SocketPair(subject: arguments[0])
        defer { output.closeAll() }
        var error = try SocketPair(subject: arguments[0])
        defer { error.closeAll() }
        let pid = try spawn(arguments, environment: environment, standardOutput: output.child, standardError: error.child)
        output.closeChildEnd()
        error.closeChildEnd()
        var waiter = SubprocessWaiter(
            pid: pid, output: output.takeParentEnd(), error: error.takeParentEnd(), wake: wake, clock: clock,
            deadline: deadline)
        return waiter.wait()
    }
}

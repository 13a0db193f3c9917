import AutoscaledBase
import Glibc

/// Waits for one spawned child: reads its output, reaps it, and kills its process group when it
/// has exited (what it left running there ends with it), at the deadline, or on cancellation. At
/// the deadline or on cancellation the group is first sent `SIGTERM`, and gets `SIGKILL` when the
/// child has exited or ``Subprocess/terminationGrace`` has passed, whichever comes first.
/// Blocks the calling thread. It owns the two output descriptors and closes them; the wake
/// descriptor stays its owner's.
///
/// ```
///  running ──exit──▶ draining (≤ drainGrace, until both streams end) ──▶ kill(-pgid, SIGKILL), reap ──▶ done
///     │
///     ├──deadline──▶ kill(-pgid, SIGTERM) ── exit, or terminationGrace ──▶ kill(-pgid, SIGKILL), reap ──▶ timedOut
///     └──cancel────▶ kill(-pgid, SIGTERM) ── exit, or terminationGrace ──▶ kill(-pgid, SIGKILL), reap ──▶ cancelled
/// ```
/// The child is reaped only after its group is killed: until then it is a zombie, and its pid,
/// which is the group's id, cannot be taken by another process.
struct SubprocessWaiter {
    let pid: pid_t
    let wake: Int32
    let clock: SystemMonotonicClock
    let deadline: MonotonicInstant
    /// Open output streams (stdout first, then stderr); -1 once a stream ended.
    private var streams: [Int32]
    private var output: [UInt8] = []
    private var errorTail: [UInt8] = []
    /// Whether the child has exited (seen without reaping it: it is a zombie until ``finish()``).
    private var exited = false
    /// The child is no longer ours to wait for (someone else reaped it): its pid may be another's.
    private var reapedElsewhere = false
    /// Longest sleep between checks on a child that closed its streams but still runs.
    private static let idleSliceLimit: Duration = .milliseconds(50)

    init(pid: pid_t, output: Int32, error: Int32, wake: Int32, clock: SystemMonotonicClock, deadline: MonotonicInstant) {
        self.pid = pid
        self.wake = wake
        self.clock = clock
        self.deadline = deadline
        self.streams = [output, error]
    }

    mutating func wait() -> SubprocessResult {
        let termination = waitForEnd()
        for fd in streams where fd >= 0 { _ = close(fd) }
        streams = [-1, -1]
        return SubprocessResult(pid: pid, termination: termination, standardOutput: output, standardErrorTail: errorTail)
    }

    private mutating func waitForEnd() -> SubprocessTermination {
        var drainUntil: MonotonicInstant?
        var idleSlice: Duration = .milliseconds(1)
        while true {
            if !exited, hasExited() {
                exited = true
                drainUntil = clock.now() + Subprocess.drainGrace
            }
            let now = clock.now()
            if let drainUntil {
                if streams.allSatisfy({ $0 < 0 }) || now >= drainUntil { return finish() }
            } else if now >= deadline {
                return killGroup(as: .timedOut)
            }
            let limit = drainUntil ?? deadline
            var slice = limit - now
            if streams.allSatisfy({ $0 < 0 }) {
                // The streams ended before the exit was visible, or the child closed them and runs on:
                // check again soon, backing off so a long-running child costs little.
                slice = min(slice, idleSlice)
                idleSlice = min(idleSlice * 2, Self.idleSliceLimit)
            } else if !exited {
                // A grandchild may hold the streams after the child exited: look at the child now and then.
                slice = min(slice, Self.idleSliceLimit)
            }
            if pollOnce(timeout: slice) {
                // Cancelled: a child that exited keeps its own status.
                return exited ? finish() : killGroup(as: .cancelled)
            }
        }
    }

    /// The child exited: kills what it left in its process group, reaps it, and reads what output
    /// is already waiting.
    private mutating func finish() -> SubprocessTermination {
        if !reapedElsewhere { _ = kill(-pid, SIGKILL) }
        let status = reap()
        drainWaiting()
        return Self.termination(of: status)
    }

    /// Whether the child has exited, seen without reaping it (`WNOWAIT`).
    private mutating func hasExited() -> Bool {
        var info = siginfo_t()
        while true {
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if result == -1, errno == EINTR { continue }
            // -1 (ECHILD): not ours to wait for any more. 0 with no child filled in: still running.
            if result == -1 { reapedElsewhere = true }
            return result == -1 || info.si_signo == SIGCHLD
        }
    }

    /// Waits up to `timeout` for output or a wake-up (when `watchingWake`) and reads what arrived.
    /// - Returns: `true` when cancellation was requested.
    private mutating func pollOnce(timeout: Duration, watchingWake: Bool = true) -> Bool {
        var fds = watchingWake ? [pollfd(fd: wake, events: Int16(POLLIN), revents: 0)] : []
        for fd in streams where fd >= 0 { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let millis = max(0, Int32(clamping: (timeout.components.seconds * 1000)
            + (timeout.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
        let ready = poll(&fds, nfds_t(fds.count), millis)
        guard ready > 0 else { return false }
        if watchingWake, fds[0].revents != 0 { return true }
        for entry in fds.dropFirst(watchingWake ? 1 : 0) where entry.revents != 0 {
            readAvailable(from: entry.fd)
        }
        return false
    }

    /// Reads one chunk from a stream that poll reported ready; closes it at end of stream.
    private mutating func readAvailable(from fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR || errno == EAGAIN { return }
        guard let index = streams.firstIndex(of: fd) else { return }
        guard count > 0 else {
            _ = close(fd)
            streams[index] = -1
            return
        }
        let bytes = chunk[0..<count]
        if index == 0 {
            output.append(contentsOf: bytes.prefix(max(0, Subprocess.outputLimit - output.count)))
        } else {
            errorTail.append(contentsOf: bytes)
            if errorTail.count > Subprocess.errorTailLimit { errorTail.removeFirst(errorTail.count - Subprocess.errorTailLimit) }
        }
    }

    /// Asks the child's process group (and the child, should it have left the group) to end with
    /// `SIGTERM`, reading its output meanwhile; kills it with `SIGKILL` once the child has exited or
    /// ``Subprocess/terminationGrace`` has passed; reaps the child, and reads whatever output is
    /// already waiting.
    private mutating func killGroup(as termination: SubprocessTermination) -> SubprocessTermination {
        _ = kill(-pid, SIGTERM)
        _ = kill(pid, SIGTERM)
        let graceEnd = clock.now() + Subprocess.terminationGrace
        var slice: Duration = .milliseconds(1)
        while !hasExited() {
            let now = clock.now()
            guard now < graceEnd else { break }
            // The wake descriptor stays readable once cancellation was asked for: not watched here.
            _ = pollOnce(timeout: min(graceEnd - now, slice), watchingWake: false)
            slice = min(slice * 2, Self.idleSliceLimit)
        }
        if !reapedElsewhere {
            _ = kill(-pid, SIGKILL)
            _ = kill(pid, SIGKILL)
        }
        _ = reap()
        drainWaiting()
        return termination
    }

    /// Reads what is already there; streams a process outside the group still holds are not waited for.
    private mutating func drainWaiting() {
        var rounds = 0
        while rounds < 64, streams.contains(where: { $0 >= 0 }), pollOnceWithoutWaiting() { rounds += 1 }
    }

    private mutating func pollOnceWithoutWaiting() -> Bool {
        let open = streams.filter { $0 >= 0 }
        var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard poll(&fds, nfds_t(fds.count), 0) > 0 else { return false }
        for entry in fds where entry.revents != 0 { readAvailable(from: entry.fd) }
        return true
    }

    /// `waitpid` on the child, blocking; its raw status (as killed by `SIGKILL` if it is not our
    /// child any more: someone else reaped it).
    private func reap() -> Int32 {
        var raw: Int32 = 0
        while true {
            let result = waitpid(pid, &raw, 0)
            if result == pid { return raw }
            if result == -1, errno == EINTR { continue }
            return SIGKILL
        }
    }

    private static func termination(of status: Int32) -> SubprocessTermination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}

@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

/// The state file's lock looked at again while the daemon runs.
struct StateClaimTests {
    /// The `cause` field of `record`.
    private func cause(_ record: LogRecord) -> String? {
        guard case let .string(text)? = record.fields.first(where: { $0.key == "cause" })?.value else { return nil }
        return text
    }

    @Test("a lock whose file is in place is kept; a lock file removed or replaced is locked again at its path")
    func retaken() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let statePath = dir.file("state/state.json")
        let first = try LockFile.acquire(statePath + ".lock")
        guard case .inPlace = StateClaim.recheck(first, statePath: statePath) else { Issue.record("not in place"); return }

        unlink(first.path)
        guard case let .retaken(second, record) = StateClaim.recheck(first, statePath: statePath) else {
            Issue.record("a removed lock file was not locked again"); return
        }
        first.release()
        #expect(record.level == .warning && record.event == .stateLockRestored)
        #expect(cause(record) == "its lock file was removed while the daemon ran; the lock is taken again")
        #expect(try second.placement() == .inPlace)

        // Replaced, the old file keeping a name (a file renamed over it with no other name is removed).
        link(second.path, dir.file("kept"))
        dir.write("other", "x")
        rename(dir.file("other"), second.path)
        guard case let .retaken(third, replacedRecord) = StateClaim.recheck(second, statePath: statePath) else {
            Issue.record("a replaced lock file was not locked again"); return
        }
        second.release()
        defer { third.release() }
        #expect(cause(replacedRecord) == "another file was put at its lock file's path while the daemon ran; the lock is taken again")
        #expect(try third.placement() == .inPlace)
    }

    @Test("a lock file removed and then locked by another holder: the state file is another's now, said with its pid")
    func takenByAnother() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let statePath = dir.file("state.json")
        let first = try LockFile.acquire(statePath + ".lock")
        defer { first.release() }
        unlink(first.path)
        // flock holds per open file: a second open of the new file, in this process, is another holder.
        let other = try LockFile.acquire(statePath + ".lock")
        defer { other.release() }
        guard case let .takenByAnother(record, stopCause) = StateClaim.recheck(first, statePath: statePath) else {
            Issue.record("another holder was not seen"); return
        }
        let expected = "its lock file was removed while the daemon ran, and another autoscaled (pid \(getpid())) is using this state file now"
        #expect(stopCause == expected)
        #expect(record.level == .error && record.event == .stateLocked)
        #expect(cause(record) == expected)
    }

    @Test("a lock that cannot be taken again is a state-write-failed naming the lock file, tried again at the next look")
    func retakeFails() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let statePath = dir.file("state/state.json")
        let first = try LockFile.acquire(statePath + ".lock")
        defer { first.release() }
        unlink(first.path)
        rmdir(dir.file("state"))
        dir.write("state", "a file where the directory was")
        guard case let .failed(record) = StateClaim.recheck(first, statePath: statePath) else {
            Issue.record("a lock file that cannot be made was not a failure"); return
        }
        #expect(record.event == .stateWriteFailed)
        #expect(cause(record)?.contains("not a directory (errno 20)") == true, "\(record)")
        unlink(dir.file("state"))
        guard case let .retaken(taken, _) = StateClaim.recheck(first, statePath: statePath) else {
            Issue.record("not taken again once the path was usable"); return
        }
        taken.release()
    }
}

@testable import AutoscaledBase
@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Testing

/// A source that returns a fixed reading.
struct FixedLoadSource: LoadSource {
    var reading: LoadReading
    func read() async throws(LoadError) -> LoadReading { reading }
}

struct LoadReaderTests {
    let snapshot = try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 1)])
    static let exercise = ScriptedLoadSource.loads(["server1": 30, "server2": 55, "server3": 20])

    @Test("data older than stale_after is refused with its age")
    func stale() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: 1000)),
                                staleAfter: .seconds(10))
        #expect(await reader.read(wallNow: 1010).map(\.snapshot) == .success(snapshot))
        #expect(await reader.read(wallNow: 1010.5).map(\.snapshot) == .failure(.stale(ageSeconds: 10.5, limitSeconds: 10)))
        #expect(LoadError.stale(ageSeconds: 10.5, limitSeconds: 10).description
            == "data is 10.5s old, older than stale_after 10s")
    }

    @Test("a modification time at the far end of the 64-bit range is refused as stale, its age still written")
    func ancient() async {
        let modified = -Double(Int64.max)  // a file system without a lower bound on mtime (tmpfs)
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: modified)),
                                staleAfter: .seconds(10))
        let result = await reader.read(wallNow: 1.8e9).map(\.snapshot)
        #expect(result == .failure(.stale(ageSeconds: 1.8e9 - modified, limitSeconds: 10)))
        #expect(LoadError.stale(ageSeconds: 1.8e9 - modified, limitSeconds: 10).description
            == "data is 9.223372038654775e+18s old, older than stale_after 10s")
    }

    @Test("a modification time in the future counts as stale: its age is unknown; a second ahead is tolerated")
    func future() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: 5000)),
                                staleAfter: .seconds(10))
        #expect(await reader.read(wallNow: 1400).map(\.snapshot) == .failure(.modifiedInFuture(aheadSeconds: 3600)))
        #expect(await reader.read(wallNow: 4999).map(\.snapshot) == .success(snapshot))
        #expect(LoadError.modifiedInFuture(aheadSeconds: 3600).description
            == "modification time is 1h in the future, so its age is unknown (counted as stale)")
    }

    /// Scripted write activity: `before` just before the read, `after` just after it.
    final class Writes: @unchecked Sendable {
        var before: WriteActivity
        var after: WriteActivity
        init(_ before: WriteActivity, _ after: WriteActivity? = nil) { (self.before, self.after) = (before, after ?? before) }
        func activity(_ beforeRead: Bool) -> WriteActivity { beforeRead ? before : after }
    }

    @Test("a load file being written is skipped, then after the bound a failed read says how long it has been written")
    func beingWritten() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: nil)),
                                staleAfter: nil, gate: WriteGate(bound: .seconds(2), waitsForClose: true))
        let t0 = MonotonicInstant.origin
        let writes = Writes(WriteActivity(modifications: 1, lastModified: t0))
        #expect(await reader.read(wallNow: 0, now: t0, writes: writes.activity) == .skipped("load file is being written"))
        #expect(await reader.read(wallNow: 0, now: t0 + .milliseconds(2500), writes: writes.activity)
            == .done(.failure(.stillBeingWritten(seconds: 2.5))))
        #expect(LoadError.stillBeingWritten(seconds: 2.5).description
            == "still being written after 2.5s (modified, not yet closed or renamed into place)")
        // Elapsed times with no exact double are written to the millisecond.
        #expect(LoadError.stillBeingWritten(seconds: 3.8040000000000003).description
            == "still being written after 3.804s (modified, not yet closed or renamed into place)")
        #expect(LoadError.stale(ageSeconds: 12.000499, limitSeconds: 10).description == "data is 12s old, older than stale_after 10s")
        // From a minute on, as durations are written in the config, not as a count of seconds.
        #expect(LoadError.stale(ageSeconds: 1_796_382_459.2521, limitSeconds: 90).description
            == "data is 20791d 11h 7min 39s 252ms old, older than stale_after 1min 30s")
        writes.before = WriteActivity(modifications: 1)
        writes.after = writes.before
        #expect(await reader.read(wallNow: 0, now: t0 + .seconds(3), writes: writes.activity) == .done(.success(
            LoadReading(snapshot: snapshot, modifiedAt: nil))))
    }

    @Test("a read during which the file was modified is dropped")
    func changedWhileRead() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: nil)),
                                staleAfter: nil, gate: WriteGate(bound: .seconds(2), waitsForClose: true))
        let writes = Writes(WriteActivity(modifications: 1), WriteActivity(modifications: 2))
        #expect(await reader.read(wallNow: 0, now: .origin, writes: writes.activity) == .skipped("load file changed while being read"))
    }

    static let readAgain = LoadReader.Attempt.skipped("load file unreadable: read again, as a write in place may have begun",
                                                      readAgainAfter: .milliseconds(50))
    static let halfWritten = LoadError.syntax(line: 1, message: "expected '{', found end of data")

    @Test("a read that fails on its data is read again soon, however long ago the file changed (a truncation shows before its event, and a busy host looks late); the same failure again counts")
    func failedReadIsReadAgain() async {
        let source = ScriptedLoadSource([.failure(Self.halfWritten)])
        let reader = LoadReader(source: source, staleAfter: nil, gate: WriteGate(bound: .seconds(2), waitsForClose: false))
        let t0 = MonotonicInstant.origin + .seconds(100)
        // Nothing known of a write, the last change long ago: read again all the same.
        let quiet = Writes(WriteActivity(modifications: 4))
        #expect(await reader.read(wallNow: 0, now: t0, writes: quiet.activity) == Self.readAgain)
        // The same bad data at the read again: a failed read, as it is; and at once at the next poll.
        #expect(await reader.read(wallNow: 0, now: t0 + .milliseconds(50), writes: quiet.activity) == .done(.failure(Self.halfWritten)))
        #expect(await reader.read(wallNow: 0, now: t0 + .seconds(10), writes: quiet.activity) == .done(.failure(Self.halfWritten)))
        // Good data, then a failure: a first one again.
        source.script([Self.exercise, .failure(Self.halfWritten)])
        #expect(await reader.read(wallNow: 0, now: t0 + .seconds(11), writes: quiet.activity)
            == .done(Self.exercise.map { LoadReading(snapshot: $0, modifiedAt: nil) }))
        #expect(await reader.read(wallNow: 0, now: t0 + .seconds(12), writes: quiet.activity) == Self.readAgain)
        // A source that is not a watched file is told at once: no write of it is ever seen.
        let unwatched = LoadReader(source: ScriptedLoadSource([.failure(Self.halfWritten)]), staleAfter: nil)
        #expect(await unwatched.read(wallNow: 0, now: t0, writes: nil) == .done(.failure(Self.halfWritten)))
    }

    @Test("a writer that keeps rewriting different bad data is read again until the bound, then every read is a failure until one succeeds")
    func differentBadDataUntilTheBound() async {
        let errors = (0...80).map { LoadError.syntax(line: 1, message: "expected a value, found end of data at byte \($0)") }
        let source = ScriptedLoadSource(errors.map { .failure($0) })
        let reader = LoadReader(source: source, staleAfter: nil, gate: WriteGate(bound: .seconds(2), waitsForClose: false))
        let t0 = MonotonicInstant.origin + .seconds(100)
        let quiet = Writes(WriteActivity(modifications: 4))
        for attempt in 0...80 {
            let attempted = await reader.read(wallNow: 0, now: t0 + .milliseconds(50 * attempt), writes: quiet.activity)
            if attempt < 40 {
                #expect(attempted == Self.readAgain, "attempt \(attempt)")
            } else {
                #expect(attempted == .done(.failure(errors[attempt])), "attempt \(attempt)")
            }
        }
    }

    @Test("an empty load file is read again until the bound: a writer's truncations one after another each read so")
    func emptyUntilTheBound() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("loads.json")
        dir.write("loads.json", "")
        let reader = LoadReader(source: FileLoadSource(path: path, format: .json), staleAfter: nil,
                                gate: WriteGate(bound: .seconds(2), waitsForClose: false))
        #expect(LoadError.emptyFile.description == "the file is empty")
        let t0 = MonotonicInstant.origin + .seconds(100)
        let quiet = Writes(WriteActivity(modifications: 4))
        for attempt in 0..<40 {
            #expect(await reader.read(wallNow: 0, now: t0 + .milliseconds(50 * attempt), writes: quiet.activity) == Self.readAgain,
                    "attempt \(attempt)")
        }
        #expect(await reader.read(wallNow: 0, now: t0 + .seconds(2), writes: quiet.activity) == .done(.failure(.emptyFile)))
        // Written whole: read.
        dir.write("loads.json", #"{"a": 1}"#)
        guard case let .done(.success(reading)) = await reader.read(wallNow: 0, now: t0 + .seconds(3), writes: quiet.activity) else {
            Issue.record("a whole file was not read")
            return
        }
        #expect(reading.snapshot == snapshot)
    }

    @Test("a load file that changed while it was read, read so again and again, is read again until the bound: each time it met another write")
    func changedWhileReadUntilTheBound() async {
        let changed = LoadError.changedWhileRead("changed while being read")
        let reader = LoadReader(source: ScriptedLoadSource([.failure(changed)]), staleAfter: nil,
                                gate: WriteGate(bound: .seconds(2), waitsForClose: false))
        let t0 = MonotonicInstant.origin + .seconds(100)
        let quiet = Writes(WriteActivity(modifications: 4))
        for attempt in 0..<40 {
            #expect(await reader.read(wallNow: 0, now: t0 + .milliseconds(50 * attempt), writes: quiet.activity) == Self.readAgain,
                    "attempt \(attempt)")
        }
        #expect(await reader.read(wallNow: 0, now: t0 + .seconds(2), writes: quiet.activity) == .done(.failure(changed)))
    }

    @Test("a failure no write can cause is told at once: stale data")
    func staleIsToldAtOnce() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: 0)),
                                staleAfter: .seconds(10), gate: WriteGate(bound: .seconds(2), waitsForClose: false))
        #expect(await reader.read(wallNow: 100, now: .origin, writes: Writes(WriteActivity()).activity)
            == .done(.failure(.stale(ageSeconds: 100, limitSeconds: 10))))
    }

    @Test("without stale_after any age is accepted")
    func neverStale() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: 0)),
                                staleAfter: nil)
        #expect(await reader.read(wallNow: 1e9).map(\.snapshot) == .success(snapshot))
    }
}

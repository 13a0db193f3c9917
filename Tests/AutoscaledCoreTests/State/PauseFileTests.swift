@testable import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

struct PauseFileTests {
    /// 2026-11-29T06:10:00.000Z
    let wall = 1_795_932_600.0

    @Test("a pause holds until its end, a resume or an endless pause as written")
    func holds() {
        let timed = PauseFile.pause(wallTime: wall, replicas: 2, duration: .seconds(90), reason: "deploy")
        #expect(timed.until == "2026-11-29T06:11:30.000Z")
        #expect(timed.holds(at: wall) && timed.holds(at: wall + 89.999))
        #expect(!timed.holds(at: wall + 90))
        let endless = PauseFile.pause(wallTime: wall, replicas: nil, duration: nil, reason: nil)
        #expect(endless.holds(at: wall + 1e9))
        #expect(!PauseFile.resume(wallTime: wall).holds(at: wall))
    }

    @Test("saved atomically next to the state file and read back the same; a missing file is no pause")
    func roundTrip() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = PauseFile.path(forState: dir.file("state.json"))
        #expect(path == dir.file("state.json.pause"))
        #expect(try PauseFile.load(path) == nil)
        let pause = PauseFile.pause(wallTime: wall, replicas: 3, duration: .milliseconds(1500), reason: "a \"quoted\" reason")
        try pause.save(to: path)
        #expect(try PauseFile.load(path) == pause)
    }

    @Test("the longest reason pause takes, escaped at its longest, is read back")
    func longestReason() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let pause = PauseFile.pause(wallTime: wall, replicas: 3, duration: .seconds(60),
                                    reason: String(repeating: "\u{1}", count: 1024))
        try pause.save(to: dir.file("p"))
        #expect(try PauseFile.load(dir.file("p")) == pause)
    }

    @Test("a file that is not a pause file names itself and what is wrong")
    func rejects() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("bad.pause", "{\"paused\": tru")
        #expect(throws: PauseFileError(path: dir.file("bad.pause"), problem: "not a valid pause file (not JSON)")) {
            try PauseFile.load(dir.file("bad.pause"))
        }
        dir.write("negative.pause", #"{"version":1,"paused":true,"at":"x","at_unix":1,"replicas":-2}"#)
        #expect(throws: PauseFileError(path: dir.file("negative.pause"), problem: "replicas -2 is negative")) {
            try PauseFile.load(dir.file("negative.pause"))
        }
    }

    @Test("the fault names the field, the version or the file's kind, and the path once", arguments: [
        (#"{"version":1,"paused":true,"at":"x","at_unix":1,"replicas":2.7}"#, "not a valid pause file (replicas: 2.7 is not a whole number)"),
        (#"{"version":1,"paused":true,"at":"x"}"#, "not a valid pause file (missing at_unix)"),
        (#"{"version":1,"paused":true,"at":"x","at_unix":1,"replicas":1e300}"#, "not a valid pause file (replicas: 1e+300 is too large)"),
        (#"{"version":1,"paused":true,"at":"x","at_unix":1,"replicas":1000001}"#, "replicas 1000001 is above 1000000, the most max_replicas may be"),
        (#"{"version":1.5,"paused":true,"at":"x","at_unix":1}"#, "not a valid pause file (version: 1.5 is not a whole number)"),
        (#"{"version":1,"paused":"yes","at":"x","at_unix":1}"#, "not a valid pause file (wrong type at paused)"),
        ("3", "not a valid pause file (not a JSON object)"),
        (#"{"version":1,"paused":true,"paused":false,"at":"x","at_unix":1}"#, #"not a valid pause file ("paused" is given twice)"#),
        (#"{"version":1,"version":1,"paused":true,"at":"x","at_unix":1}"#, #"not a valid pause file ("version" is given twice)"#),
        (#"{"version":2,"paused":true,"at":"x","at_unix":1,"replicas":2}"#, "version 2 is unknown to this autoscaled (it reads version 1)"),
        (#"{"version":2,"pause":"soon"}"#, "version 2 is unknown to this autoscaled (it reads version 1)"),
    ])
    func faults(_ contents: String, _ problem: String) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("p", contents)
        #expect(throws: PauseFileError(path: dir.file("p"), problem: problem)) { try PauseFile.load(dir.file("p")) }
    }

    @Test("keys alike in other objects, and key-like text in a value, are not keys given twice")
    func keysAlikeElsewhere() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("p", #"{"version":1,"paused":true,"at":"1970-01-01T00:00:01.000Z","at_unix":1,"reason":"{\"paused\": 1, \"paused\": 2}","#
            + #""extra":[{"paused":1},{"paused":2},[{"at":1}],{"at":{"at":2}}]}"#)
        #expect(try PauseFile.load(dir.file("p"))?.reason == #"{"paused": 1, "paused": 2}"#)
    }

    @Test("a time out of range, or a text that is not the time its number gives, makes the file unusable", arguments: [
        (#""until":"2999-01-01T00:00:00.000Z","until_unix":1e19"#,
         "until_unix 1e+19 is not a time from 0 to 1000000000000 (1970 to the year 33658)"),
        (#""until":"x","until_unix":1e16"#, "until_unix 1e+16 is not a time from 0 to 1000000000000 (1970 to the year 33658)"),
        (#""until":"x","until_unix":1796045400"#,
         "until 'x' is not 2026-11-30T13:30:00.000Z, the time until_unix 1796045400 gives"),
        (#""until_unix":1796045400"#, "until_unix 1796045400 has no until"),
        (#""until":"2026-11-30T13:30:00.000Z""#, "until '2026-11-30T13:30:00.000Z' has no until_unix"),
    ])
    func badUntil(_ fields: String, _ problem: String) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("p", #"{"version":1,"paused":true,"at":"2026-11-30T13:00:00.000Z","at_unix":1796043600,"#
            + fields + "}")
        #expect(throws: PauseFileError(path: dir.file("p"), problem: problem)) { try PauseFile.load(dir.file("p")) }
    }

    @Test("an at_unix out of range, or an at that is not its time, makes the file unusable", arguments: [
        (#""at":"x","at_unix":-1e19"#, "at_unix -1e+19 is not a time from 0 to 1000000000000 (1970 to the year 33658)"),
        (#""at":"2026-11-30T13:00:00Z","at_unix":1796043600"#,
         "at '2026-11-30T13:00:00Z' is not 2026-11-30T13:00:00.000Z, the time at_unix 1796043600 gives"),
    ])
    func badAt(_ fields: String, _ problem: String) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("p", #"{"version":1,"paused":true,"# + fields + "}")
        #expect(throws: PauseFileError(path: dir.file("p"), problem: problem)) { try PauseFile.load(dir.file("p")) }
    }

    @Test("a directory where the pause file goes is named once")
    func directory() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkdir(dir.file("p"), 0o755) == 0)
        #expect(throws: PauseFileError(path: dir.file("p"), problem: "is a directory, not a regular file")) { try PauseFile.load(dir.file("p")) }
    }
}

@testable import AutoscaledCore
import AutoscaledTestSupport
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

    @Test("a file that is not a pause file names itself and what is wrong")
    func rejects() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("bad.pause", "{\"paused\": tru")
        #expect(throws: PauseFileError(path: dir.file("bad.pause"), problem: "not a valid pause file")) {
            try PauseFile.load(dir.file("bad.pause"))
        }
        dir.write("negative.pause", #"{"version":1,"paused":true,"at":"x","at_unix":1,"replicas":-2}"#)
        #expect(throws: PauseFileError(path: dir.file("negative.pause"), problem: "replicas -2 is negative")) {
            try PauseFile.load(dir.file("negative.pause"))
        }
    }
}

@testable import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

struct PauseControlTests {
    let wall = 1_795_932_600.0

    static let scaleUp = ScalingDecision(action: .scaleUp, from: 3, to: 5, serversToScale: 2, busiest: nil, threshold: 50,
                                         reason: DecisionReason(.serversAbove(count: 2, threshold: 50, busiest: ServerLoad(name: "a", load: 130)),
                                                                outcome: .scaledUp(by: 2, limitedBy: nil, cappedAt: nil)),
                                         recommendation: 5, totalLoad: 240)

    @Test("pause, update, resume by the operator; each change logged once")
    func lifecycle() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var control = PauseControl(path: dir.file("state.json.pause"))
        #expect(control.refresh(wallNow: wall).isEmpty && control.active == nil)

        try PauseFile.pause(wallTime: wall, replicas: nil, duration: nil, reason: "incident 42").save(to: control.path)
        #expect(control.refresh(wallNow: wall + 1) == [LogRecord(.notice, .pause, [LogField("reason", "incident 42")])])
        #expect(control.refresh(wallNow: wall + 2).isEmpty)

        try PauseFile.pause(wallTime: wall + 3, replicas: 2, duration: .seconds(60), reason: nil).save(to: control.path)
        #expect(control.refresh(wallNow: wall + 3) == [LogRecord(.notice, .pause, [
            LogField("replicas", 2), LogField("until", "2026-11-29T06:11:03.000Z"), LogField("updated", true),
        ])])
        #expect(control.endsAt == wall + 63)

        try PauseFile.resume(wallTime: wall + 4).save(to: control.path)
        #expect(control.refresh(wallNow: wall + 4) == [LogRecord(.notice, .resume, [LogField("cause", "operator")])])
        #expect(control.active == nil && control.refresh(wallNow: wall + 5).isEmpty)
    }

    @Test("a pause with an end resumes by itself once the wall clock passes it")
    func expires() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var control = PauseControl(path: dir.file("p"))
        try PauseFile.pause(wallTime: wall, replicas: nil, duration: .seconds(2), reason: nil).save(to: control.path)
        #expect(control.refresh(wallNow: wall).count == 1)
        #expect(control.refresh(wallNow: wall + 1.999).isEmpty && control.active != nil)
        #expect(control.refresh(wallNow: wall + 2) == [LogRecord(.notice, .resume, [
            LogField("cause", "expired"), LogField("until", "2026-11-29T06:10:02.000Z"),
        ])])
        #expect(control.refresh(wallNow: wall + 3).isEmpty)
        // A daemon started after the end finds no pause, and says nothing.
        var restarted = PauseControl(path: control.path)
        #expect(restarted.refresh(wallNow: wall + 10).isEmpty && restarted.active == nil)
    }

    @Test("an unreadable pause file is warned about once and leaves the pause as it was")
    func unreadable() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var control = PauseControl(path: dir.file("p"))
        try PauseFile.pause(wallTime: wall, replicas: nil, duration: nil, reason: nil).save(to: control.path)
        _ = control.refresh(wallNow: wall)
        dir.write("p", "{")
        #expect(control.refresh(wallNow: wall) == [LogRecord(.warning, .pauseFileInvalid, [
            LogField("cause", .string("\(dir.file("p")): not a valid pause file (not JSON)")), LogField("paused", true),
        ])])
        #expect(control.refresh(wallNow: wall).isEmpty && control.active != nil)
        // Another cause is told again, once.
        dir.write("p", "[]")
        #expect(control.refresh(wallNow: wall).count == 1)
        #expect(control.refresh(wallNow: wall).isEmpty && control.active != nil)
    }

    @Test("a pause file removed while paused is written back, and the pause holds; removed while not paused, nothing")
    func removedWhilePaused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var control = PauseControl(path: dir.file("p"))
        let pause = PauseFile.pause(wallTime: wall, replicas: 2, duration: nil, reason: "incident 7")
        try pause.save(to: control.path)
        _ = control.refresh(wallNow: wall)
        unlink(dir.file("p"))
        #expect(control.refresh(wallNow: wall + 1) == [LogRecord(.warning, .pauseFileRestored, [
            LogField("path", .string(dir.file("p"))),
            LogField("cause", "removed while paused: written back; 'autoscaled resume' ends a pause"),
        ])])
        #expect(control.active == pause)
        #expect(try PauseFile.load(control.path) == pause)
        #expect(control.refresh(wallNow: wall + 2).isEmpty)
        try PauseFile.resume(wallTime: wall + 3).save(to: control.path)
        #expect(control.refresh(wallNow: wall + 3).count == 1 && control.active == nil)
        unlink(dir.file("p"))
        #expect(control.refresh(wallNow: wall + 4).isEmpty)
        #expect(try PauseFile.load(control.path) == nil)
    }

    @Test("while paused: the count is held and the policy's count is the wish; --replicas moves once")
    func apply() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var control = PauseControl(path: dir.file("p"))
        #expect(control.apply(Self.scaleUp, bounds: 1...10) == Self.scaleUp)

        try PauseFile.pause(wallTime: wall, replicas: nil, duration: nil, reason: "incident").save(to: control.path)
        _ = control.refresh(wallNow: wall)
        let held = control.apply(Self.scaleUp, bounds: 1...10)
        #expect(held.action == .hold && held.from == 3 && held.to == 3)
        #expect(held.heldBy == .pause && held.wanted == 5)
        #expect(held.reason.text == "paused (incident): holding 3; the policy would scale-up to 5: 2 servers above scale_up_threshold 50 (max a=130): +2")
        #expect(held.recommendation == 5 && held.totalLoad == 240)

        try PauseFile.pause(wallTime: wall, replicas: 2, duration: nil, reason: nil).save(to: control.path)
        _ = control.refresh(wallNow: wall)
        let moved = control.apply(Self.scaleUp, bounds: 1...10)
        #expect(moved.action == .scaleDown && moved.to == 2 && moved.heldBy == .pause && moved.wanted == 5)
        #expect(moved.reason.text == "paused: moving to the pause's 2 replicas")
        // Once there, it holds.
        var there = Self.scaleUp
        there.from = 2
        let holding = control.apply(there, bounds: 1...10)
        #expect(holding.action == .hold && holding.to == 2 && holding.wanted == 5)
        // A rule of the policy that holds the count too (a cooldown) is not what is named: the pause is.
        var cooling = there
        cooling.action = .hold
        cooling.to = 2
        cooling.heldBy = .scaleUpCooldown(left: .seconds(20))
        cooling.wanted = 5
        let both = control.apply(cooling, bounds: 1...10)
        #expect(both.action == .hold && both.to == 2 && both.heldBy == .pause && both.wanted == 5)
    }

    @Test("what a pause holds stays within min_replicas and max_replicas as they are now")
    func bounds() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var control = PauseControl(path: dir.file("p"))
        // A pause for 10 written before a reload lowered max_replicas to 4 (or written by hand).
        try PauseFile.pause(wallTime: wall, replicas: 10, duration: nil, reason: "maint").save(to: control.path)
        _ = control.refresh(wallNow: wall)
        let capped = control.apply(Self.scaleUp, bounds: 1...4)
        #expect(capped.action == .scaleUp && capped.to == 4 && capped.heldBy == .pause && capped.wanted == 5)
        #expect(capped.reason.text == "paused (maint): moving to max_replicas 4 (the pause would hold 10)")
        var atMax = Self.scaleUp
        atMax.from = 4
        #expect(control.apply(atMax, bounds: 1...4).action == .hold)

        // A pause that holds the count it found, once min_replicas has risen above that count.
        try PauseFile.pause(wallTime: wall, replicas: nil, duration: nil, reason: nil).save(to: control.path)
        _ = control.refresh(wallNow: wall)
        let raised = control.apply(Self.scaleUp, bounds: 4...8)
        #expect(raised.action == .scaleUp && raised.to == 4 && raised.wanted == 5)
        #expect(raised.reason.text == "paused: moving to min_replicas 4 (the pause would hold 3)")
    }
}

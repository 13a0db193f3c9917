import Testing

@testable import AutoscaledSystem

@Suite("Interruption: a stop ends every wait, a reload only those under way")
struct InterruptionTests {
    @Test("a reload cuts the waits begun before it, not the ones after; a stop cuts every one")
    func causes() {
        let interruption = Interruption()
        let before = interruption.mark
        #expect(interruption.cause(since: before) == nil)
        interruption.cutForReload()
        #expect(interruption.cause(since: before) == .reload)
        let after = interruption.mark
        #expect(interruption.cause(since: after) == nil)
        interruption.interrupt()
        #expect(interruption.cause(since: after) == .stop)
        #expect(interruption.cause(since: interruption.mark) == .stop)
    }

    @Test("a deadline begun before a reload ends with its cause while time is left; one begun after goes on")
    func deadline() throws {
        let interruption = Interruption()
        let before = Deadline(after: .seconds(3600), interruption: interruption)
        interruption.cutForReload()
        let after = Deadline(after: .seconds(3600), interruption: interruption)
        #expect(throws: SocketError.interrupted(call: "read", subject: "peer", cause: .reload)) {
            try before.remainingMilliseconds(call: "read", subject: "peer")
        }
        #expect(try after.remainingMilliseconds(call: "read", subject: "peer") > 0)
        #expect(SocketError.interrupted(call: "read", subject: "peer", cause: .reload).description
            == "read(peer): cut short, as the daemon is reloading (its source is read again once the config is)")
    }
}

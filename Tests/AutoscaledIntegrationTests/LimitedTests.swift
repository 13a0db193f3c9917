import Glibc
import Testing

@Suite("why it is not scaling, against the real binary")
struct LimitedTests {
    @Test("a held scale-up is logged once at info, and again when the rule holding it changes")
    func heldOnceThenOnChange() async {
        let dir = Workspace()
        defer { dir.remove() }
        // No poll: each write of the load file is one evaluation.
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 90}"#)
        let daemon = await startDaemon(dir)
        #expect(await daemon.waitForLine("level=notice event=scale-up from=3 to=4") != nil)

        for load in [91, 92, 93] {
            dir.writeLoads(#"{"a": \#(load)}"#)
            #expect(await daemon.waitForLine("event=hold from=4 to=4", "max_load=\(load)") != nil, "\(daemon.standardError)")
        }
        let cooldown = daemon.stderrLines.filter { $0.contains("event=limited") }
        #expect(cooldown.count == 1, "\(cooldown)")
        #expect(cooldown.first?.contains("level=info event=limited want=5 held_by=scale_up_cooldown left=") == true, "\(cooldown)")
        #expect(cooldown.first?.contains(" replicas=4 reason=\"1 server above scale_up_threshold 50 (max a=91)") == true)
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.stdout.contains("wanted replicas:   5, held by scale_up_cooldown for "), "\(status.stdout)")

        // Another rule takes over: max_replicas is now the count itself.
        dir.writeConfig(policy: "max_replicas = 4", pollInterval: "1h")
        #expect(await daemon.waitForLine("level=info event=limited want=5 held_by=max_replicas replicas=4") != nil,
                "\(daemon.standardError)")
        dir.writeLoads(#"{"a": 94}"#)
        #expect(await daemon.waitForLine("event=hold from=4 to=4", "max_load=94") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(daemon.stderrLines.filter { $0.contains("event=limited") }.count == 2, "\(daemon.standardError)")
    }
}

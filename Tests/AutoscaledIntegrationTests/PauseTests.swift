import Glibc
import Testing

@Suite("pause and resume against the real binary")
struct PauseTests {
    @Test("without daemon state both exit 1 and say why; pause twice updates; resume when not paused says so")
    func commands() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        for command in ["pause", "resume"] {
            let result = await ChildProcess.run([command, "--config", dir.configPath], in: dir.path)
            #expect(result.status == 1)
            #expect(result.stdout == "")
            #expect(result.stderr == "no state file at \(dir.statePath): no daemon has run with \(dir.configPath) (start it first)\n")
        }

        dir.writeLoads(#"{"a": 40}"#)
        let daemon = await startDaemon(dir)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)

        let first = await ChildProcess.run(["pause", "--config", dir.configPath, "--reason", "incident 42"], in: dir.path)
        #expect(first.status == 0)
        #expect(first.stdout == "Paused: the daemon holds the count (3 when it last saved) until 'autoscaled resume' ('incident 42').\n")
        let second = await ChildProcess.run(["pause", "--config", dir.configPath, "--replicas", "2"], in: dir.path)
        #expect(second.status == 0)
        #expect(second.stdout == "Pause updated: the daemon moves to 2 replicas and holds there until 'autoscaled resume'.\n")
        #expect(dir.read(dir.statePath + ".pause").contains(#""replicas":2"#))
        let outside = await ChildProcess.run(["pause", "--config", dir.configPath, "--replicas", "11"], in: dir.path)
        #expect(outside.status == 1)
        #expect(outside.stderr == "--replicas 11 is outside [min_replicas 1, max_replicas 10] of \(dir.configPath)\n")

        let resumed = await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path)
        #expect(resumed.status == 0)
        #expect(resumed.stdout == "Resumed: the daemon follows the policy again from its next evaluation.\n")
        let again = await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path)
        #expect(again.status == 0)
        #expect(again.stdout == "Not paused: nothing to resume.\n")
    }
}

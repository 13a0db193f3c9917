import AutoscaledTestSupport
import Testing

@Suite("`simulate` against the real binary")
struct SimulateTests {
    @Test("a replay writes its CSV, one row per simulated second")
    func csv() async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf",
            "--trace", "\(repositoryRoot)/config/traces/azure_functions_2019_invitro1350.csv",
            "--capacity", "2", "--startup-delay", "60s", "--initial", "19", "--max", "1000", "--quiet",
            "--csv", dir.file("out.csv"),
        ], in: dir.path)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("trace:   azure_functions_2019_invitro1350.csv: offered load, 1440 bins of 1min"))
        let rows = dir.read(dir.file("out.csv")).split(separator: "\n")
        #expect(rows.count == 1 + 86_400)
        #expect(rows.first == "t,load,desired,serving")
        // 2336 invocations in the first minute: 38.933 per second over 19 replicas of capacity 2.
        #expect(rows.dropFirst().first == "0,102.456,19,19")
        #expect(rows.last?.hasPrefix("86399,") == true)
    }

    @Test("a broken trace names the file and line and exits 1")
    func brokenTrace() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("t.csv"), "t_seconds,requests\n0,1\n1,x\n")
        let result = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file("t.csv"), "--capacity", "1",
        ], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "\(dir.file("t.csv")): line 3: requests 'x' is not a number\n")
        let missing = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file("none.csv"),
        ], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("\(dir.file("none.csv")): "))
    }
}

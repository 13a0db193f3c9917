import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

@Suite("the history: recorded by the daemon, exported, replayed")
struct HistoryTests {
    /// Waits until the daemon has logged `count` decisions (every decision line carries `from=`).
    func waitForDecisions(_ daemon: ChildProcess, _ count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        await eventually(timeout: timeout) { daemon.stderrLines.count(where: { $0.contains(" from=") }) >= count ? true : nil } ?? false
    }

    @Test("no history yet: export exits 1 and says what it found")
    func noHistory() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        let result = await ChildProcess.run(["history", "export", "--config", dir.configPath], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "\(dir.path)/state/history: no history yet (the directory does not exist)\n")
        // What is found is told, not a guess that the daemon never ran.
        #expect(mkdir(dir.file("state"), 0o755) == 0 && mkdir(dir.file("state/history"), 0o755) == 0)
        let empty = await ChildProcess.run(["history", "export", "--config", dir.configPath], in: dir.path)
        #expect(empty.status == 1)
        #expect(empty.stderr == "\(dir.path)/state/history: no history yet (the directory holds no segment)\n")
        dir.write(dir.file("state/history/00000001.log"), "ASHIST1\n")
        let bare = await ChildProcess.run(["history", "export", "--config", dir.configPath], in: dir.path)
        #expect(bare.status == 1)
        #expect(bare.stderr == "\(dir.path)/state/history: no history yet (the 1 segment holds no record)\n")
    }

    @Test("a history of no readable record says which segment is at fault, never that the daemon has not run")
    func onlyDamage() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        #expect(mkdir(dir.file("state"), 0o755) == 0 && mkdir(dir.file("state/history"), 0o755) == 0)
        dir.write(dir.file("state/history/00000001.log"), "ASHIST2\n")
        let segments = dir.file("state/history")
        let result = await ChildProcess.run(["history", "export", "--config", dir.configPath], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == #"\#(segments)/00000001.log: not a history segment this version reads (it starts 'ASHIST2\n', "#
            + #"not 'ASHIST1\n'); skipped"# + "\n\(segments): no history yet (no segment holds a record that can be read)\n")
    }

    @Test("the original exercise, recorded, exported per server and as offered load, replays in simulate")
    func roundTrip() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1s")
        dir.writeLoads(#"{"server1": 30, "server2": 55, "server3": 20}"#)
        let daemon = await startDaemon(dir)
        #expect(await waitForDecisions(daemon, 3))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)

        let perServer = await ChildProcess.run(["history", "export", "--config", dir.configPath], in: dir.path)
        #expect(perServer.status == 0)
        #expect(perServer.stderr == "")
        let rows = perServer.stdout.split(separator: "\n")
        #expect(rows.first == "t_seconds,server1,server2,server3")
        #expect(rows.count >= 4)
        #expect(rows.dropFirst().dropLast().allSatisfy { $0.hasSuffix(",30,55,20") }, "\(rows)")
        dir.write(dir.file("per-server.csv"), perServer.stdout)
        let replay = await ChildProcess.run(["simulate", "--config", dir.configPath, "--trace", dir.file("per-server.csv")], in: dir.path)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("servers_to_scale=1"))
        #expect(replay.stdout.contains("trace:   per-server.csv: per-server loads of 3 servers"))

        let offered = await ChildProcess.run(["history", "export", "--config", dir.configPath, "--format", "offered"], in: dir.path)
        #expect(offered.status == 0)
        let trace = try TraceParser.parse(Array(offered.stdout.utf8))
        guard case let .offeredLoad(requests) = trace.series else {
            Issue.record("not an offered-load trace: \(offered.stdout)")
            return
        }
        #expect(requests.filter { $0 != 0 }.allSatisfy { $0 == 105 }, "\(requests)")
        #expect(requests.count(where: { $0 == 105 }) >= 2)
        dir.write(dir.file("offered.csv"), offered.stdout)
        let offeredReplay = await ChildProcess.run([
            "simulate", "--config", dir.configPath, "--trace", dir.file("offered.csv"), "--capacity", "100", "--quiet",
        ], in: dir.path)
        #expect(offeredReplay.status == 0, "\(offeredReplay.stderr)")
        #expect(offeredReplay.stdout.contains("model:   capacity 100 requests/s per replica at load 100"))
    }

    @Test("SIGKILL while the load file is rewritten fast: the restarted daemon records on, export reads it all")
    func killDuringWrites() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1s")
        dir.writeLoads(#"{"a": 10, "b": 20}"#)
        let first = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await first.waitForLine("event=start") != nil)
        for index in 0..<150 {
            dir.writeLoads(#"{"a": \#(index), "b": 20}"#)
            try? await Task.sleep(for: .microseconds(500))
            if index == 120 { first.signal(SIGKILL) }
        }
        #expect(await first.wait() == 128 + SIGKILL)
        let segments = dir.file("state/history")
        #expect(listing(segments) == ["00000001.log"])
        let written = try HistoryReader.read(segments)
        #expect(written.records.count >= 2, "too few evaluations before the kill")
        #expect(written.damagedSegments == 0)
        // A write(2) cut by power loss: the last frame loses its last bytes.
        #expect(truncate(dir.file("state/history/00000001.log"), Int(fileSize(dir.file("state/history/00000001.log"))) - 3) == 0)

        dir.writeLoads(#"{"a": 77, "b": 20}"#)
        let second = await startDaemon(dir)
        second.signal(SIGTERM)
        #expect(await second.wait() == 0)
        #expect(listing(segments) == ["00000001.log", "00000002.log"])
        let read = try HistoryReader.read(segments)
        #expect(Array(read.records.prefix(written.records.count - 1)) == Array(written.records.dropLast()))
        #expect(read.records.count >= written.records.count)
        #expect(read.records.last?.loads == .servers([ServerLoad(name: "a", load: 77), ServerLoad(name: "b", load: 20)]))
        #expect(read.damagedSegments == 1)
        let size = Int(fileSize(dir.file("state/history/00000001.log")))

        let export = await ChildProcess.run(["history", "export", "--config", dir.configPath], in: dir.path)
        #expect(export.status == 0)
        // The last record of two servers took 48 bytes; 45 are left.
        let before = written.records.count - 1
        let torn = "\(segments)/00000001.log: a torn or damaged record at byte \(size - 45) of \(size) "
            + "(cut short by a crash or a write in progress, or its length is damaged); the \(before) record\(before == 1 ? "" : "s") before it "
            + "\(before == 1 ? "is" : "are") used, the 45 bytes from it on are not\n"
        // A run within one second of the clock is one row of data, and says it is padded.
        let padded = "\(segments): the load data in the range fits in one row of 1 s; a second row, with no data, "
            + "pads the trace to the two rows simulate needs\n"
        #expect(export.stderr == torn || export.stderr == torn + padded, "\(export.stderr)")
        let trace = try TraceParser.parse(Array(export.stdout.utf8))
        guard case let .serverLoads(names, _) = trace.series else {
            Issue.record("not a per-server trace: \(export.stdout)")
            return
        }
        #expect(names == ["a", "b"])
    }
}

private func fileSize(_ path: String) -> off_t {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_size : -1
}

import AutoscaledCore
import AutoscaledTestSupport
import FoundationEssentials
import Glibc
import Testing

@Suite("the policy trace suite: config/traces/suite.json and scripts/make-suite-traces.py", ExternalPeers.needs(.python3))
struct TraceSuiteTests {
    struct SuiteFile: Decodable {
        struct Entry: Decodable {
            var file: String
            var dir: String
            var C: Double
            var D: Int
            var split: String
        }

        var traces: [Entry]
    }

    @Test("the generator writes the same files twice; every suite trace reads as an offered-load trace; the halves and the fresh traces are declared")
    func suite() throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        defer {
            first.remove()
            second.remove()
        }
        let script = "\(repositoryRoot)/scripts/make-suite-traces.py"
        #expect(shell("python3 '\(script)' '\(first.path)/suite' && python3 '\(script)' '\(second.path)/suite'") == 0)
        #expect(shell("diff -r '\(first.path)/suite' '\(second.path)/suite' >/dev/null") == 0)
        let text = try #require(readFile("\(repositoryRoot)/config/traces/suite.json"))
        let suite = try JSONDecoder().decode(SuiteFile.self, from: Data(text.utf8))
        #expect(suite.traces.count >= 25)
        #expect(suite.traces.count(where: { $0.split == "train" }) >= 12)
        #expect(suite.traces.count(where: { $0.split == "test" }) >= 12)
        #expect(suite.traces.allSatisfy { ["train", "test", "fresh"].contains($0.split) })
        #expect(Set(suite.traces.map(\.file)).count == suite.traces.count)
        #expect(listing("\(first.path)/suite").count == suite.traces.count(where: { $0.dir == "suite" }))
        for entry in suite.traces {
            let path = entry.dir == "suite" ? "\(first.path)/suite/\(entry.file)"
                : "\(repositoryRoot)/config/traces/\(entry.dir)/\(entry.file)"
            let bytes = try #require(readFile(path), "\(entry.file) is missing")
            let trace = try TraceParser.parse(Array(bytes.utf8))
            #expect(trace.totalRequests.map { $0 > 0 } == true, "\(entry.file) is not an offered-load trace with requests")
            #expect(entry.C > 0 && entry.D >= 0)
        }
    }

    @Test("--draw N writes the drawn shapes again under other seeds: 0 is the files the reports read, 1 differs in every drawn trace at the same length and writes no recorded one; a bad --draw is refused")
    func draws() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let scripts = "\(repositoryRoot)/scripts"
        let suite = try JSONDecoder().decode(SuiteFile.self, from: Data(try #require(readFile("\(repositoryRoot)/config/traces/suite.json")).utf8))
        let recorded: Set = ["conv_rotated.csv", "code_rotated.csv", "functions_rotated.csv", "conv_plus_code.csv", "conv_three_phases.csv"]
        let drawn = Set(suite.traces.filter { $0.dir == "suite" }.map(\.file)).subtracting(recorded)
        for (script, zeroDirectory) in [("make-suite-traces.py", "\(dir.path)/suite0"),
                                        ("make-synthetic-traces.py", "\(repositoryRoot)/config/traces/synthetic")] {
            #expect(shell("python3 '\(scripts)/\(script)' --draw 0 '\(dir.path)/\(script)-0' && python3 '\(scripts)/\(script)' --draw 1 '\(dir.path)/\(script)-1'") == 0)
            if script == "make-suite-traces.py" {
                #expect(shell("python3 '\(scripts)/\(script)' '\(zeroDirectory)'") == 0)
                #expect(Set(listing("\(dir.path)/\(script)-1")) == drawn)
            }
            // Draw 0 is what the generator writes without --draw.
            #expect(shell("diff -r '\(zeroDirectory)' '\(dir.path)/\(script)-0' >/dev/null") == 0, "\(script) --draw 0")
            let names = listing("\(dir.path)/\(script)-1")
            #expect(!names.isEmpty)
            for name in names {
                let first = try TraceParser.parse(Array(try #require(readFile("\(dir.path)/\(script)-0/\(name)")).utf8))
                let second = try TraceParser.parse(Array(try #require(readFile("\(dir.path)/\(script)-1/\(name)")).utf8))
                #expect([first.start, first.binSeconds, first.binCount] == [second.start, second.binSeconds, second.binCount],
                        "\(script) --draw 1: \(name) has other bins")
                #expect(readFile("\(dir.path)/\(script)-0/\(name)") != readFile("\(dir.path)/\(script)-1/\(name)"),
                        "\(script) --draw 1: \(name) is the same draw")
                if script == "make-suite-traces.py" {
                    // A drawn trace says which draw it is; the suite's own says nothing more than before.
                    #expect(readText("\(dir.path)/\(script)-1/\(name)").hasPrefix("# \(name): made by scripts/make-suite-traces.py --draw 1 (see its header)\n"))
                    #expect(readText("\(dir.path)/\(script)-0/\(name)").hasPrefix("# \(name): made by scripts/make-suite-traces.py (see its header)\n"))
                }
            }
            for bad in ["--draw x '\(dir.path)/bad'", "--draw 1", "--draw -1 '\(dir.path)/bad'", "'\(dir.path)/a' '\(dir.path)/b'", "--drew 1 '\(dir.path)/bad'", "--draw ² '\(dir.path)/bad'"] {
                #expect(shell("python3 '\(scripts)/\(script)' \(bad) 2>'\(dir.path)/err.txt'") != 0, "\(script) \(bad) was accepted")
                #expect(readText("\(dir.path)/err.txt").hasPrefix("usage: \(script) [DIRECTORY] | --draw N DIRECTORY"), "\(script) \(bad)")
            }
        }
    }

    @Test("the suite report counts a scale-up as taken back when a scale-down follows it within 60 s, each scale-down taking back at most the latest")
    func takenBack() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let lines = [
            "ts=1970-01-01T00:00:00.000Z level=notice event=scale-up from=1 to=3",
            "ts=1970-01-01T00:00:30.000Z level=notice event=scale-down from=3 to=2",
            "ts=1970-01-01T00:01:40.000Z level=notice event=scale-up from=2 to=4",
            "ts=1970-01-01T00:01:50.000Z level=info event=limited want=3 held_by=scale_down_stabilization replicas=4",
            "ts=1970-01-01T00:02:41.000Z level=notice event=scale-down from=4 to=3",
            "ts=1970-01-01T00:03:20.000Z level=notice event=scale-up from=3 to=5",
            "ts=1970-01-01T00:03:30.000Z level=notice event=scale-up from=5 to=6",
            "ts=1970-01-01T00:04:10.000Z level=notice event=scale-down from=6 to=5",
            "ts=1970-01-01T00:04:15.000Z level=notice event=scale-down from=5 to=4",
            "replica-seconds         100",
        ]
        dir.write("decisions.txt", lines.joined(separator: "\n"))
        let result = runCheck("print(report.taken_back(open('decisions.txt').read()))", in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        // Four scale-ups: the first taken back at 30 s, the second not (61 s), the fourth at 40 s,
        // and the last scale-down takes back nothing more.
        #expect(result.stdout == "(4, 2)\n")
    }

    @Test("reports run at once keep every frontier row each one drew; a write that fails leaves the file as it was and no part of it")
    func frontiersKeptByRunsAtOnce() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // 40 runs, 8 at a time, each keeping the one row it drew: a run that wrote only its own
        // rows, or wrote over a file another run had read, would leave fewer than 40.
        let result = runCheck("""
            import multiprocessing, os
            from trace_shapes import write_whole
            path = os.path.join("kept", "frontiers.json")

            def keep(index):
                report.keep_frontiers(path, {f"{index:032x}:1:120:1:hpa{report.frontier_key_end()}": [[0.0, index, 0]]})

            def failing():
                yield "half of a file"
                raise OSError("the disk is full")

            if __name__ == "__main__":
                with multiprocessing.get_context("fork").Pool(8) as pool:
                    pool.map(keep, range(40))
                kept = report.load_frontiers(path)
                print(len(kept), sorted(rows[0][1] for rows in kept.values()) == list(range(40)))
                try:
                    write_whole(path, failing())
                except OSError:
                    pass
                print(report.load_frontiers(path) == kept, sorted(os.listdir("kept")))
            """, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "40 True\nTrue ['frontiers.json', 'frontiers.json.lock']\n")
    }

    @Test("a write killed outright (SIGKILL) leaves its part beside the file; the next write of that file removes it, and not a running writer's")
    func orphanedPartsRemoved() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        mkdir(dir.file("out"), 0o755)
        let result = runCheck("""
            import os, signal, subprocess
            from trace_shapes import write_whole
            path = os.path.join("out", "trace.csv")

            def killed_midway():
                yield "t_seconds,requests\\n"
                os.kill(os.getpid(), signal.SIGKILL)

            child = os.fork()
            if child == 0:
                write_whole(path, killed_midway())
                os._exit(0)
            os.waitpid(child, 0)
            running = subprocess.Popen(["sleep", "60"])
            try:
                open(f"{path}.{running.pid}.part", "w").write("t_seconds,requests\\n")
                print(sorted(os.listdir("out")) == sorted([f"trace.csv.{child}.part", f"trace.csv.{running.pid}.part"]))
                write_whole(path, ["t_seconds,requests\\n", "0,1\\n"])
                print(sorted(os.listdir("out")) == sorted(["trace.csv", f"trace.csv.{running.pid}.part"]),
                      open(path).read() == "t_seconds,requests\\n0,1\\n")
            finally:
                running.kill()
                running.wait()
            """, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "True\nTrue True\n")
    }

    @Test("kept frontiers that are not rows (cut short, not UTF-8, a row of another shape) are said so and drawn again, and the file is written anew")
    func faultyFrontiersDrawnAgain() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let result = runCheck("""
            path = "frontiers.json"
            row = {"0" * 32 + ":1:120:1:hpa" + report.frontier_key_end(): [[0.5, 120, 3]]}
            for faulty in [b'{"k": [[0.5, 120, 3]]', b'\\xff\\xfe', b'{"k": [[0.5, 120]]}', b'{"k": []}', b'[1, 2]', b'{"k": [[true, 1, 2]]}']:
                open(path, "wb").write(faulty)
                read = report.load_frontiers(path)
                report.keep_frontiers(path, row)
                print(read, report.load_frontiers(path) == row)
            """, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == String(repeating: "{} True\n", count: 6))
        let said = result.stderr.split(separator: "\n")
        // Once each, when read, naming the file; not again when the run's rows are written over it.
        #expect(said.count == 6)
        #expect(said.allSatisfy { $0.hasPrefix("policy-report: frontiers.json: ") && $0.hasSuffix("; the kept frontiers are drawn again") })
        #expect(said[0].contains("Expecting ',' delimiter"))
        #expect(said[1].contains("can't decode byte 0xff"))
        #expect(said[2].contains("not an object of frontier rows"))
    }

    /// Runs the Python `check` with python3 in `dir` (its working directory), `scripts/` on its path
    /// and `scripts/policy-report.py` loaded as `report`: its exit status, standard output and error.
    func runCheck(_ check: String, in dir: TemporaryDirectory) -> (status: Int32, stdout: String, stderr: String) {
        dir.write("check.py", """
            import importlib.util, sys
            sys.path.insert(0, "\(repositoryRoot)/scripts")
            spec = importlib.util.spec_from_file_location("report", "\(repositoryRoot)/scripts/policy-report.py")
            report = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(report)

            """ + check + "\n")
        let status = shell("cd '\(dir.path)' && python3 check.py > out.txt 2> err.txt")
        return (status, readText(dir.file("out.txt")), readText(dir.file("err.txt")))
    }
}

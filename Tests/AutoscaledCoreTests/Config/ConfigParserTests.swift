@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct ConfigParserTests {
    static let example = """
        # autoscaled.conf — scales a pool of servers on their load.

        [source]
        type = file                 # the only source type for now
        path = loads.json           ; relative to this file's directory
        format = lines
        poll_interval = 2s
        stale_after = 1min 30s

        [policy]
        scale_up_threshold = 75.5
        scale_down_threshold = 20
        min_replicas = 2
        max_replicas = 12
        initial_replicas = 4
        max_scale_up_per_minute = 3
        max_scale_down_per_minute = 2
        scale_up_cooldown = 45s
        scale_down_stabilization = 10min

        [state]
        path = "/var/lib/autoscaled/state.json"

        [log]
        level = notice
        format = json
        """

    @Test("the example config parses to the expected config")
    func example() throws {
        let config = try ConfigParsing.parse(Self.example).get()
        #expect(config == modified(ConfigParsing.defaults()) {
            ($0.source.format, $0.source.pollInterval, $0.source.staleAfter) = (.lines, .seconds(2), .seconds(90))
            ($0.policy.scaleUpThreshold, $0.policy.scaleDownThreshold, $0.policy.targetLoad) = (75.5, 20, 75.5)
            ($0.policy.minReplicas, $0.policy.maxReplicas, $0.policy.initialReplicas) = (2, 12, 4)
            ($0.policy.maxScaleUpPerMinute, $0.policy.maxScaleDownPerMinute) = (3, 2)
            ($0.policy.scaleUpCooldown, $0.policy.scaleDownStabilization) = (.seconds(45), .seconds(600))
            $0.policy.tick = .seconds(2)
            $0.log = LogConfig(level: .notice, format: .json)
        })
    }

    @Test("a problem with the state file is told at the line of [state] path, or at the file when the path is the default")
    func stateFault() throws {
        let given = try ConfigParsing.parse(Self.example).get().state
        #expect(given.fault("locked", configPath: "/etc/a.conf") == "/etc/a.conf:22: [state] path /var/lib/autoscaled/state.json: locked")
        let defaulted = try ConfigParsing.parse("[source]\npath = /run/loads.json").get().state
        #expect(defaulted.pathLine == nil)
        #expect(defaulted.fault("locked", configPath: "/etc/a.conf") == "/etc/a.conf: [state] path \(defaulted.path): locked")
    }

    @Test("a config file's name holding a newline or a control character is escaped in its errors")
    func fileNameEscaped() {
        #expect(ConfigError(file: "ok\n/a.conf", line: 3, message: "bad").description == #"ok\n/a.conf:3: bad"#)
        #expect(ConfigError(file: "a\u{1b}[31m.conf", line: nil, message: "bad").description == #"a\u{1b}[31m.conf: bad"#)
        #expect(ConfigError(file: "/etc/autoscaled/é.conf", line: 1, message: "bad").description == "/etc/autoscaled/é.conf:1: bad")
    }

    @Test("at most 50 errors are told, then how many more there are, in a file of thousands of bad lines")
    func errorsBounded() {
        let lines = ["[source]", "path = /x"] + (0..<5000).map { "unknown_\($0) = 1" }
        let errors = ConfigParsing.errorLines(lines)
        #expect(errors.count == 51)
        #expect(errors.first?.hasPrefix("autoscaled.conf:3: unknown key 'unknown_0' in [source]") == true)
        #expect(errors[49].hasPrefix("autoscaled.conf:52: unknown key 'unknown_49' in [source]"))
        #expect(errors.last == "autoscaled.conf: 4950 more errors not shown (the first 50 are told)")
        // The count (a reload's errors=) is every error, not the lines told.
        guard case let .failure(all) = ConfigParsing.parse(lines.joined(separator: "\n")) else {
            Issue.record("thousands of bad lines parsed")
            return
        }
        #expect(all.count == 5000)
        let record = LogRecord.reloadFailed(config: "c", causes: all.errors.map(\.description), count: all.count)
        #expect(record.fields.first(where: { $0.key == "errors" })?.value == .int(5000))
        guard case let .failure(few) = ConfigParsing.parse("[source]\npath = /x\nbad = 1\nworse = 2") else {
            Issue.record("two bad lines parsed")
            return
        }
        #expect(few.count == 2 && few.errors.count == 2)
    }

    @Test("only the source path is needed; everything else takes its default")
    func defaults() throws {
        #expect(try ConfigParsing.parse("[source]\npath = /run/loads.json").get() == ConfigParsing.defaults(path: "/run/loads.json"))
    }

    @Test("stale_after = 0 means never stale")
    func staleAfterZero() throws {
        let config = try ConfigParsing.parse("[source]\npath = l\nstale_after = 0").get()
        #expect(config.source.staleAfter == nil)
    }

    @Test("CRLF line ends and a byte order mark are tolerated")
    func crlfAndBom() throws {
        let text = "\u{FEFF}" + Self.example.split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\r\n")
        #expect(try ConfigParsing.parse(text).get() == ConfigParsing.parse(Self.example).get())
    }

    @Test("a section may appear twice; its keys add up")
    func repeatedSection() throws {
        let config = try ConfigParsing.parse("[policy]\nmin_replicas = 2\n[source]\npath = l\n[policy]\nmax_replicas = 5").get()
        #expect(config.policy.minReplicas == 2)
        #expect(config.policy.maxReplicas == 5)
    }

    @Test("relative paths are resolved against the config's directory and normalised", arguments: [
        ("loads.json", "/etc/autoscaled/loads.json"),
        ("\"loads.json\"", "/etc/autoscaled/loads.json"),
        ("../../run/autoscaled/loads.json", "/run/autoscaled/loads.json"),
        ("data/./loads.json", "/etc/autoscaled/data/loads.json"),
        ("//srv//loads.json", "/srv/loads.json"),
        ("\"/srv/with space.json\"", "/srv/with space.json"),
        ("/srv/with space.json", "/srv/with space.json"),
        ("\"/srv/a # b.json\"   # comment", "/srv/a # b.json"),
        ("/srv/a#b.json", "/srv/a#b.json"),
    ])
    func relativePaths(_ written: String, _ resolved: String) throws {
        let config = try ConfigParsing.parse("[source]\npath = \(written)").get()
        #expect(config.source.kind == .file(path: resolved))
        #expect(try ConfigParsing.parse("[source]\npath = l\n[state]\npath = \(written)").get().state.path == resolved)
    }

    @Test("the directory given is the one paths are resolved against")
    func otherDirectory() throws {
        let config = try ConfigParser.parse("[source]\npath = l.json\n[state]\npath = s.json",
                                            file: "x.conf", directory: "/opt/app/conf/").get()
        #expect(config.source.kind == .file(path: "/opt/app/conf/l.json"))
        #expect(config.state.path == "/opt/app/conf/s.json")
    }

    @Test("numbers in every decimal spelling are read", arguments: [
        ("60", 60.0), ("60.0", 60), ("+60", 60), ("60.", 60), (".5", 0.5), ("1e2", 100), ("2.5E-1", 0.25),
    ])
    func numbers(_ text: String, _ expected: Double) throws {
        let config = try ConfigParsing.parse("[source]\npath = l\n[policy]\nscale_up_threshold = \(text)\nscale_down_threshold = 0")
            .get()
        #expect(config.policy.scaleUpThreshold == expected)
    }

    @Test("a negative scale_down_threshold (no scale-down) and zero minimum are allowed")
    func edges() throws {
        let config = try ConfigParsing.parse("""
            [source]
            path = l
            [policy]
            scale_up_threshold = 1
            scale_down_threshold = -2.5
            min_replicas = 0
            initial_replicas = 0
            max_replicas = 1
            """).get()
        #expect(config.policy.scaleDownThreshold == -2.5)
        #expect(config.policy.minReplicas == 0)
        #expect(config.policy.initialReplicas == 0)
    }

    @Test("every log level name is accepted", arguments: LogLevel.allCases)
    func logLevels(_ level: LogLevel) throws {
        #expect(try ConfigParsing.parse("[source]\npath = l\n[log]\nlevel = \(level.name)").get().log.level == level)
    }

    @Test("a path the kernel would refuse as too long (a name, the whole, or the temporary file it is written through) is a config error")
    func pathsTooLong() throws {
        /// The one error line of `lines`, split at the quoted path: what comes before it, and after.
        func error(_ lines: [String]) throws -> (before: String, after: String) {
            let errors = ConfigParsing.errorLines(lines)
            #expect(errors.count == 1, "\(errors)")
            let line = try #require(errors.first)
            let after = try #require(line.range(of: "…' "))
            return (String(line[..<after.lowerBound]), String(line[after.upperBound...]))
        }
        let name = String(repeating: "n", count: 256)
        let state = try error(["[source]", "path = /x", "[state]", "path = /var/\(name)/state.json"])
        #expect(state.before.hasPrefix("autoscaled.conf:4: [state] path '/var/nnn"))
        #expect(state.after == "has a name of 256 bytes in it ('nnnnnnnnnnnnnnnnnnnnnnnn'…), more than the 255 a file name may have")
        let deep = String(repeating: "/" + String(repeating: "d", count: 200), count: 21)
        let source = try error(["[source]", "path = \(deep)/loads.json"])
        #expect(source.before.hasPrefix("autoscaled.conf:2: [source] path '/ddd"))
        #expect(source.after == "is 4232 bytes long, more than the 4095 a path may have")
        // 232 bytes: its temporary file, .NAME.autoscaled-tmp.PID, would have 256.
        let written = String(repeating: "m", count: 232)
        let metrics = try error(["[source]", "path = /x", "[metrics]", "textfile = /m/\(written)"])
        #expect(metrics.before.hasPrefix("autoscaled.conf:4: [metrics] textfile '/m/mmm"))
        #expect(metrics.after == "has a file name of 232 bytes: it is written through a temporary file whose name is 24 bytes "
            + "longer (.NAME.autoscaled-tmp.PID), more than the 255 a file name may have")
        // One byte less is written; a file only read may have a name of 255 bytes.
        #expect(ConfigParsing.errorLines(["[source]", "path = /x", "[metrics]", "textfile = /m/\(written.dropFirst())"]).isEmpty)
        #expect(ConfigParsing.errorLines(["[source]", "path = /x/\(name.dropFirst())"]).isEmpty)
        // The pause file (state.json.pause) is written by `pause` through a temporary file too.
        let stateName = String(repeating: "s", count: 226)
        let pause = try error(["[source]", "path = /x", "[state]", "path = /v/\(stateName)"])
        #expect(pause.before.hasPrefix("autoscaled.conf:4: the pause file beside [state] path '/v/sss"))
        #expect(pause.after.hasPrefix("has a file name of 232 bytes"))
        #expect(ConfigParsing.errorLines(["[source]", "path = /x", "[state]", "path = /v/\(stateName.dropFirst())"]).isEmpty)
    }
}

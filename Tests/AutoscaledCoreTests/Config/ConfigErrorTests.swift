import Testing
@testable import AutoscaledCore

struct ConfigErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let lines: [String]
        let errors: [String]
        var testDescription: String { name }
    }

    /// Each case's first lines give the required source path, so only the fault under test shows.
    @Test("each fault gives one exact message", arguments: [
        Case(name: "a misspelt section gets a suggestion",
             lines: ["[source]", "path = l", "[polcy]", "min_replicas = 2"],
             errors: ["autoscaled.conf:3: unknown section [polcy] (did you mean [policy]?)"]),
        Case(name: "an unknown section lists the known ones",
             lines: ["[source]", "path = l", "[prometheus]", "listen = :9100"],
             errors: ["autoscaled.conf:3: unknown section [prometheus] (expected one of [source], [policy], [state], [history], [log], [metrics], [actuator])"]),
        Case(name: "a misspelt key gets a suggestion",
             lines: ["[source]", "path = l", "[policy]", "scale_up_treshold = 60"],
             errors: ["autoscaled.conf:4: unknown key 'scale_up_treshold' in [policy] (did you mean 'scale_up_threshold'?)"]),
        Case(name: "a key of another section says where it belongs",
             lines: ["[source]", "path = l", "min_replicas = 2"],
             errors: ["autoscaled.conf:3: unknown key 'min_replicas' in [source] (it belongs in [policy])"]),
        Case(name: "a key of several other sections names them all",
             lines: ["[source]", "path = l", "[metrics]", "path = m.prom"],
             errors: ["autoscaled.conf:4: unknown key 'path' in [metrics] (it is a key of [source], [state], [history] and [actuator])"]),
        Case(name: "a second '=' where the value starts is a typo, whatever the key's type",
             lines: ["[source]", "path == l", "[policy]", "max_replicas = = 5", "target_load = \"=5\""],
             errors: ["autoscaled.conf:1: missing key 'path' in [source] (required with type = file)",
                      "autoscaled.conf:2: 'path == l' has a second '=' where its value starts (quote a value that starts with '=')",
                      "autoscaled.conf:4: 'max_replicas = = 5' has a second '=' where its value starts (quote a value that starts with '=')",
                      "autoscaled.conf:5: target_load: '\"=5\"' is not a number (expected a finite number, e.g. 50)"]),
        Case(name: "a misspelt key of another section gets a suggestion there",
             lines: ["[source]", "path = l", "min_replica = 2"],
             errors: ["autoscaled.conf:3: unknown key 'min_replica' in [source] (did you mean 'min_replicas' in [policy]?)"]),
        Case(name: "an unknown key lists the section's keys",
             lines: ["[source]", "path = l", "[log]", "colour = yes"],
             errors: ["autoscaled.conf:4: unknown key 'colour' in [log] (known keys: level, format)"]),
        Case(name: "a section's keys are listed once, however many keys of it are unknown",
             lines: ["[source]", "path = l", "[log]", "colour = yes", "shade = no", "[policy]", "hue = 1", "[log]", "tint = 1"],
             errors: ["autoscaled.conf:4: unknown key 'colour' in [log] (known keys: level, format)",
                      "autoscaled.conf:5: unknown key 'shade' in [log] (its known keys are listed above)",
                      "autoscaled.conf:7: unknown key 'hue' in [policy] (known keys: "
                          + ConfigSchema.keys.map(\.key).filter { $0.section == "policy" }.map(\.name).joined(separator: ", ") + ")",
                      "autoscaled.conf:9: unknown key 'tint' in [log] (its known keys are listed above)"]),
        Case(name: "a key given twice names the first line",
             lines: ["[source]", "path = l", "[policy]", "min_replicas = 1", "max_replicas = 5", "min_replicas = 2"],
             errors: ["autoscaled.conf:6: min_replicas given twice (first on line 4)"]),
        Case(name: "a line that is no assignment, section or comment",
             lines: ["[source]", "foo bar", "path = l"],
             errors: ["autoscaled.conf:2: expected 'key = value', '[section]' or a comment, got 'foo bar'"]),
        Case(name: "an unclosed section header",
             lines: ["[source", "path = l"],
             errors: ["autoscaled.conf:1: expected '[section]', got '[source'",
                      "autoscaled.conf: missing key 'path' in [source] (required with type = file)"]),
        Case(name: "keys under a broken header are of no section, not of the one before it",
             lines: ["[source]", "path = l", "[state]", "path = s.json", "[policy", "max_replicas = 5", "[log] x", "level = debug"],
             errors: ["autoscaled.conf:5: expected '[section]', got '[policy'", "autoscaled.conf:7: expected '[section]', got '[log] x'"]),
        Case(name: "a header after a byte order mark in the middle of the file is broken, its keys of no section",
             lines: ["[source]", "path = l", "\u{FEFF}[policy]", "max_replicas = 5"],
             errors: ["autoscaled.conf:3: a byte order mark (U+FEFF) before '[policy]': only the file's first line may start with one"]),
        Case(name: "a history max_size below the smallest",
             lines: ["[source]", "path = l", "[history]", "max_size = 512K"],
             errors: ["autoscaled.conf:4: max_size: '512K' must be at least 1MiB"]),
        Case(name: "a history max_size beyond what 64 bits count names the bound",
             lines: ["[source]", "path = l", "[history]", "max_size = 8388608T"],
             errors: ["autoscaled.conf:4: max_size: '8388608T' is too large: a size is at most 2^63 - 1 bytes (8388607T) "
                      + "(expected a whole number of bytes, or of K, M, G or T, at least 1MiB, e.g. 64M)"]),
        Case(name: "a history max_size with an unknown unit",
             lines: ["[source]", "path = l", "[history]", "max_size = 64 megs"],
             errors: ["autoscaled.conf:4: max_size: '64 megs' has an unknown unit 'megs' "
                      + "(expected a whole number of bytes, or of K, M, G or T, at least 1MiB, e.g. 64M)"]),
        Case(name: "a history max_size of two numbers",
             lines: ["[source]", "path = l", "[history]", "max_size = 64 1"],
             errors: ["autoscaled.conf:4: max_size: '64 1' is not a size "
                      + "(expected a whole number of bytes, or of K, M, G or T, at least 1MiB, e.g. 64M)"]),
        Case(name: "a history max_size that is not a whole number",
             lines: ["[source]", "path = l", "[history]", "max_size = 1.5G"],
             errors: ["autoscaled.conf:4: max_size: '1.5G' is not a size "
                      + "(expected a whole number of bytes, or of K, M, G or T, at least 1MiB, e.g. 64M)"]),
        Case(name: "a history retention of zero",
             lines: ["[source]", "path = l", "[history]", "retention = 0"],
             errors: ["autoscaled.conf:4: retention: '0' must be greater than 0"]),
        Case(name: "history enabled that is no boolean",
             lines: ["[source]", "path = l", "[history]", "enabled = sometimes"],
             errors: ["autoscaled.conf:4: enabled: 'sometimes' is not a boolean (expected true, false, yes, no, on, off, 1 or 0)"]),
        Case(name: "a key before any section",
             lines: ["level = debug", "[source]", "path = l"],
             errors: ["autoscaled.conf:1: key 'level' comes before any [section]"]),
        Case(name: "an empty value",
             lines: ["[source]", "path = l", "poll_interval ="],
             errors: ["autoscaled.conf:3: poll_interval: empty value (expected a duration, e.g. 10s)"]),
        Case(name: "a value that is only a comment is empty",
             lines: ["[source]", "path = l", "[log]", "level = # later"],
             errors: ["autoscaled.conf:4: level: empty value (expected one of debug, info, notice, warning, error)"]),
        Case(name: "an empty quoted path",
             lines: ["[source]", "path = \"\""],
             errors: ["autoscaled.conf:2: path: '\"\"' is empty (expected a path, e.g. /run/autoscaled/loads.json)"]),
        Case(name: "a path starting with '~'",
             lines: ["[source]", "path = ~/loads.json"],
             errors: ["autoscaled.conf:2: path: '~/loads.json' starts with '~', which is not expanded "
                      + "(expected an absolute path or one relative to the config file)"]),
        Case(name: "a word where a number belongs",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = abc"],
             errors: ["autoscaled.conf:4: scale_up_threshold: 'abc' is not a number (expected a finite number, e.g. 50)"]),
        Case(name: "NaN is not a finite number",
             lines: ["[source]", "path = l", "[policy]", "scale_down_threshold = nan"],
             errors: ["autoscaled.conf:4: scale_down_threshold: 'nan' is not a finite number (expected a finite number, e.g. 35)"]),
        Case(name: "infinity is not a finite number",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = -inf"],
             errors: ["autoscaled.conf:4: scale_up_threshold: '-inf' is not a finite number (expected a finite number, e.g. 50)"]),
        Case(name: "a number too large for a double is not finite",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = 1e999"],
             errors: ["autoscaled.conf:4: scale_up_threshold: '1e999' is not a finite number (expected a finite number, e.g. 50)"]),
        Case(name: "hexadecimal is not a number",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = 0x10"],
             errors: ["autoscaled.conf:4: scale_up_threshold: '0x10' is not a number (expected a finite number, e.g. 50)"]),
        Case(name: "a fraction where an integer belongs",
             lines: ["[source]", "path = l", "[policy]", "min_replicas = 1.5"],
             errors: ["autoscaled.conf:4: min_replicas: '1.5' is not an integer (expected an integer from 0 to 1000000, e.g. 1)"]),
        Case(name: "a negative replica count",
             lines: ["[source]", "path = l", "[policy]", "min_replicas = -1"],
             errors: ["autoscaled.conf:4: min_replicas: '-1' must be at least 0"]),
        Case(name: "zero max_replicas",
             lines: ["[source]", "path = l", "[policy]", "max_replicas = 0", "min_replicas = 0", "initial_replicas = 0"],
             errors: ["autoscaled.conf:4: max_replicas: '0' must be at least 1"]),
        Case(name: "zero scale rates",
             lines: ["[source]", "path = l", "[policy]", "max_scale_up_per_minute = 0", "max_scale_down_per_minute = 0"],
             errors: ["autoscaled.conf:4: max_scale_up_per_minute: '0' must be at least 1",
                      "autoscaled.conf:5: max_scale_down_per_minute: '0' must be at least 1"]),
        Case(name: "a percentage over 100",
             lines: ["[source]", "path = l", "[policy]", "max_scale_down_percent_per_minute = 150"],
             errors: ["autoscaled.conf:4: max_scale_down_percent_per_minute (150) must be between 0 (off) and 100"]),
        Case(name: "the removed per-evaluation steps say what replaces them",
             lines: ["[source]", "path = l", "[policy]", "max_scale_up_step = 4", "scale_down_step = 1"],
             errors: ["autoscaled.conf:4: max_scale_up_step was removed: scale-ups are limited per minute, not per "
                          + "evaluation: use max_scale_up_per_minute",
                      "autoscaled.conf:5: scale_down_step was removed: scale-downs are limited per minute, not per "
                          + "evaluation: use max_scale_down_per_minute (and max_scale_down_percent_per_minute)"]),
        Case(name: "counts that are not replicas are bounded as replica counts are",
             lines: ["[source]", "path = l", "failure_threshold = 9223372036854775807", "[metrics]", "max_series = 1000001"],
             errors: ["autoscaled.conf:3: failure_threshold: '9223372036854775807' must be at most 1000000",
                      "autoscaled.conf:5: max_series: '1000001' must be at most 1000000"]),
        Case(name: "a removed key in another section still says what replaces it",
             lines: ["[source]", "path = l", "scale_down_step = 1"],
             errors: ["autoscaled.conf:3: unknown key 'scale_down_step' in [source]: scale_down_step was a key of [policy], "
                          + "and was removed: scale-downs are limited per minute, not per evaluation: use "
                          + "max_scale_down_per_minute (and max_scale_down_percent_per_minute)"]),
        Case(name: "a quote never closed: where the value and a comment end is not guessed",
             lines: ["[source]", "path = \"unterminated # x"],
             errors: ["autoscaled.conf:2: path: '\"unterminated # x' has an unterminated double quote"]),
        Case(name: "a quote closed with text after it: not wholly quoted, and not guessed either",
             lines: ["[source]", "path = l", "[state]", "path = \"x.json\" junk"],
             errors: ["autoscaled.conf:4: path: '\"x.json\" junk' has text after its closing double quote (quote the "
                          + "whole value, or none of it)"]),
        Case(name: "a quoted value of any type is read without its quotes, and a wrong one is still wrong",
             lines: ["[source]", "path = l", "poll_interval = \"1s\"", "[policy]", "max_replicas = '5'", "[history]",
                     "enabled = \"true\"", "[log]", "level = 'debug'", "format = \"xml\""],
             errors: ["autoscaled.conf:10: format: '\"xml\"' is not a valid choice (expected one of logfmt, json)"]),
        Case(name: "a single quote never closed",
             lines: ["[source]", "path = l", "[actuator]", "type = systemd", "unit = 'llama@{i}.service"],
             errors: ["autoscaled.conf:5: unit: '\\'llama@{i}.service' has an unterminated single quote"]),
        Case(name: "durations with a slip in them",
             lines: ["[source]", "path = l", "poll_interval = 5s5", "stale_after = 1..5s"],
             errors: ["autoscaled.conf:3: poll_interval: '5s5' is not a duration (expected a duration, e.g. 10s)",
                      "autoscaled.conf:4: stale_after: '1..5s' is not a duration (expected a duration, e.g. 1min)"]),
        Case(name: "a trend that must be observed for longer than its window",
             lines: ["[source]", "path = l", "[policy]", "trend_window = 1min", "trend_min_span = 2min"],
             errors: ["autoscaled.conf:5: trend_min_span (2min) must be at most trend_window (1min): "
                          + "the trend is observed within the window"]),
        Case(name: "an integer too large for 64 bits",
             lines: ["[source]", "path = l", "[policy]", "max_replicas = 99999999999999999999"],
             errors: ["autoscaled.conf:4: max_replicas: '99999999999999999999' must be at most 1000000"]),
        Case(name: "a word where a duration belongs",
             lines: ["[source]", "path = l", "poll_interval = fast"],
             errors: ["autoscaled.conf:3: poll_interval: 'fast' is not a duration (expected a duration, e.g. 10s)"]),
        Case(name: "an unknown duration unit",
             lines: ["[source]", "path = l", "[policy]", "scale_up_cooldown = 5 parsecs"],
             errors: ["autoscaled.conf:4: scale_up_cooldown: '5 parsecs' has an unknown unit 'parsecs' "
                      + "(expected a duration in us, ms, s, min, h or d, e.g. 1min)"]),
        Case(name: "a negative duration",
             lines: ["[source]", "path = l", "[policy]", "scale_down_stabilization = -5min"],
             errors: ["autoscaled.conf:4: scale_down_stabilization: '-5min' must not be negative (expected a duration, e.g. 5min)"]),
        Case(name: "a duration below the finest step",
             lines: ["[source]", "path = l", "poll_interval = 0.4us"],
             errors: ["autoscaled.conf:3: poll_interval: '0.4us' is less than 1us, the finest step of a duration, and so 0, "
                 + "where it must be greater than 0"]),
        Case(name: "a poll shorter than the shortest",
             lines: ["[source]", "path = l", "poll_interval = 9999us"],
             errors: ["autoscaled.conf:3: poll_interval: '9999us' must be at least 10ms"]),
        Case(name: "minus zero is zero",
             lines: ["[source]", "path = l", "poll_interval = -0"],
             errors: ["autoscaled.conf:3: poll_interval: '-0' must be greater than 0"]),
        Case(name: "a duration past the largest names the bound",
             lines: ["[source]", "path = l", "poll_interval = 106751991167d"],
             errors: ["autoscaled.conf:3: poll_interval: '106751991167d' must be at most 365d"]),
        Case(name: "a non-finite duration",
             lines: ["[source]", "path = l", "stale_after = infinity"],
             errors: ["autoscaled.conf:3: stale_after: 'infinity' is not a finite duration (expected a duration, e.g. 1min)"]),
        Case(name: "zero poll_interval",
             lines: ["[source]", "path = l", "poll_interval = 0"],
             errors: ["autoscaled.conf:3: poll_interval: '0' must be greater than 0"]),
        Case(name: "an unknown choice lists the choices",
             lines: ["[source]", "path = l", "format = yaml"],
             errors: ["autoscaled.conf:3: format: 'yaml' is not a valid choice (expected one of json, lines, prometheus, haproxy)"]),
        Case(name: "a close choice gets a suggestion",
             lines: ["[source]", "path = l", "[log]", "level = warn"],
             errors: ["autoscaled.conf:4: level: 'warn' is not a valid choice "
                      + "(expected one of debug, info, notice, warning, error; did you mean 'warning'?)"]),
        Case(name: "an unknown source type",
             lines: ["[source]", "type = kafka", "path = l"],
             errors: ["autoscaled.conf:2: type: 'kafka' is not a valid choice (expected one of file, unix, tcp, http)"]),
        Case(name: "scale_down_threshold not below scale_up_threshold",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = 50", "scale_down_threshold = 60"],
             errors: ["autoscaled.conf:5: scale_down_threshold (60) must be below scale_up_threshold (50)"]),
        Case(name: "equal thresholds, named on the later line",
             lines: ["[source]", "path = l", "[policy]", "scale_down_threshold = 40.5", "scale_up_threshold = 40.5"],
             errors: ["autoscaled.conf:5: scale_down_threshold (40.5) must be below scale_up_threshold (40.5)"]),
        Case(name: "a threshold against the other's default",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = 10"],
             errors: ["autoscaled.conf:4: scale_down_threshold (35, not set: its default) must be below scale_up_threshold (10)"]),
        Case(name: "a target_load never written follows scale_up_threshold, and says so",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = 0", "scale_down_threshold = -1"],
             errors: ["autoscaled.conf:4: target_load (0, not set: scale_up_threshold's) must be above 0 "
                 + "(replicas are sized as total load / target_load)"]),
        Case(name: "min_replicas above max_replicas",
             lines: ["[source]", "path = l", "[policy]", "max_replicas = 3", "min_replicas = 5"],
             errors: ["autoscaled.conf:5: min_replicas (5) must not be above max_replicas (3)"]),
        Case(name: "initial_replicas above max_replicas",
             lines: ["[source]", "path = l", "[policy]", "initial_replicas = 12"],
             errors: ["autoscaled.conf:4: initial_replicas (12) must be between min_replicas (1, not set: its default) and max_replicas (10, not set: its default)"]),
        Case(name: "the default initial_replicas below a raised minimum",
             lines: ["[source]", "path = l", "[policy]", "min_replicas = 5"],
             errors: ["autoscaled.conf:4: initial_replicas (3, not set: its default) must be between min_replicas (5) and max_replicas (10, not set: its default)"]),
        Case(name: "a missing source path",
             lines: ["[source]", "format = json"],
             errors: ["autoscaled.conf:1: missing key 'path' in [source] (required with type = file)"]),
        Case(name: "an empty file lacks the source path",
             lines: [""],
             errors: ["autoscaled.conf: missing key 'path' in [source] (required with type = file)"]),
        Case(name: "control characters in a bad value are escaped",
             lines: ["[source]", "path = l", "[policy]", "scale_up_threshold = 5\u{1B}[2J\t0\u{7}"],
             errors: ["autoscaled.conf:4: scale_up_threshold: '5\\u{1b}[2J\\t0\\u{7}' is not a number "
                      + "(expected a finite number, e.g. 50)"]),
        Case(name: "a very long bad value is cut",
             lines: ["[source]", "path = l", "poll_interval = " + String(repeating: "x", count: 100)],
             errors: ["autoscaled.conf:3: poll_interval: '" + String(repeating: "x", count: 64)
                      + "…' is not a duration (expected a duration, e.g. 10s)"]),
    ])
    func singleFault(_ testCase: Case) {
        #expect(ConfigParsing.errorLines(testCase.lines) == testCase.errors)
    }

    @Test("every fault of a file is reported, in file order; a missing key at its section's header")
    func severalFaults() {
        let lines = [
            "oops = 1",                          // 1 key before any section
            "[source]",                          // 2
            "poll_interval = 0",                 // 3
            "[polcy]",                           // 4 unknown section
            "min_replicas = 9",                  // 5 skipped: its section is unknown
            "[policy]",                          // 6
            "scale_down_threshold = 80",         // 7
            "scale_up_threshold = abc",          // 8 bad number: no threshold comparison
            "min_replicas = 4",                  // 9
            "max_replicas = 2",                  // 10 min above max
            "min_replicas = 1",                  // 11 twice
            "what is this",                      // 12
            "[log]",                             // 13
            "level = loud",                      // 14
        ]
        #expect(ConfigParsing.errorLines(lines) == [
            "autoscaled.conf:1: key 'oops' comes before any [section]",
            "autoscaled.conf:2: missing key 'path' in [source] (required with type = file)",
            "autoscaled.conf:3: poll_interval: '0' must be greater than 0",
            "autoscaled.conf:4: unknown section [polcy] (did you mean [policy]?)",
            "autoscaled.conf:8: scale_up_threshold: 'abc' is not a number (expected a finite number, e.g. 50)",
            "autoscaled.conf:10: min_replicas (4) must not be above max_replicas (2)",
            "autoscaled.conf:11: min_replicas given twice (first on line 9)",
            "autoscaled.conf:12: expected 'key = value', '[section]' or a comment, got 'what is this'",
            "autoscaled.conf:14: level: 'loud' is not a valid choice (expected one of debug, info, notice, warning, error)",
        ])
    }

    @Test("rules between keys do not hide one another: a bad target_load, crossed bounds and counts beyond both are all reported")
    func relationsReportedTogether() {
        let lines = [
            "[source]", "path = l", "[policy]",
            "scale_up_threshold = 10",           // 4
            "scale_down_threshold = 20",         // 5 the band is inverted
            "target_load = -5",                  // 6 below 0 whatever the band
            "min_replicas = 3",                  // 7
            "max_replicas = 2",                  // 8 the bounds are crossed
            "initial_replicas = 99",             // 9 beyond both bounds
            "fallback_replicas = 2",             // 10 within them: the crossed bounds are the fault
        ]
        #expect(ConfigParsing.errorLines(lines) == [
            "autoscaled.conf:5: scale_down_threshold (20) must be below scale_up_threshold (10)",
            "autoscaled.conf:6: target_load (-5) must be above 0 (replicas are sized as total load / target_load)",
            "autoscaled.conf:8: min_replicas (3) must not be above max_replicas (2)",
            "autoscaled.conf:9: initial_replicas (99) must be between min_replicas (3) and max_replicas (2)",
        ])
    }

    @Test("a line that is not UTF-8 is named with its first bad byte; the other lines are still checked")
    func undecodableLines() {
        let bytes = Array("[source]\npath = l\n[policy]\nmin_replicas = 2".utf8) + [0xFF]
            + Array("\nmax_replicas = x\n# caf".utf8) + [0xE9] + Array("\n".utf8)
        let result = ConfigParser.parse(bytes: bytes, file: "a.conf", directory: "/")
        guard case let .failure(errors) = result else { Issue.record("expected a failure"); return }
        #expect(errors.errors.map(\.description) == [
            "a.conf:4: not valid UTF-8: byte 0xFF at byte 17 of the line (the line is read as blank)",
            "a.conf:5: max_replicas: 'x' is not an integer (expected an integer from 1 to 1000000, e.g. 10)",
            "a.conf:6: not valid UTF-8: byte 0xE9 at byte 6 of the line (the line is read as blank)",
        ])
        // A header that is not UTF-8 is still a header: its keys are of no section, not of [source].
        let header = Array("[source]\npath = l\n[pol".utf8) + [0xE9] + Array("icy]\nmax_replicas = 5\n".utf8)
        guard case let .failure(headerErrors) = ConfigParser.parse(bytes: header, file: "a.conf", directory: "/") else {
            Issue.record("expected a failure")
            return
        }
        #expect(headerErrors.errors.map(\.description) == [
            "a.conf:3: not valid UTF-8: byte 0xE9 at byte 5 of the line (the line is read as a section header of no known section: "
                + "the keys after it are skipped)",
        ])
        let valid = ConfigParser.parse(bytes: Array("\u{FEFF}[source]\r\npath = \"caf\u{E9}\"\r\n".utf8), file: "a.conf", directory: "/")
        #expect((try? valid.get())?.source.location == "/caf\u{E9}", "a byte order mark, CRLF and UTF-8 text are read")
    }

    @Test("errors carry the file name given and 1-based lines")
    func errorValues() throws {
        let result = ConfigParser.parse("[source]\npath = l\n[policy]\nmin_replicas = x", file: "/etc/a.conf", directory: "/")
        guard case let .failure(errors) = result else { Issue.record("expected a failure"); return }
        #expect(errors.errors == [ConfigError(
            file: "/etc/a.conf", line: 4,
            message: "min_replicas: 'x' is not an integer (expected an integer from 0 to 1000000, e.g. 1)")])
    }
}

/// The policy keys that size and time decisions: their defaults and their cross-checks.
struct PolicyKeyTests {
    @Test("target_load takes scale_up_threshold's value when absent")
    func targetFollowsThreshold() throws {
        let config = try ConfigParsing.parse("[source]\npath = /x\n[policy]\nscale_up_threshold = 80\nscale_down_threshold = 30").get()
        #expect(config.policy.targetLoad == 80)
        let explicit = try ConfigParsing.parse("[source]\npath = /x\n[policy]\ntarget_load = 45").get()
        #expect(explicit.policy.targetLoad == 45)
    }

    @Test("a target outside the band and a burst ratio of 1 or less are errors naming their line")
    func crossChecks() {
        #expect(ConfigParsing.errorLines("[source]\npath = /x\n[policy]\ntarget_load = 60".split(separator: "\n").map(String.init)) == [
            "autoscaled.conf:4: target_load (60) must be above scale_down_threshold (35, not set: its default) and at most "
                + "scale_up_threshold (50, not set: its default)",
        ])
        #expect(ConfigParsing.errorLines("[source]\npath = /x\n[policy]\ntarget_load = 35".split(separator: "\n").map(String.init)) == [
            "autoscaled.conf:4: target_load (35) must be above scale_down_threshold (35, not set: its default) and at most "
                + "scale_up_threshold (50, not set: its default)",
        ])
        #expect(ConfigParsing.errorLines("[source]\npath = /x\n[policy]\nburst_ratio = 1".split(separator: "\n").map(String.init)) == [
            "autoscaled.conf:4: burst_ratio (1) must be 0 (off) or above 1",
        ])
        #expect(ConfigParsing.errorLines("[source]\npath = /x\n[policy]\ntrend_window = 0".split(separator: "\n").map(String.init)) == [
            "autoscaled.conf:4: trend_window: '0' must be greater than 0",
        ])
    }
}

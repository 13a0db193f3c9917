@testable import AutoscaledCore
import AutoscaledSystem
import Testing

struct StatusReportTests {
    static let decision = StateFile.Decision(
        action: "scale-up", from: 3, to: 4, reason: "1 server above scale_up_threshold 50 (max server2=55): +1",
        at: "2026-11-29T06:12:03.037Z", atUnix: 1_795_932_723.037)

    static func file(source: StateFile.SourceStatus?, applied: Int? = nil) -> StateFile {
        StateFile(desiredReplicas: 4, wallTime: 1_795_932_848.5, lastDecision: decision, source: source, appliedReplicas: applied)
    }

    @Test("a duration never traps: beyond the span of a file's times it is that span, and no number is 0s", arguments: [
        (1e19, "11574074d 1h 46min 40s"), (Double.infinity, "11574074d 1h 46min 40s"), (1e12, "11574074d 1h 46min 40s"),
        (-1e19, "0s"), (Double.nan, "0s"), (0.9, "0s"), (125.7, "2min 5s"),
    ])
    func durationBounds(_ seconds: Double, _ text: String) {
        #expect(StatusReport.duration(seconds) == text)
    }

    @Test("a time ahead of this clock is said to be, not '0s ago'", arguments: [
        (-100.0, "1min 40s ahead of this clock"), (-0.5, "0s ago"), (3.0, "3s ago"),
    ])
    func ahead(_ seconds: Double, _ text: String) {
        #expect(StatusReport.ago(seconds) == text)
        let report = StatusReport(Self.file(source: nil), path: "/s.json", wallNow: 1_795_932_848.5 + seconds, actuatorActs: false)
        #expect(report.text().contains("state file:        /s.json, written \(text) (2026-11-29T06:14:08.500Z)"), "\(report.text())")
    }

    @Test("a healthy daemon: counts, the last decision with its age, the last good read")
    func healthy() {
        let source = StateFile.SourceStatus(consecutiveFailures: 0, lastGoodReadUnix: 1_795_932_848.5, lastError: nil)
        let report = StatusReport(Self.file(source: source, applied: 4), path: "/var/lib/autoscaled/state.json",
                                  wallNow: 1_795_932_851.6, actuatorActs: true)
        #expect(report.text() == """
            desired replicas:  4
            applied replicas:  4
            last decision:     scale-up from 3 to 4, 2min 8s ago (2026-11-29T06:12:03.037Z)
                               1 server above scale_up_threshold 50 (max server2=55): +1
            source:            healthy, last good read 3s ago (2026-11-29T06:14:08.500Z)
            state file:        /var/lib/autoscaled/state.json, written 3s ago (2026-11-29T06:14:08.500Z)

            """)
        #expect(report.json() == #"{"actuator_acts":true,"applied_replicas":4,"desired_replicas":4,"last_decision":{"action":"scale-up","#
            + #""age_seconds":128.563,"at":"2026-11-29T06:12:03.037Z","from":3,"reason":"1 server above scale_up_threshold 50 "#
            + #"(max server2=55): +1","to":4},"source":{"consecutive_failures":0,"health":"healthy","#
            + #""last_good_read":"2026-11-29T06:14:08.500Z","last_good_read_age_seconds":3.1},"#
            + #""state_file":"/var/lib/autoscaled/state.json","updated_age_seconds":3.1,"#
            + #""updated_at":"2026-11-29T06:14:08.500Z"}"# + "\n")
    }

    @Test("a failing source: failures in a row, down at the daemon's threshold, and the last error")
    func failing() {
        let failing = StateFile.SourceStatus(consecutiveFailures: 1, lastGoodReadUnix: nil, lastError: "line 1: bad")
        let text = StatusReport(Self.file(source: failing), path: "s.json", wallNow: 1_795_932_850, actuatorActs: false).text()
        #expect(text.contains("""
            source:            failing, 1 failed poll interval in a row, no good read since the daemon started
                               last error: line 1: bad

            """))
        let down = StateFile.SourceStatus(consecutiveFailures: 3, lastGoodReadUnix: 1_795_932_700, lastError: "gone")
        #expect(StatusReport(Self.file(source: down), path: "s.json", wallNow: 1_795_932_850, actuatorActs: false).text().contains(
            "source:            down, 3 failed poll intervals in a row, last good read 2min 30s ago (2026-11-29T06:11:40.000Z)\n"))
    }

    @Test("a failing actuator: how many attempts in a row, since when, and the last error, in text and JSON")
    func actuationFailing() {
        var file = Self.file(source: nil)
        file.actuationFailing = StateFile.ActuationFailure(sinceUnix: 1_795_932_723.037, attempts: 5,
                                                           cause: "'/usr/local/bin/scale-model' exited with status 3")
        let report = StatusReport(file, path: "s.json", wallNow: 1_795_932_850, actuatorActs: false)
        #expect(report.text().contains("""
            desired replicas:  4
            applied replicas:  none confirmed: the actuator has failed 5 times in a row since 2min 6s ago (2026-11-29T06:12:03.037Z)
                               last error: '/usr/local/bin/scale-model' exited with status 3
            last decision:
            """), "\(report.text())")
        #expect(report.json().contains(#""actuation_failing":{"attempts":5,"cause":"'/usr/local/bin/scale-model' exited with status 3","#
            + #""since":"2026-11-29T06:12:03.037Z","since_age_seconds":126.963}"#), "\(report.json())")
    }

    @Test("an actuator that has neither confirmed a count nor failed (a start, a restart after failures) is told so, not left unsaid")
    func appliedNotConfirmed() {
        let file = Self.file(source: nil)
        let holders: [(LockFile.Holder?, String)] = [
            (.process(pid: 812), "none confirmed yet: the actuator has neither confirmed a count nor failed since the daemon started"),
            (LockFile.Holder.none, "none confirmed: the actuator had neither confirmed a count nor failed when the daemon stopped "
                + "(the next start applies the desired count)"),
            (.unknown, "none confirmed yet: the actuator has neither confirmed a count nor failed"),
            (nil, "none confirmed yet: the actuator has neither confirmed a count nor failed"),
        ]
        for (holder, told) in holders {
            let report = StatusReport(file, path: "s.json", wallNow: 1_795_932_850, lockHolder: holder, actuatorActs: true)
            #expect(report.text().contains("desired replicas:  4\napplied replicas:  \(told)\nlast decision:"), "\(report.text())")
            #expect(report.json().contains(#""actuator_acts":true"#))
            #expect(!report.json().contains("applied_replicas"))
        }
        // Nothing acts (no [actuator], or dry_run): nothing is applied, and nothing is said of it.
        let idle = StatusReport(file, path: "s.json", wallNow: 1_795_932_850, lockHolder: .process(pid: 812), actuatorActs: false)
        #expect(!idle.text().contains("applied replicas"))
        #expect(idle.json().contains(#""actuator_acts":false"#))
        // A confirmed count, or failures, say what they say, and nothing more.
        let confirmed = StatusReport(Self.file(source: nil, applied: 3), path: "s.json", wallNow: 1_795_932_850, actuatorActs: true)
        #expect(confirmed.text().contains("desired replicas:  4\napplied replicas:  3\nlast decision:"), "\(confirmed.text())")
        var failing = file
        failing.actuationFailing = StateFile.ActuationFailure(sinceUnix: 1_795_932_723.037, attempts: 1, cause: "exited with status 3")
        let failed = StatusReport(failing, path: "s.json", wallNow: 1_795_932_850, actuatorActs: true).text()
        #expect(failed.components(separatedBy: "applied replicas:").count == 2, "\(failed)")
        #expect(failed.contains("applied replicas:  none confirmed: the actuator has failed 1 time in a row since"))
    }

    @Test("a state file from before source health was recorded still reads")
    func older() throws {
        let file = StateFile(desiredReplicas: 2, updatedAt: "2026-11-29T06:00:00.000Z", lastDecision: nil)
        let report = StatusReport(file, path: "s.json", wallNow: 0, actuatorActs: false)
        #expect(report.text() == """
            desired replicas:  2
            last decision:     none yet
            source:            unknown (not recorded in this state file)
            state file:        s.json, written 2026-11-29T06:00:00.000Z

            """)
        #expect(report.json() == #"{"actuator_acts":false,"desired_replicas":2,"source":{"health":"unknown"},"state_file":"s.json","#
            + #""updated_at":"2026-11-29T06:00:00.000Z"}"# + "\n")
    }
}

extension StatusReportTests {
    @Test("text from the state file reaches the terminal escaped: no control, escape, bidi or invisible character raw")
    func hostileText() {
        let hostile = StateFile.Decision(
            action: "scale-up\u{1B}[2J", from: 3, to: 4, reason: "max \u{202E}evil\u{202C} \u{200B}x\ny\u{7}",
            at: "t\r", atUnix: 1_795_932_723)
        let source = StateFile.SourceStatus(consecutiveFailures: 1, lastGoodReadUnix: nil, lastError: "bad \u{2066}\\ \u{9B}")
        var file = StateFile(desiredReplicas: 4, wallTime: 1_795_932_848.5, lastDecision: hostile, source: source)
        file.updatedAt = "\u{FEFF}u"
        let text = StatusReport(file, path: "s.json", wallNow: 1_795_932_850, actuatorActs: false).text()
        #expect(text == """
            desired replicas:  4
            last decision:     scale-up\\u{1b}[2J from 3 to 4, 2min 7s ago (t\\r)
                               max \\u{202e}evil\\u{202c} \\u{200b}x\\ny\\u{7}
            source:            failing, 1 failed poll interval in a row, no good read since the daemon started
                               last error: bad \\u{2066}\\\\ \\u{9b}
            state file:        s.json, written 1s ago (\\u{feff}u)

            """)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test("text the daemon made is shown as the logfmt line quotes it (a backslash doubled): never ambiguous; --json escapes what does not show")
    func madeText() {
        // As the daemon writes it: the file's bad byte already escaped in the cause, beside a name with a backslash.
        let source = StateFile.SourceStatus(consecutiveFailures: 1, lastGoodReadUnix: nil,
                                            lastError: #"a\tb.json: line 1: expected a JSON object, found '\u{202e}'"#)
        var file = StateFile(desiredReplicas: 4, wallTime: 1_795_932_848.5, lastDecision: nil, source: source)
        let text = StatusReport(file, path: "s.json", wallNow: 1_795_932_850, actuatorActs: false).text()
        #expect(text.contains(#"last error: a\\tb.json: line 1: expected a JSON object, found '\\u{202e}'"#))
        // A hand-written file: raw bidi and zero-width characters, escaped in JSON as \u, which decodes back.
        file.source?.lastError = "x\u{202E}gnp.exe\u{200B}"
        let json = StatusReport(file, path: "s.json", wallNow: 1_795_932_850, actuatorActs: false).json()
        #expect(json.contains(#""last_error":"x\u202egnp.exe\u200b""#))
        #expect(json.unicodeScalars.allSatisfy { $0.isASCII })
    }
}

struct StatusReportLimitTests {
    @Test("a held count: the wish, the rule, for how long and how long still, with the reason; and a pause")
    func heldAndPaused() {
        var file = StatusReportTests.file(source: nil)
        file.limit = StateFile.Limit(heldBy: "scale_up_cooldown", wanted: 6, reason: "2 servers above 50 but in scale_up_cooldown",
                                     sinceUnix: 1_795_932_840, untilUnix: 1_795_932_900)
        let pause = PauseFile.pause(wallTime: 1_795_932_730, replicas: 2, duration: .seconds(600), reason: "incident 42")
        let report = StatusReport(file, path: "s.json", wallNow: 1_795_932_852, pause: .success(pause), actuatorActs: false)
        #expect(report.text().contains("""
                               1 server above scale_up_threshold 50 (max server2=55): +1
            wanted replicas:   6, held by scale_up_cooldown for 12s (48s left)
                               as last saved: 2 servers above 50 but in scale_up_cooldown
            paused:            since 2min 2s ago (2026-11-29T06:12:10.000Z), until 2026-11-29T06:22:10.000Z (7min 58s left), holding at 2: incident 42
            source:
            """))
        let json = report.json()
        #expect(json.contains(#""limit":{"held_by":"scale_up_cooldown","left_seconds":48,"reason":"2 servers above 50 but in scale_up_cooldown","since":"2026-11-29T06:14:00.000Z","since_age_seconds":12,"wanted":6}"#))
        #expect(json.contains(#""pause":{"left_seconds":478,"reason":"incident 42","replicas":2,"since":"2026-11-29T06:12:10.000Z","since_age_seconds":122,"until":"2026-11-29T06:22:10.000Z"}"#))
    }

    @Test("a time left is rounded up, as the log's left= is: a rule 0.4s from its end has 1s left; an age is rounded down")
    func leftRoundedUp() {
        var file = StatusReportTests.file(source: nil)
        file.limit = StateFile.Limit(heldBy: "scale_up_cooldown", wanted: 6, reason: "in scale_up_cooldown",
                                     sinceUnix: 1_795_932_840, untilUnix: 1_795_932_852.4)
        let report = StatusReport(file, path: "s.json", wallNow: 1_795_932_852, pause: .success(nil), actuatorActs: false)
        #expect(report.text().contains("wanted replicas:   6, held by scale_up_cooldown for 12s (1s left)\n"), "\(report.text())")
    }

    @Test("a pause whose count the bounds keep it from shows the count held, and the pause's own beside it")
    func pauseWithinBounds() {
        let pause = PauseFile.pause(wallTime: 1_795_932_730, replicas: 7, duration: nil, reason: nil)
        let report = StatusReport(StatusReportTests.file(source: nil), path: "s.json", wallNow: 1_795_932_852, pause: .success(pause),
                                  bounds: 2...5, actuatorActs: false)
        #expect(report.text().contains("paused:            since 2min 2s ago (2026-11-29T06:12:10.000Z), until resumed, holding "
            + "at 5 (the pause asks for 7; min_replicas and max_replicas keep it within them)\n"), "\(report.text())")
        #expect(report.json().contains(#""pause":{"asked_replicas":7,"replicas":5,"#), "\(report.json())")
        let within = StatusReport(StatusReportTests.file(source: nil), path: "s.json", wallNow: 1_795_932_852, pause: .success(pause),
                                  bounds: 1...10, actuatorActs: false)
        #expect(within.text().contains("holding at 7\n"))
        #expect(!within.json().contains("asked_replicas"))
    }

    @Test("an ended pause and no data to want from")
    func endedPauseNoData() {
        var file = StatusReportTests.file(source: nil)
        file.limit = StateFile.Limit(heldBy: "no_usable_data", wanted: nil, reason: "no usable load data: stale", sinceUnix: 1_795_932_850)
        let ended = PauseFile.pause(wallTime: 1_795_932_730, replicas: nil, duration: .seconds(60), reason: nil)
        let text = StatusReport(file, path: "s.json", wallNow: 1_795_932_852, pause: .success(ended), actuatorActs: false).text()
        #expect(text.contains("wanted replicas:   unknown (no usable data), held by no_usable_data for 2s\n"))
        #expect(!text.contains("paused:"))
    }
}

@testable import AutoscaledBase
@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct ConfigSettingsTests {
    @Test("settings list every effective value as canonical text")
    func settings() {
        let settings = ConfigParsing.defaults().settings
        #expect(settings.map(\.name) == [
            "source.type", "source.path", "source.format", "poll_interval", "stale_after", "failure_threshold",
            "scale_up_threshold", "scale_down_threshold", "target_load", "min_replicas", "max_replicas",
            "initial_replicas", "max_scale_up_per_minute", "max_scale_down_per_minute", "max_scale_down_percent_per_minute",
            "scale_up_cooldown", "scale_down_stabilization", "scale_down_stabilization_rule", "replica_startup", "trend_window", "trend_min_span",
            "smoothing_window", "burst_ratio", "seasonal_periods", "seasonal_confirmations", "seasonal_min_rise",
            "headroom", "headroom_target_load", "headroom_quantile", "headroom_window", "headroom_scale_down_margin",
            "headroom_scale_up_tolerance", "headroom_square_root_room", "headroom_spread", "state.path", "enabled", "history.path", "retention", "max_size",
            "level", "log.format", "max_series", "actuator.type", "dry_run",
        ])
        #expect(settings.map(\.value) == [
            "file", "/etc/autoscaled/loads.json", "json", "10s", "0", "3",
            "50", "35", "50", "1", "10",
            "3", "4", "3", "30",
            "1min", "5min", "highest", "1min", "3min", "20s",
            "20s", "2", "none", "2", "1.5",
            "thresholds", "65", "0.9", "1h", "0",
            "0", "0", "assumed", "/var/lib/autoscaled/state.json", "true", "/var/lib/autoscaled/history", "8d", "64MiB",
            "info", "logfmt", "100", "none", "false",
        ])
    }

    @Test("history sits beside the state file unless its path is given; sizes take K, M, G")
    func history() throws {
        let config = try ConfigParsing.parse("[source]\npath = l\n[state]\npath = /srv/a/state.json\n[history]\nmax_size = 3G\n").get()
        #expect(config.history == modified(HistoryConfig.defaults) { ($0.path, $0.maxSize) = ("/srv/a/history", 3 << 30) })
        let given = try ConfigParsing.parse("[source]\npath = l\n[history]\npath = h\nenabled = no\nretention = 2d\n").get()
        #expect(given.history == modified(HistoryConfig.defaults) {
            ($0.enabled, $0.path, $0.retention) = (false, "/etc/autoscaled/h", .seconds(2 * 86_400))
        })
        #expect(try ByteSizeText.parse("1536KiB") == 1536 << 10)
        #expect(ByteSizeText.format(1536 << 10) == "1536KiB")
        #expect(ByteSizeText.format(1_000_001) == "1000001")
    }

    @Test("non-integral numbers and compound durations keep their precision")
    func canonicalText() {
        var config = ConfigParsing.defaults()
        config.policy.scaleUpThreshold = 75.5
        config.source.staleAfter = .seconds(90)
        config.policy.scaleUpCooldown = .milliseconds(1_500)
        let values = Dictionary(uniqueKeysWithValues: config.settings.map { ($0.name, $0.value) })
        #expect(values["scale_up_threshold"] == "75.5")
        #expect(values["stale_after"] == "1min 30s")
        #expect(values["scale_up_cooldown"] == "1s 500ms")
    }

    @Test("settings read back through the parser give the same config")
    func settingsRoundTrip() throws {
        let original = try ConfigParsing.parse(ConfigParserTests.example).get()
        #expect(try ConfigParsing.parse(ConfigParsing.text(of: original)).get() == original)
    }

    @Test("no changes between equal configs")
    func noChanges() {
        #expect(Config.changes(from: ConfigParsing.defaults(), to: ConfigParsing.defaults()).isEmpty)
    }

    @Test("the same seasonal periods listed in another order are no change")
    func periodsInAnotherOrder() throws {
        let base = "[source]\npath = l\n[policy]\nheadroom = learned\nseasonal_periods = "
        let old = try ConfigParsing.parse(base + "5min, 15min, 30min, 1h").get()
        let reordered = try ConfigParsing.parse(base + "1h, 30min, 15min, 5min").get()
        #expect(Config.changes(from: old, to: reordered).isEmpty)
        let other = try ConfigParsing.parse(base + "1h, 30min, 15min").get()
        #expect(Config.changes(from: old, to: other) == ["policy.seasonal_periods='5min, 15min, 30min, 1h'->'15min, 30min, 1h'"])
    }

    @Test("changes list name=old->new in settings order")
    func changes() {
        let old = ConfigParsing.defaults()
        var new = old
        new.policy.scaleUpThreshold = 60
        new.source.pollInterval = .seconds(1)
        new.state.path = "/srv/state.json"
        new.log.level = .debug
        new.source.staleAfter = .seconds(30)
        #expect(Config.changes(from: old, to: new) == [
            "source.poll_interval=10s->1s",
            "source.stale_after=0->30s",
            "policy.scale_up_threshold=50->60",
            "state.path=/var/lib/autoscaled/state.json->/srv/state.json",
            "log.level=info->debug",
        ])
    }

    @Test("each change reads alone: a side that is empty or holds a blank, a quote, a backslash or -> is quoted")
    func changeSidesQuoted() {
        #expect(Config.changeSide("50") == "50")
        #expect(Config.changeSide("") == "''")
        #expect(Config.changeSide("/bin/echo 'a b' {replicas}") == #"'/bin/echo \'a b\' {replicas}'"#)
        #expect(Config.changeSide("a->b") == "'a->b'")
        #expect(Config.changeSide(#"c:\x"#) == #"'c:\\x'"#)
        #expect(Config.changeSide("tab\there") == "'tab\there'")
        #expect(Config.changeSide("timeout=->1s") == "'timeout=->1s'")
    }
}

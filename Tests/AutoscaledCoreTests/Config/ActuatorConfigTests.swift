@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct ActuatorConfigTests {
    private func actuator(_ lines: String...) throws -> ActuatorConfig {
        try ConfigParsing.parse((["[source]", "path = l", "[actuator]"] + lines).joined(separator: "\n")).get().actuator
    }

    @Test("without [actuator] decisions are only logged")
    func none() throws {
        let config = try ConfigParsing.parse("[source]\npath = l").get()
        #expect(config.actuator == ActuatorConfig.defaults)
        #expect(config.actuator.kind == .none && !config.actuator.acts)
    }

    @Test("exec: the command is split once, when the config is loaded")
    func exec() throws {
        let config = try actuator(
            "type = exec", #"command = /usr/local/bin/scale "my model" --replicas={replicas} 'a;b' # a comment"#,
            "timeout = 2s")
        let command = try CommandTemplate(arguments: ["/usr/local/bin/scale", "my model", "--replicas={replicas}", "a;b"])
        #expect(config == modified(ActuatorConfig.defaults) { ($0.kind, $0.timeout) = (.exec(command: command), .seconds(2)) })
        #expect(config.acts)
    }

    @Test("exec: a ';' or '#' after a space starts a comment, as everywhere in the config; quoted or escaped it is a word")
    func commentInCommand() throws {
        let commented = try actuator("type = exec", "command = /bin/a x ; y")
        #expect(commented.kind == .exec(command: try CommandTemplate(arguments: ["/bin/a", "x"])))
        let quoted = try actuator("type = exec", ##"command = /bin/a x ';' \; "#" y"##)
        #expect(quoted.kind == .exec(command: try CommandTemplate(arguments: ["/bin/a", "x", ";", ";", "#", "y"])))
    }

    @Test("systemd: a unit template, a timeout and a reconcile interval (0 = never)")
    func systemd() throws {
        let config = try actuator("type = systemd", "unit = llama-server@{i}.service", "reconcile_interval = 0")
        let unit = try UnitNameTemplate("llama-server@{i}.service")
        #expect(config == modified(ActuatorConfig.defaults) { ($0.kind, $0.reconcileInterval) = (.systemd(unit: unit), nil) })
        #expect(try actuator("type = systemd", "unit = m@{i}.service").reconcileInterval == .seconds(30))
    }

    @Test("file: a path relative to the config's directory; dry_run for any type")
    func file() throws {
        let config = try actuator("type = file", "path = run/replicas", "dry_run = yes")
        #expect(config == modified(ActuatorConfig.defaults) { ($0.kind, $0.dryRun) = (.file(path: "/etc/autoscaled/run/replicas"), true) })
        #expect(!config.acts)
    }

    @Test("each fault gives one exact message", arguments: [
        (["type = exec"], "autoscaled.conf:4: missing key 'command' in [actuator] (required with type = exec)"),
        (["type = systemd"], "autoscaled.conf:4: missing key 'unit' in [actuator] (required with type = systemd)"),
        (["type = file"], "autoscaled.conf:4: missing key 'path' in [actuator] (required with type = file)"),
        (["type = kubernetes"],
         "autoscaled.conf:4: type: 'kubernetes' is not a valid choice (expected one of none, exec, systemd, file)"),
        (["type = exec", #"command = /bin/scale "oops"#],
         #"autoscaled.conf:5: command: '/bin/scale "oops' has an unterminated double quote "#
            + "(expected a program and its arguments, e.g. /usr/local/bin/scale-model --replicas {replicas})"),
        (["type = exec", "command = /bin/scale --to ${REPLICAS}"],
         "autoscaled.conf:5: command: '/bin/scale --to ${REPLICAS}' has an unknown placeholder {REPLICAS} "
            + "(expected {replicas}, {previous} or {direction}; the command is not run by a shell)"),
        (["type = exec", "command = KUBECONFIG=/etc/k kubectl scale --replicas={replicas}"],
         "autoscaled.conf:5: command: 'KUBECONFIG=/etc/k kubectl scale --replicas={replicas}' starts with KUBECONFIG=/etc/k, "
            + "a variable assignment that only a shell makes (expected a program first; the command is not run by a shell: "
            + "use /usr/bin/env KUBECONFIG=/etc/k …)"),
        (["type = systemd", "unit = llama.service"],
         "autoscaled.conf:5: unit: 'llama.service' has no {i} for the instance number "
            + "(expected a unit name with {i} for the instance number, e.g. llama-server@{i}.service)"),
        (["type = file", "path = /run/autoscaled/"],
         "autoscaled.conf:5: path: '/run/autoscaled/' names a directory, not a file (expected a path, e.g. /run/autoscaled/replicas)"),
        (["type = file", "path = r", "timeout = 5s"],
         "autoscaled.conf:6: timeout is not used with type = file (only with type = exec, systemd)"),
        (["type = exec", "command = /bin/x", "unit = a@{i}.service"],
         "autoscaled.conf:6: unit is not used with type = exec (only with type = systemd)"),
        (["type = exec", "command = /bin/x", "timeout = 0"],
         "autoscaled.conf:6: timeout: '0' must be greater than 0"),
        (["dry_run = maybe"],
         "autoscaled.conf:4: dry_run: 'maybe' is not a boolean (expected true, false, yes, no, on, off, 1 or 0)"),
    ])
    func faults(_ lines: [String], _ message: String) {
        #expect(ConfigParsing.errorLines(["[source]", "path = l", "[actuator]"] + lines) == [message])
    }

    @Test("the file actuator's path is a file of its own, not one the daemon reads or writes", arguments: [
        (["[state]", "path = /var/lib/a/state.json", "[actuator]", "type = file", "path = /var/lib/a/state.json"],
         "autoscaled.conf:7: [actuator] path '/var/lib/a/state.json' is the file [state] path names; "
            + "each must be a file of its own"),
        (["[actuator]", "type = file", "path = l"],
         "autoscaled.conf:5: [actuator] path '/etc/autoscaled/l' is the file [source] path names; "
            + "each must be a file of its own"),
        (["[metrics]", "textfile = /run/r", "[actuator]", "type = file", "path = /run/r"],
         "autoscaled.conf:7: [actuator] path '/run/r' is the file [metrics] textfile names; each must be a file of its own"),
        (["[metrics]", "textfile = /etc/autoscaled/l"],
         "autoscaled.conf:4: [metrics] textfile '/etc/autoscaled/l' is the file [source] path names; "
            + "each must be a file of its own"),
        (["[state]", "path = /var/lib/a/s.json", "[actuator]", "type = file", "path = /var/lib/a/s.json.lock"],
         "autoscaled.conf:7: [actuator] path '/var/lib/a/s.json.lock' is the lock file beside [state] path; "
            + "each must be a file of its own"),
        (["[state]", "path = /var/lib/a/s.json", "[metrics]", "textfile = /var/lib/a/./s.json.pause"],
         "autoscaled.conf:6: [metrics] textfile '/var/lib/a/s.json.pause' is the pause file beside [state] path; "
            + "each must be a file of its own"),
        (["[state]", "path = /var/lib/a/s.json", "[actuator]", "type = file", "path = /var/lib/a/history"],
         "autoscaled.conf:7: [actuator] path '/var/lib/a/history' is the history's directory ([history] path unset) "
            + "beside [state] path; each must be a file of its own"),
        (["[history]", "path = /var/lib/h", "[metrics]", "textfile = /var/lib/h"],
         "autoscaled.conf:6: [metrics] textfile '/var/lib/h' is the directory [history] path names; "
            + "each must be a file of its own"),
    ])
    func sharedFiles(_ lines: [String], _ message: String) {
        #expect(ConfigParsing.errorLines(["[source]", "path = l"] + lines) == [message])
    }

    @Test("no key names the config file itself, nor a file inside the history's directory", arguments: [
        (["[metrics]", "textfile = autoscaled.conf"],
         "autoscaled.conf:4: [metrics] textfile '/etc/autoscaled/autoscaled.conf' is the config file itself; "
            + "each must be a file of its own"),
        (["[state]", "path = /etc/autoscaled/./autoscaled.conf"],
         "autoscaled.conf:4: [state] path '/etc/autoscaled/autoscaled.conf' is the config file itself; "
            + "each must be a file of its own"),
        (["[actuator]", "type = file", "path = ../autoscaled/autoscaled.conf"],
         "autoscaled.conf:5: [actuator] path '/etc/autoscaled/autoscaled.conf' is the config file itself; "
            + "each must be a file of its own"),
        (["[state]", "path = /var/lib/a/s.json", "[metrics]", "textfile = /var/lib/a/history/00000001.log"],
         "autoscaled.conf:6: [metrics] textfile '/var/lib/a/history/00000001.log' is inside the history's directory "
            + "([history] path unset) beside [state] path, whose files are the history's own"),
        (["[history]", "path = /var/lib/h", "[actuator]", "type = file", "path = /var/lib/h/replicas"],
         "autoscaled.conf:7: [actuator] path '/var/lib/h/replicas' is inside the directory [history] path names, "
            + "whose files are the history's own"),
    ])
    func configAndHistoryFiles(_ lines: [String], _ message: String) {
        #expect(ConfigParsing.errorLines(["[source]", "path = l"] + lines) == [message])
    }

    @Test("a file beside the state file is named as such, whichever key comes first")
    func besideStateFile() {
        #expect(ConfigParsing.errorLines(["[source]", "path = /a/s.json.lock", "[state]", "path = /a/s.json"]) == [
            "autoscaled.conf:4: the lock file beside [state] path '/a/s.json.lock' is the file [source] path names; "
                + "each must be a file of its own",
        ])
    }

    @Test("settings show the actuator's keys in canonical text, and read back to the same config")
    func settingsRoundTrip() throws {
        let text = """
            [source]
            path = /l
            [actuator]
            type = exec
            command = /bin/scale 'my model' --replicas={replicas} "it's" '' x\\;y
            timeout = 1min 30s
            """
        let config = try ConfigParsing.parse(text).get()
        let settings = Dictionary(uniqueKeysWithValues: config.settings.map { ($0.name, $0.value) })
        #expect(settings["command"] == #"/bin/scale 'my model' --replicas={replicas} "it's" '' 'x;y'"#)
        #expect(settings["timeout"] == "1min 30s")
        #expect(settings["reconcile_interval"] == nil)
        let again = "[source]\npath = /l\n[actuator]\ntype = exec\ncommand = \(settings["command"]!)\ntimeout = 90s"
        #expect(try ConfigParsing.parse(again).get() == config)
    }

    @Test("a reload diff names the changed actuator keys")
    func changes() throws {
        let old = try ConfigParsing.parse("[source]\npath = /l").get()
        let new = try ConfigParsing.parse("[source]\npath = /l\n[actuator]\ntype = file\npath = /run/n\ndry_run = on").get()
        #expect(Config.changes(from: old, to: new) == ["actuator.type=none->file", "actuator.dry_run=false->true", "actuator.path=''->/run/n"])
    }
}

import AutoscaledCore
import Testing

/// A command line and what parsing it must give: the command, or the exact usage error.
struct CommandLineCase: Sendable, CustomTestStringConvertible {
    let name: String
    let arguments: [String]
    let expected: String

    init(_ name: String, _ arguments: [String], _ expected: String) {
        self.name = name
        self.arguments = arguments
        self.expected = expected
    }

    var testDescription: String { name }

    var outcome: String {
        do {
            return "\(try CommandLineParser.parse(arguments))"
        } catch {
            return "error: \(error.message)"
        }
    }
}

struct SimulateOptionsTests {
    @Test("parsed command lines", arguments: [
        CommandLineCase("every option", [
            "simulate", "--config", "a.conf", "--trace=t.csv", "--capacity", "2.5", "--startup-delay", "2min",
            "--initial", "7", "--min", "0", "--max", "1000", "--quiet", "--csv", "out.csv", "--svg", "out.svg",
            "--policy", "kpa", "--target", "0.5",
        ], #"simulate(AutoscaledCore.SimulateOptions(configPath: "a.conf", tracePath: "t.csv", capacity: Optional(2.5), capacityText: Optional("2.5"), startupDelay: Optional(120.0 seconds), initialReplicas: Optional(7), minReplicas: Optional(0), maxReplicas: Optional(1000), quiet: true, csvPath: Optional("out.csv"), svgPath: Optional("out.svg"), reference: Optional(AutoscaledCore.ReferenceAutoscaler.kpa(target: 0.5))))"#),
        CommandLineCase("only the trace", ["simulate", "--trace", "t.csv"],
                        #"simulate(AutoscaledCore.SimulateOptions(configPath: "/etc/autoscaled/autoscaled.conf", tracePath: "t.csv", capacity: nil, capacityText: nil, startupDelay: nil, initialReplicas: nil, minReplicas: nil, maxReplicas: nil, quiet: false, csvPath: nil, svgPath: nil, reference: nil))"#),
        CommandLineCase("hpa at its default target", ["simulate", "--trace", "t.csv", "--policy", "hpa"],
                        #"simulate(AutoscaledCore.SimulateOptions(configPath: "/etc/autoscaled/autoscaled.conf", tracePath: "t.csv", capacity: nil, capacityText: nil, startupDelay: nil, initialReplicas: nil, minReplicas: nil, maxReplicas: nil, quiet: false, csvPath: nil, svgPath: nil, reference: Optional(AutoscaledCore.ReferenceAutoscaler.hpa(target: 0.7))))"#),
        CommandLineCase("an unknown policy", ["simulate", "--trace", "t", "--policy", "vpa"],
                        "error: option '--policy': 'vpa' is not valid (expected config, hpa or kpa)"),
        CommandLineCase("a target above 1", ["simulate", "--trace", "t", "--policy", "hpa", "--target", "1.5"],
                        "error: option '--target': '1.5' is not valid (expected a utilisation from 0.01 to 1, e.g. 0.7)"),
        CommandLineCase("a denormal target", ["simulate", "--trace", "t", "--policy", "hpa", "--target", "5e-324"],
                        "error: option '--target': '5e-324' is not valid (expected a utilisation from 0.01 to 1, e.g. 0.7)"),
        CommandLineCase("a target just below 1 %", ["simulate", "--trace", "t", "--policy", "kpa", "--target", "0.0099"],
                        "error: option '--target': '0.0099' is not valid (expected a utilisation from 0.01 to 1, e.g. 0.7)"),
        CommandLineCase("a target of 1 %", ["simulate", "--trace", "t.csv", "--policy", "hpa", "--target", "0.01"],
                        #"simulate(AutoscaledCore.SimulateOptions(configPath: "/etc/autoscaled/autoscaled.conf", tracePath: "t.csv", capacity: nil, capacityText: nil, startupDelay: nil, initialReplicas: nil, minReplicas: nil, maxReplicas: nil, quiet: false, csvPath: nil, svgPath: nil, reference: Optional(AutoscaledCore.ReferenceAutoscaler.hpa(target: 0.01))))"#),
        CommandLineCase("a target without a reference policy", ["simulate", "--trace", "t", "--target", "0.5"],
                        "error: option '--target' applies to --policy hpa or kpa only"),
        CommandLineCase("the trace is required", ["simulate", "--config", "a.conf"], "error: missing option '--trace'"),
        CommandLineCase("capacity must be a positive number", ["simulate", "--trace", "t", "--capacity", "0"],
                        "error: option '--capacity': '0' is not valid (expected a number of requests per second from 1e-6, e.g. 2)"),
        CommandLineCase("capacity must be finite", ["simulate", "--trace", "t", "--capacity", "inf"],
                        "error: option '--capacity': 'inf' is not valid (expected a number of requests per second from 1e-6, e.g. 2)"),
        CommandLineCase("a hex capacity is not a decimal number", ["simulate", "--trace", "t", "--capacity", "0x10"],
                        "error: option '--capacity': '0x10' is not valid (expected a number of requests per second from 1e-6, e.g. 2)"),
        CommandLineCase("nor is a hex float target", ["simulate", "--trace", "t", "--policy", "hpa", "--target", "0x1p-1"],
                        "error: option '--target': '0x1p-1' is not valid (expected a utilisation from 0.01 to 1, e.g. 0.7)"),
        CommandLineCase("nor a nan percentage", ["tune", "--trace", "t", "--capacity", "1", "--startup-delay", "0",
                                                 "--max-over", "nan"],
                        "error: option '--max-over': 'nan' is not valid (expected a percentage from 0 to 100, e.g. 1)"),
        CommandLineCase("nor a number with a space", ["simulate", "--trace", "t", "--capacity", " 2"],
                        "error: option '--capacity': ' 2' is not valid (expected a number of requests per second from 1e-6, e.g. 2)"),
        CommandLineCase("a denormal capacity", ["simulate", "--trace", "t", "--capacity", "5e-324"],
                        "error: option '--capacity': '5e-324' is not valid (expected a number of requests per second from 1e-6, e.g. 2)"),
        CommandLineCase("a capacity below the floor", ["tune", "--trace", "t", "--capacity", "1e-300", "--startup-delay", "0",
                                                       "--max-over", "1"],
                        "error: option '--capacity': '1e-300' is not valid (expected a number of requests per second from 1e-6, e.g. 2)"),
        CommandLineCase("a capacity at the floor", ["simulate", "--trace", "t.csv", "--capacity", "1e-6"],
                        #"simulate(AutoscaledCore.SimulateOptions(configPath: "/etc/autoscaled/autoscaled.conf", tracePath: "t.csv", capacity: Optional(1e-06), capacityText: Optional("1e-6"), startupDelay: nil, initialReplicas: nil, minReplicas: nil, maxReplicas: nil, quiet: false, csvPath: nil, svgPath: nil, reference: nil))"#),
        CommandLineCase("the startup delay is whole seconds", ["simulate", "--trace", "t", "--startup-delay", "1.5s"],
                        "error: option '--startup-delay': '1.5s' is not valid (expected whole seconds up to 365d, e.g. 120s or 2min)"),
        CommandLineCase("the startup delay is at most a year, as every duration", ["simulate", "--trace", "t", "--startup-delay", "366d"],
                        "error: option '--startup-delay': '366d' is not valid (expected whole seconds up to 365d, e.g. 120s or 2min)"),
        CommandLineCase("a time limit of more than a year", ["tune", "--trace", "t", "--capacity", "1", "--startup-delay", "365d",
                                                             "--max-over", "1", "--time-limit", "400d"],
                        "error: option '--time-limit': '400d' is not valid (expected a duration > 0 and up to 365d, e.g. 30s or 5min)"),
        CommandLineCase("a time limit of no time at all", ["tune", "--trace", "t", "--capacity", "1", "--startup-delay", "0",
                                                           "--max-over", "1", "--time-limit", "0"],
                        "error: option '--time-limit': '0' is not valid (expected a duration > 0 and up to 365d, e.g. 30s or 5min)"),
        CommandLineCase("max must be at least 1", ["simulate", "--trace", "t", "--max", "0"],
                        "error: option '--max': '0' is not valid (expected an integer from 1 to 1000000)"),
        CommandLineCase("initial must be an integer", ["simulate", "--trace", "t", "--initial", "x"],
                        "error: option '--initial': 'x' is not valid (expected an integer from 0 to 1000000)"),
        CommandLineCase("quiet takes no value", ["simulate", "--trace", "t", "--quiet=yes"],
                        "error: option '--quiet' takes no value"),
        CommandLineCase("status with --json", ["status", "--json"],
                        #"status(configPath: "/etc/autoscaled/autoscaled.conf", json: true)"#),
        CommandLineCase("--csv naming the trace by another spelling", [
            "simulate", "--config", "/nonexistent/a.conf", "--trace", "/nonexistent/t.csv", "--csv", "/nonexistent//d/./../t.csv",
        ], "error: option '--csv': '/nonexistent/t.csv' is the file '--trace' names; each output must be a file of its own"),
        CommandLineCase("--svg naming the config", [
            "simulate", "--config", "/nonexistent/a.conf", "--trace", "/nonexistent/t.csv", "--svg", "/nonexistent/./a.conf",
        ], "error: option '--svg': '/nonexistent/a.conf' is the file '--config' names; each output must be a file of its own"),
        CommandLineCase("--csv naming the default config", [
            "simulate", "--trace", "/nonexistent/t.csv", "--csv", "/etc/autoscaled/autoscaled.conf",
        ], "error: option '--csv': '/etc/autoscaled/autoscaled.conf' is the file '--config' names; each output must be a file of its own"),
        CommandLineCase("--svg naming --csv's file", [
            "simulate", "--config", "/nonexistent/a.conf", "--trace", "/nonexistent/t.csv", "--csv", "/nonexistent/o",
            "--svg", "/nonexistent/o",
        ], "error: option '--svg': '/nonexistent/o' is the file '--csv' names; each output must be a file of its own"),
        CommandLineCase("tune --write naming the trace", [
            "tune", "--config", "/nonexistent/a.conf", "--trace", "/nonexistent/t.csv", "--capacity", "1", "--startup-delay", "0",
            "--max-over", "1", "--write", "/nonexistent/t.csv",
        ], "error: option '--write': '/nonexistent/t.csv' is the file '--trace' names; each output must be a file of its own"),
        CommandLineCase("tune --svg naming --write's file", [
            "tune", "--config", "/nonexistent/a.conf", "--trace", "/nonexistent/t.csv", "--capacity", "1", "--startup-delay", "0",
            "--max-over", "1", "--write", "/nonexistent/w.conf", "--svg", "/nonexistent/w.conf",
        ], "error: option '--svg': '/nonexistent/w.conf' is the file '--write' names; each output must be a file of its own"),
    ])
    func parses(_ row: CommandLineCase) {
        #expect(row.outcome == row.expected)
    }

    @Test("the usage line shows the required option without brackets")
    func usageLine() {
        let text = HelpText.usageError(UsageError("missing option '--trace'", subcommand: "simulate"))
        #expect(text == """
            Error: missing option '--trace'
            Usage: autoscaled simulate [--config <path>] --trace <file> [--capacity <rps>] \
            [--startup-delay <time>] [--initial <n>] [--min <n>] [--max <n>] [--quiet] [--csv <file>] [--svg <file>] \
            [--policy <name>] [--target <utilisation>]
              See 'autoscaled simulate --help'.

            """)
    }
}

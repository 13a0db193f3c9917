import AutoscaledBase
import AutoscaledCore
import Glibc

/// `autoscaled-bench [all|parse|reaction|stop|history|idle|memory|simulate|week|seasonal] [--binary PATH] [--idle-seconds N]`
///
/// `week` runs only the week of offered load of `simulate` (the figure `tune` lives on; small
/// enough to profile under callgrind); `seasonal` the same week with `seasonal_periods` set.
///
/// Prints the performance figures docs/performance.md records. Build it in release mode:
/// `swift build -c release && .build/release/autoscaled-bench`.
var arguments = Array(CommandLine.arguments.dropFirst())
var binary = BenchChild.siblingBinary()
var idleSeconds = 60
var sections: [String] = []
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--binary": binary = arguments.isEmpty ? binary : arguments.removeFirst()
    case "--idle-seconds": idleSeconds = arguments.isEmpty ? idleSeconds : Int(arguments.removeFirst()) ?? idleSeconds
    case "all", "parse", "reaction", "stop", "history", "idle", "memory", "simulate", "week", "seasonal": sections.append(argument)
    default:
        print("usage: autoscaled-bench [all|parse|reaction|stop|history|idle|memory|simulate|week|seasonal]... [--binary PATH] [--idle-seconds N]")
        exit(64)
    }
}
if sections.isEmpty || sections.contains("all") { sections = ["parse", "reaction", "stop", "history", "idle", "memory", "simulate"] }
print("autoscaled-bench \(AutoscaledVersion.current); daemon binary: \(binary)")
for section in sections {
    switch section {
    case "parse": ParseBench.run()
    case "reaction": ReactionBench.run(binary: binary)
    case "stop": StopBench.run(binary: binary)
    case "history": HistoryBench.run(binary: binary)
    case "idle": IdleBench.run(binary: binary, seconds: idleSeconds)
    case "memory": MemoryBench.run(binary: binary)
    case "week": SimulatorBench.week()
    case "seasonal": SimulatorBench.seasonalWeek()
    default: SimulatorBench.run()
    }
}

import AutoscaledCore
@testable import AutoscaledSystem

/// Keeps every line written, for assertions.
final class MemoryLogSink: LogSink {
    private let stored = Locked<[String]>([])

    func write(line: String) {
        stored.withLock { $0.append(line) }
    }

    var lines: [String] { stored.withLock { $0 } }
}

extension Logger {
    /// Every level into `sink`, journal style (no timestamp), so lines compare exactly.
    static func recording(into sink: MemoryLogSink) -> Logger {
        Logger(level: .debug, encoder: LogEncoder(format: .logfmt, style: .journal), sink: sink, wallTime: { 0 })
    }
}

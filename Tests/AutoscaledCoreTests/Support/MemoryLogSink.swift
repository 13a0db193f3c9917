import AutoscaledCore

/// Keeps every line written, for assertions.
final class MemoryLogSink: LogSink {
    private let stored = Locked<[String]>([])

    func write(line: String) {
        stored.withLock { $0.append(line) }
    }

    var lines: [String] { stored.withLock { $0 } }
}

import AutoscaledSystem

/// Sends each record to journald's native socket as one datagram of fields (``JournalMessage``),
/// and writes the line to stderr instead when that is not possible: no socket, a full queue, a
/// record too large for a datagram. Nothing is lost and nothing waits: a send never blocks.
///
/// The socket is opened once (`SOCK_CLOEXEC`, so actuators do not inherit it) and used unconnected,
/// so a journald restart needs nothing from us.
public final class JournalSink: LogSink {
    /// Where journald listens for native messages.
    public static let defaultSocketPath = "/run/systemd/journal/socket"
    /// The environment variable that points the sink at another socket (tests).
    public static let socketVariable = "AUTOSCALED_JOURNAL_SOCKET"

    private let socket: DatagramSocket
    private let fallback = StandardErrorSink()

    public init(socketPath: String) {
        socket = DatagramSocket(path: socketPath)
    }

    public func write(line: String) {
        fallback.write(line: line)
    }

    public func write(line: String, dropReport: (Int) -> String?) {
        fallback.write(line: line, dropReport: dropReport)
    }

    /// Lines dropped on the way to stderr (the journal socket drops nothing: a failed send falls back).
    public var droppedLines: Int { fallback.droppedLines }

    public func write(_ record: LogRecord, line: String, dropReport: (Int) -> String?) {
        let prefix = LogEncoder.journalPrefix(record.level)
        let message = line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line
        let datagram = JournalMessage.encode(JournalMessage.fields(record, message: message))
        do throws(SystemError) {
            try send(datagram)
        } catch {
            fallback.write(line: line, dropReport: dropReport)
        }
    }

    /// Sends one datagram, without waiting for room in journald's queue.
    func send(_ datagram: [UInt8]) throws(SystemError) {
        try socket.send(datagram, subject: "journal")
    }
}

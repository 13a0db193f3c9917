import Glibc

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

    private let address: NotifySocketAddress?
    /// `-1` when no socket could be made; every record then goes to stderr.
    private let fd: Int32
    private let fallback = StandardErrorSink()

    public init(socketPath: String) {
        address = socketPath.hasPrefix("/") ? NotifySocketAddress(socketPath) : nil
        fd = (try? syscall("socket", socketPath) {
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }) ?? -1
    }

    deinit {
        if fd >= 0 { close(fd) }
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
        guard let address, fd >= 0 else { throw SystemError(call: "sendto", subject: "journal", errno: ENOTSOCK) }
        let sent = try address.withSockaddr { (sockaddr, length) throws(SystemError) -> Int in
            try syscall("sendto", address.text) {
                datagram.withUnsafeBytes { buffer in
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), sockaddr, length)
                }
            }
        }
        guard sent == datagram.count else { throw SystemError(call: "sendto", subject: address.text, errno: EMSGSIZE) }
    }
}

extension StandardStream {
    /// Whether `journalStream` (`JOURNAL_STREAM`, `DEVICE:INODE` in decimal) names the file `fd`
    /// is open on: systemd connected it to the journal, and it was not redirected since.
    public static func isJournalStream(_ journalStream: String, fd: Int32) -> Bool {
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard (try? syscall("fstat", "fd \(fd)") { fstat(fd, &info) }) != nil else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}

@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

struct JournalSinkTests {
    @Test("a record goes to the socket as one datagram, its message without the stream's <N> prefix")
    func sendsNatively() throws {
        let listener = try NotifySocketListener.temporary()
        let sink = JournalSink(socketPath: listener.notifySocket)
        let record = LogRecord(.warning, .sourceError, [LogField("cause", "line 1\nline 2")])
        sink.write(record, line: "<4>level=warning event=source-error cause=\"line 1\\nline 2\"") { _ in nil }
        let datagram = try #require(listener.receiveMessage(timeout: .seconds(5)))
        #expect(try JournalMessage.decode(datagram.bytes) == [
            .init("MESSAGE", "level=warning event=source-error cause=\"line 1\\nline 2\""), .init("PRIORITY", "4"),
            .init("SYSLOG_IDENTIFIER", "autoscaled"), .init("AUTOSCALED_EVENT", "source-error"),
            .init("AUTOSCALED_CAUSE", "line 1\nline 2"),
        ])
    }

    @Test("JOURNAL_STREAM matches only the device and inode of the descriptor itself")
    func journalStreamMatch() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fd = open(dir.path + "/stream", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        var info = stat()
        #expect(fstat(fd, &info) == 0)
        #expect(StandardStream.isJournalStream("\(info.st_dev):\(info.st_ino)", fd: fd))
        #expect(!StandardStream.isJournalStream("\(info.st_dev):\(info.st_ino + 1)", fd: fd))
        #expect(!StandardStream.isJournalStream("\(info.st_dev)", fd: fd))
        #expect(!StandardStream.isJournalStream("x:\(info.st_ino)", fd: fd))
        #expect(!StandardStream.isJournalStream("\(info.st_dev):\(info.st_ino)", fd: -1))
    }
}

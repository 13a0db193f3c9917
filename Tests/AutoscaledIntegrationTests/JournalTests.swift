import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

@Suite("journald's native protocol, with the test as journald")
struct JournalTests {
    /// Starts the daemon with `JOURNAL_STREAM` naming its own stderr (as systemd sets it), and its
    /// journal socket at `socket`.
    static func startUnderJournal(_ dir: Workspace, config: String? = nil, socket: String) -> ChildProcess {
        let script = #"export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) && exec "$0" run --config "$1""#
        return ChildProcess("/bin/sh", ["-c", script, autoscaledBinary(), config ?? dir.configPath],
                            environment: [JournalSink.socketVariable: socket], captureIn: dir.path)
    }

    /// The next datagram whose `AUTOSCALED_EVENT` is `event`, decoded.
    static func nextEntry(_ listener: NotifySocketListener, event: String) async throws -> [String: [UInt8]]? {
        let deadline = ContinuousClock.now + patience
        while ContinuousClock.now < deadline {
            guard let datagram = await listener.nextMessage(timeout: .milliseconds(100)) else { continue }
            let fields = try JournalMessage.decode(datagram.bytes)
            let entry = Dictionary(fields.map { ($0.name, $0.value) }) { first, _ in first }
            if entry["AUTOSCALED_EVENT"] == Array(event.utf8) { return entry }
        }
        return nil
    }

    @Test("each record arrives as fields: MESSAGE unchanged, PRIORITY, AUTOSCALED_*, a value with a newline whole")
    func nativeFields() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        let listener = try NotifySocketListener.temporary()
        // A directory name with a newline: the config path in `start` is a value with a newline.
        let pool = dir.file("pool\nA")
        #expect(mkdir(pool, 0o755) == 0)
        dir.writeConfig()
        dir.writeAtomically(pool + "/autoscaled.conf", dir.read(dir.configPath))
        dir.writeAtomically(pool + "/loads.json", #"{"hot": 90, "b": 10}"#)
        let daemon = Self.startUnderJournal(dir, config: pool + "/autoscaled.conf", socket: listener.notifySocket)

        let start = try #require(try await Self.nextEntry(listener, event: "start"))
        #expect(start["PRIORITY"] == Array("6".utf8))
        #expect(start["SYSLOG_IDENTIFIER"] == Array("autoscaled".utf8))
        #expect(start["AUTOSCALED_CONFIG"] == Array((pool + "/autoscaled.conf").utf8))
        let startMessage = String(decoding: start["MESSAGE"] ?? [], as: UTF8.self)
        #expect(startMessage.hasPrefix(#"level=info event=start config="\#(dir.path)/pool\nA/autoscaled.conf" "#))

        let scaleUp = try #require(try await Self.nextEntry(listener, event: "scale-up"))
        #expect(scaleUp["PRIORITY"] == Array("5".utf8))
        #expect(scaleUp["AUTOSCALED_FROM"] == Array("3".utf8))
        #expect(scaleUp["AUTOSCALED_TO"] == Array("4".utf8))
        #expect(scaleUp["AUTOSCALED_MAX_SERVER"] == Array("hot".utf8))
        #expect(scaleUp["AUTOSCALED_THRESHOLD"] == Array("50".utf8))
        let message = String(decoding: scaleUp["MESSAGE"] ?? [], as: UTF8.self)
        #expect(message.hasPrefix("level=notice event=scale-up from=3 to=4 servers_to_scale=1 threshold=50 max_load=90 max_server=hot "))

        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        // Everything went to the journal socket; nothing to the stream.
        #expect(daemon.standardError == "")
    }

    @Test("without the socket every line goes to stderr with its <N> priority, as before")
    func fallsBackToStderr() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 90}"#)
        let daemon = Self.startUnderJournal(dir, socket: dir.file("no-journal-here"))
        #expect(await daemon.waitForLine("<5>level=notice event=scale-up from=3 to=4") != nil, "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(daemon.stderrLines.first?.hasPrefix("<6>level=info event=start ") == true)
    }
}

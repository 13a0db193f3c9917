
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Dispatch
import Glibc
import Testing

struct FileChangeMonitorTests {
    /// A monitor on `dir`'s `loads.json` and `autoscaled.conf` whose reports arrive in a stream.
    static func monitor(_ dir: TemporaryDirectory) throws -> (FileChangeMonitor, AsyncStream<FileChangeMonitor.Target>) {
        let (stream, continuation) = AsyncStream.makeStream(of: FileChangeMonitor.Target.self)
        let monitor = try FileChangeMonitor(queue: DispatchQueue(label: "test.inotify"), clock: SystemMonotonicClock()) {
            continuation.yield($0)
        }
        monitor.watch([(.loadFile, dir.file("loads.json")), (.configFile, dir.file("autoscaled.conf"))])
        return (monitor, stream)
    }

    @Test("changes to other files in the directory wake nothing; the load file's rename does, once", .timeLimit(.minutes(1)))
    func otherNames() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (monitor, stream) = try Self.monitor(dir)
        defer { monitor.cancel() }
        for index in 0..<50 {
            dir.write("other-\(index).json", "{}")
            #expect(rename(dir.file("other-\(index).json"), dir.file("renamed-\(index).json")) == 0)
            #expect(unlink(dir.file("renamed-\(index).json")) == 0)
        }
        dir.write("loads.json.tmp", "{}")
        #expect(rename(dir.file("loads.json.tmp"), dir.file("loads.json")) == 0)
        dir.write("autoscaled.conf", "[source]\n")
        // inotify keeps the order of events: once the config's close is reported, every earlier
        // event has been handled, and only the two watched names were reported.
        var reported: [FileChangeMonitor.Target] = []
        for await target in stream {
            reported.append(target)
            if target == .configFile { break }
        }
        #expect(reported == [.loadFile, .configFile])
    }

    @Test("a write in progress is seen per file until the writer closes it; modifications are counted", .timeLimit(.minutes(1)))
    func activity() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (monitor, changes) = try Self.monitor(dir)
        defer { monitor.cancel() }
        let fd = open(dir.file("autoscaled.conf"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        _ = Glibc.write(fd, "[source]\n", 9)
        let writing = monitor.activity(of: .configFile, beforeRead: true)
        #expect(writing.writeInProgress && writing.modifications >= 1)
        #expect(!monitor.activity(of: .loadFile, beforeRead: true).writeInProgress)
        _ = Glibc.write(fd, "path = x\n", 9)
        close(fd)
        // The kernel queues the close's event when the last copy of the descriptor goes, which can be
        // after close() returns: a process another test forks meanwhile holds a copy until it execs.
        var reports = changes.makeAsyncIterator()
        #expect(await reports.next() == .configFile)
        let closed = monitor.activity(of: .configFile, beforeRead: true)
        #expect(!closed.writeInProgress && closed.modifications > writing.modifications)
    }

    @Test("a queue overflow (events lost) reports every file as changed, its write no longer in progress", .timeLimit(.minutes(1)))
    func overflow() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let reported = Locked<[FileChangeMonitor.Target]>([])
        // Never activated until the end: the events stay queued in the kernel until read here.
        let queue = DispatchQueue(label: "test.inotify.overflow", attributes: .initiallyInactive)
        let monitor = try FileChangeMonitor(queue: queue, clock: SystemMonotonicClock()) { target in
            reported.withLock { $0.append(target) }
        }
        defer {
            monitor.cancel()
            queue.activate()
        }
        monitor.watch([(.loadFile, dir.file("loads.json")), (.configFile, dir.file("autoscaled.conf"))])
        // A write to the config that never closes, as far as the events lost tell.
        let fd = open(dir.file("autoscaled.conf"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        _ = Glibc.write(fd, "[source]\n", 9)
        var bytes = [UInt8](repeating: 0, count: 32)
        let proc = open("/proc/sys/fs/inotify/max_queued_events", O_RDONLY | O_CLOEXEC)
        let count = proc < 0 ? 0 : Glibc.read(proc, &bytes, bytes.count)
        if proc >= 0 { close(proc) }
        let queued = Int(String(decoding: bytes.prefix(max(0, count)), as: UTF8.self).filter(\.isNumber)) ?? 16_384
        // Each file made and closed is two events (a create and a close): past the queue's bound.
        for index in 0..<(queued / 2 + 100) {
            close(open(dir.file("other-\(index)"), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644))
        }
        close(fd)
        monitor.processEvents()
        #expect(Set(reported.withLock { $0 }) == [.loadFile, .configFile])
        #expect(!monitor.activity(of: .configFile, beforeRead: true).writeInProgress)
    }

    /// Writes `text` to `path` in place and closes it.
    private static func writeInPlace(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        _ = Glibc.write(fd, text, text.utf8.count)
        close(fd)
    }

    @Test("a load file that is a symlink into another directory: a write to its target is seen in progress, and its close reported",
          .timeLimit(.minutes(1)))
    func symlinkTarget() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        mkdir(dir.file("real"), 0o755)
        let target = dir.file("real/loads.json")
        Self.writeInPlace(target, "{}")
        #expect(symlink(target, dir.file("loads.json")) == 0)
        let (monitor, changes) = try Self.monitor(dir)
        defer { monitor.cancel() }
        let fd = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
        _ = Glibc.write(fd, "{\"a\":", 6)
        #expect(monitor.activity(of: .loadFile, beforeRead: true).writeInProgress)
        _ = Glibc.write(fd, " 1}", 3)
        close(fd)
        var reports = changes.makeAsyncIterator()
        #expect(await reports.next() == .loadFile)
        #expect(!monitor.activity(of: .loadFile, beforeRead: true).writeInProgress)
    }

    @Test("a symlink moved to another target is followed: writes to the new target are reported, the old one's are not",
          .timeLimit(.minutes(1)))
    func symlinkRetargeted() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        for name in ["old", "new"] {
            mkdir(dir.file(name), 0o755)
            Self.writeInPlace(dir.file("\(name)/loads.json"), "{}")
        }
        #expect(symlink(dir.file("old/loads.json"), dir.file("loads.json")) == 0)
        let (monitor, changes) = try Self.monitor(dir)
        defer { monitor.cancel() }
        var reports = changes.makeAsyncIterator()
        #expect(symlink(dir.file("new/loads.json"), dir.file("link.tmp")) == 0)
        #expect(rename(dir.file("link.tmp"), dir.file("loads.json")) == 0)
        #expect(await reports.next() == .loadFile)
        // Events keep their order: the config's close comes after anything the old target's write caused.
        Self.writeInPlace(dir.file("old/loads.json"), "{\"a\": 1}")
        Self.writeInPlace(dir.file("autoscaled.conf"), "[source]\n")
        #expect(await reports.next() == .configFile)
        Self.writeInPlace(dir.file("new/loads.json"), "{\"a\": 2}")
        #expect(await reports.next() == .loadFile)
    }
}

import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

struct StandardErrorSinkTests {
    @Test("a full pipe nobody reads: lines are dropped at once, the shared descriptor stays blocking")
    func fullPipe() {
        let pipe = smallPipe()
        defer { close(pipe.read); close(pipe.write) }
        let sink = StandardErrorSink(fd: pipe.write)
        let line = String(repeating: "x", count: 99)
        for _ in 0..<100 { sink.write(line: line) }
        // One page holds 40 lines of 100 bytes; the rest were dropped without blocking.
        #expect(sink.droppedLines == 60)
        #expect(fcntl(pipe.write, F_GETFL) & O_NONBLOCK == 0)
        var buffer = [UInt8](repeating: 0, count: 8192)
        #expect(read(pipe.read, &buffer, buffer.count) == 4000)
        sink.write(line: "after", dropReport: { "dropped \($0)" })
        let count = read(pipe.read, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self) == "dropped 60\nafter\n")
    }

    /// A pipe of one page.
    private func smallPipe() -> (read: Int32, write: Int32) {
        let pipe = TestPipe(capacity: 4096)
        return (pipe.readEnd, pipe.writeEnd)
    }
}

import AutoscaledCore
@testable import AutoscaledSystem
import Testing

/// A writer that takes at most the next scripted number of bytes per call (0: would block,
/// nil: broken pipe) and keeps what it took.
final class ScriptedOutput {
    var script: [Int?]
    var taken: [UInt8] = []

    init(_ script: [Int?]) { self.script = script }

    func attempt(_ bytes: UnsafeRawBufferPointer) -> WriteAttempt {
        guard !script.isEmpty else { return .wouldBlock }
        guard let limit = script.removeFirst() else { return .failed(brokenPipe: true) }
        guard limit > 0 else { return .wouldBlock }
        let count = min(limit, bytes.count)
        taken += bytes.prefix(count)
        return .wrote(count)
    }

    var text: String { String(decoding: taken, as: UTF8.self) }
}

struct LossyLineWriterTests {
    static func line(_ text: String) -> [UInt8] { Array((text + "\n").utf8) }
    static func report(_ count: Int) -> [UInt8]? { line("dropped \(count)") }

    @Test("a line that cannot be written is dropped whole and counted; the count comes first once writing works")
    func dropsAndReports() {
        var writer = LossyLineWriter()
        let output = ScriptedOutput([0, 0, 100, 100])
        writer.write(Self.line("one"), report: Self.report, attempt: output.attempt)
        writer.write(Self.line("two"), report: Self.report, attempt: output.attempt)
        #expect(writer.droppedTotal == 2 && writer.unreported == 2 && output.taken.isEmpty)
        writer.write(Self.line("three"), report: Self.report, attempt: output.attempt)
        #expect(output.text == "dropped 2\nthree\n")
        #expect(writer.droppedTotal == 2 && writer.unreported == 0)
    }

    @Test("a short write is finished before anything else: no line is ever cut")
    func partialWrites() {
        var writer = LossyLineWriter()
        // "abcdef\n": 3 bytes, then blocked; the next line finds it still blocked and is dropped;
        // then the rest of the first line goes out, then the report, then the third line.
        let output = ScriptedOutput([3, 0, 0, 100, 100, 100])
        writer.write(Self.line("abcdef"), report: Self.report, attempt: output.attempt)
        #expect(writer.pending == Array("def\n".utf8) && writer.droppedTotal == 0)
        writer.write(Self.line("second"), report: Self.report, attempt: output.attempt)
        #expect(writer.droppedTotal == 1 && output.text == "abc")
        writer.write(Self.line("third"), report: Self.report, attempt: output.attempt)
        #expect(output.text == "abcdef\ndropped 1\nthird\n")
        #expect(writer.pending.isEmpty && writer.unreported == 0)
    }

    @Test("a line taken in several short writes that go through at once is written whole")
    func shortWritesInARow() {
        var writer = LossyLineWriter()
        let output = ScriptedOutput([2, 2, 2, 2])
        writer.write(Self.line("abcdef"), report: Self.report, attempt: output.attempt)
        #expect(output.text == "abcdef\n" && writer.droppedTotal == 0)
    }

    @Test("a reader that is gone: every line is counted as dropped, and writing goes on being tried")
    func brokenPipe() {
        var writer = LossyLineWriter()
        let output = ScriptedOutput([nil, nil, 100, 100])
        writer.write(Self.line("one"), report: Self.report, attempt: output.attempt)
        writer.write(Self.line("two"), report: Self.report, attempt: output.attempt)
        #expect(writer.droppedTotal == 2)
        writer.write(Self.line("three"), report: Self.report, attempt: output.attempt)
        #expect(output.text == "dropped 2\nthree\n")
    }

    @Test("a line written without a report keeps the count for the next line that has one")
    func reportLater() {
        var writer = LossyLineWriter()
        let output = ScriptedOutput([0, 100, 100, 100])
        writer.write(Self.line("one"), report: { _ in nil }, attempt: output.attempt)
        writer.write(Self.line("two"), report: { _ in nil }, attempt: output.attempt)
        #expect(output.text == "two\n" && writer.droppedTotal == 1 && writer.unreported == 1)
        writer.write(Self.line("three"), report: Self.report, attempt: output.attempt)
        #expect(output.text == "two\ndropped 1\nthree\n" && writer.unreported == 0)
    }
}

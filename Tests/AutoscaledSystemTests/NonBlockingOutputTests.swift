@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

struct NonBlockingOutputTests {
    /// A pipe of one page.
    static func smallPipe() -> (read: Int32, write: Int32) {
        let pipe = TestPipe(capacity: 4096)
        return (pipe.readEnd, pipe.writeEnd)
    }

    @Test("a pipe whose reader is gone fails with EPIPE instead of killing the process")
    func readerGone() {
        SignalWatcher.ignoreBrokenPipe()
        let pipe = Self.smallPipe()
        close(pipe.read)
        defer { close(pipe.write) }
        let output = NonBlockingOutput(inherited: pipe.write)
        let result = Array("line\n".utf8).withUnsafeBytes { output.attempt($0) }
        #expect(result == .failed(brokenPipe: true))
    }

    @Test("a socket is written with MSG_DONTWAIT: a full one would block, never blocks")
    func socket() {
        var pair: [Int32] = [0, 0]
        precondition(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        let output = NonBlockingOutput(inherited: pair[1])
        #expect(output.mode == .socket)
        let chunk = [UInt8](repeating: 0x78, count: 65536)
        var last = WriteAttempt.wrote(1)
        for _ in 0..<1000 {
            last = chunk.withUnsafeBytes { output.attempt($0) }
            if last == .wouldBlock { break }
        }
        #expect(last == .wouldBlock)
    }

    @Test("a regular file is written plainly")
    func regularFile() {
        let path = "/tmp/autoscaled-nbo-\(getpid())"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(fd); unlink(path) }
        let output = NonBlockingOutput(inherited: fd)
        #expect(output.mode == .plain)
        #expect(Array("line\n".utf8).withUnsafeBytes { output.attempt($0) } == .wrote(5))
    }
}

import AutoscaledTestSupport
import AutoscaledCore
import Glibc
import Testing

struct RegularFileTests {
    @Test("a regular file is read whole with its modification time")
    func reads() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("f", "hello")
        let contents = try RegularFile.read(dir.file("f"), limit: 100)
        #expect(contents.bytes == Array("hello".utf8))
        #expect(contents.modifiedAt > 1_700_000_000)
    }

    @Test("what is not a readable regular file is refused with a clear error")
    func refusals() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        mkdir(dir.file("d"), 0o755)
        mkfifo(dir.file("fifo"), 0o644)
        symlink(dir.file("loop1"), dir.file("loop2"))
        symlink(dir.file("loop2"), dir.file("loop1"))
        dir.write("big", String(repeating: "x", count: 101))
        func failure(_ name: String) -> String {
            do { _ = try RegularFile.read(dir.file(name), limit: 100); return "read" } catch { return error.description }
        }
        #expect(failure("missing") == "open(\(dir.file("missing"))): no such file or directory (errno 2)")
        #expect(failure("d") == "\(dir.file("d")): not a regular file")
        #expect(failure("fifo") == "\(dir.file("fifo")): not a regular file")
        #expect(failure("loop1") == "open(\(dir.file("loop1"))): too many levels of symbolic links (errno 40)")
        #expect(failure("big") == "\(dir.file("big")): larger than the 100-byte limit")
    }
}

struct AtomicFileTests {
    @Test("a replacement keeps a symlink and writes its target")
    func keepsSymlink() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("real", "old")
        symlink(dir.file("real"), dir.file("link"))
        try AtomicFile.write(Array("new".utf8), to: dir.file("link"), mode: 0o600)
        #expect(dir.read("real") == "new")
        var info = stat()
        lstat(dir.file("link"), &info)
        #expect(info.st_mode & S_IFMT == S_IFLNK)
        stat(dir.file("real"), &info)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test("a failed write names the call and the path")
    func failureNamesCall() {
        #expect(throws: SystemError(call: "open", subject: "/nonexistent-dir/.f.tmp-\(getpid())", errno: ENOENT)) {
            try AtomicFile.write([1], to: "/nonexistent-dir/f")
        }
    }
}

import AutoscaledTestSupport
@testable import AutoscaledSystem
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
        symlink("/dev/null", dir.file("null"))
        symlink(dir.file("loop1"), dir.file("loop2"))
        symlink(dir.file("loop2"), dir.file("loop1"))
        dir.write("big", String(repeating: "x", count: 101))
        func failure(_ name: String) -> String {
            do { _ = try RegularFile.read(dir.file(name), limit: 100); return "read" } catch { return error.description }
        }
        #expect(failure("missing") == "open(\(dir.file("missing"))): no such file or directory (errno 2)")
        #expect(failure("d") == "\(dir.file("d")): is a directory, not a regular file")
        #expect(failure("fifo") == "\(dir.file("fifo")): is a FIFO, not a regular file")
        #expect(failure("null") == "\(dir.file("null")): is a character device, not a regular file")
        // A socket, which open refuses with ENXIO, at the path and behind a link.
        let socket = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let socketPath = dir.file("sock")
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        symlink(socketPath, dir.file("to-sock"))
        #expect(failure("sock") == "\(socketPath): is a socket, not a regular file")
        #expect(failure("to-sock") == "\(dir.file("to-sock")): is a socket, not a regular file")
        #expect(failure("loop1") == "open(\(dir.file("loop1"))): too many levels of symbolic links (errno 40)")
        #expect(failure("big") == "\(dir.file("big")): larger than the 100-byte limit")
        // Files of /proc (a size of 0, and data) and /sys (4096, and a few bytes): not "changed while being read".
        for path in ["/proc/version", "/sys/kernel/mm/transparent_hugepage/enabled", "/sys/class/net/lo/address"] {
            do {
                _ = try RegularFile.read(path, limit: 1 << 20)
                Issue.record("\(path) was read")
            } catch {
                guard case let .noStatedSize(named, stated, read) = error else {
                    Issue.record("\(path): \(error)")
                    continue
                }
                #expect(named == path && stated != read && read > 0)
            }
        }
        #expect(FileReadError.noStatedSize(path: "/proc/version", stated: 0, read: 160).description == "/proc/version: has a size "
            + "of 0 but reads as 160 bytes (a file the kernel makes, as in /proc or /sys), not a regular file of known size")
        // An empty regular file is read as empty.
        dir.write("empty", "")
        #expect(failure("empty") == "read")
    }

    @Test("a regular file larger than the limit is refused by its size, before a byte is read")
    func refusedBySize() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("big", String(repeating: "x", count: 101))
        let fd = try FileDescriptor.open(dir.file("big"), O_RDONLY)
        defer { fd.close() }
        #expect(try fd.readToEnd(limit: 100) == nil)
        #expect(lseek(fd.rawValue, 0, SEEK_CUR) == 0)
        #expect(try fd.readToEnd(limit: 101) == Array(repeating: UInt8(ascii: "x"), count: 101))
    }

    @Test("a message that already names the file gets the error without the path; another path stays")
    func omittingThePath() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        mkdir(dir.file("d"), 0o755)
        func failure(_ name: String, omitting named: String) -> String {
            do { _ = try RegularFile.read(dir.file(name), limit: 100); return "read" } catch {
                return error.description(omitting: named)
            }
        }
        #expect(failure("missing", omitting: dir.file("missing")) == "open: no such file or directory (errno 2)")
        #expect(failure("d", omitting: dir.file("d")) == "is a directory, not a regular file")
        #expect(failure("d", omitting: dir.file("other")) == "\(dir.file("d")): is a directory, not a regular file")
        #expect(FileReadError.untrustedSymlink(path: "/run/l", owner: 7).description(omitting: "/run/l")
            == "is a symbolic link owned by uid 7, neither root nor this process's user; not followed")
        #expect(FileReadError.changedWhileReading(path: "/run/l").description(omitting: "/run/m") == "/run/l: changed while being read")
        let refused = SystemError(call: "connect", subject: "127.0.0.1:9", errno: ECONNREFUSED)
        #expect(refused.description(omitting: "127.0.0.1:9") == "connect: connection refused (errno 111)")
        #expect(refused.description(omitting: "http://127.0.0.1:9/metrics") == refused.description)
        #expect(SocketError.timedOut(call: "read", subject: "/run/h.sock", after: .seconds(2)).description(omitting: "/run/h.sock")
            == "read: timed out after 2s")
        #expect(SocketError.tooLarge(subject: "/run/h.sock", limit: 10).description(omitting: nil) == "read(/run/h.sock): more than 10 bytes")
    }

    @Test("a symlink is followed when root or this user owns it, and refused when another user does")
    func symlinkOwners() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("real", "data")
        symlink(dir.file("real"), dir.file("mine"))
        #expect(try RegularFile.read(dir.file("mine"), limit: 100).bytes == Array("data".utf8))
        guard geteuid() == 0 else { return }  // only root can hand a link to another user
        symlink(dir.file("real"), dir.file("theirs"))
        #expect(lchown(dir.file("theirs"), 65534, 65534) == 0)
        #expect(throws: FileReadError.untrustedSymlink(path: dir.file("theirs"), owner: 65534)) {
            try RegularFile.read(dir.file("theirs"), limit: 100)
        }
        #expect(FileReadError.untrustedSymlink(path: "/d/l", owner: 65534).description
            == "/d/l: is a symbolic link owned by uid 65534, neither root nor this process's user; not followed")
    }

    @Test("another user's symlink on the way to the file is refused too: as a directory of the path, or in a trusted link's target")
    func symlinkOwnersOnTheWay() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        mkdir(dir.file("secret"), 0o700)
        dir.write("secret/loads.json", "data")
        // Links of this user, on the way and at the end, through `..`: followed.
        symlink("secret", dir.file("mine"))
        symlink("mine/../secret/loads.json", dir.file("mine-end"))
        #expect(try RegularFile.read(dir.file("mine/loads.json"), limit: 100).bytes == Array("data".utf8))
        #expect(try RegularFile.read(dir.file("mine-end"), limit: 100).bytes == Array("data".utf8))
        #expect(try RegularFile.resolveTrusted(dir.file("mine-end")) == dir.file("secret/loads.json"))
        guard geteuid() == 0 else { return }  // only root can hand a link to another user
        symlink("secret", dir.file("theirs"))
        #expect(lchown(dir.file("theirs"), 65534, 65534) == 0)
        #expect(throws: FileReadError.untrustedSymlink(path: dir.file("theirs"), owner: 65534)) {
            try RegularFile.read(dir.file("theirs/loads.json"), limit: 100)
        }
        // A link this user owns whose target goes through theirs.
        symlink("theirs/loads.json", dir.file("mine-via-theirs"))
        #expect(throws: FileReadError.untrustedSymlink(path: dir.file("theirs"), owner: 65534)) {
            try RegularFile.read(dir.file("mine-via-theirs"), limit: 100)
        }
    }
}

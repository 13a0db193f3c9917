@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

struct AtomicFileTests {
    func listing(_ path: String) -> [String] {
        (try? Directory.open(path)).map { directory in
            defer { directory.close() }
            return ((try? directory.names()) ?? []).sorted()
        } ?? []
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode
    }

    @Test("a name in the current directory is told as given, not as ./name (the message's subject is then not said twice)")
    func namesInTheCurrentDirectory() throws {
        let here = try Directory.open(".")
        defer { here.close() }
        #expect(here.pathOf("adir") == "adir")
        let root = try Directory.open("/")
        defer { root.close() }
        #expect(root.pathOf("tmp") == "/tmp")
        #expect(FileWriteError.notRegularFile(path: here.pathOf("adir"), kind: .directory).description(omitting: "adir")
            == "is a directory, not a regular file; refusing to replace it")
    }

    @Test("a write replaces a regular file by rename, with its mode, and leaves no temporary file")
    func replaces() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("f", "old", mode: 0o600)
        try AtomicFile.write(Array("new".utf8), to: dir.file("f"), mode: 0o640)
        #expect(dir.read("f") == "new")
        #expect(mode(dir.file("f")) & 0o777 == 0o640)
        #expect(listing(dir.path) == ["f"])
    }

    @Test("a symlink at the path is refused; neither the link nor its target changes")
    func refusesSymlink() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("victim", "secret", mode: 0o600)
        symlink(dir.file("victim"), dir.file("link"))
        #expect(throws: FileWriteError.symbolicLink(path: dir.file("link"), target: dir.file("victim"))) {
            try AtomicFile.write(Array("new".utf8), to: dir.file("link"), mode: 0o644)
        }
        #expect(dir.read("victim") == "secret")
        #expect(mode(dir.file("victim")) & 0o777 == 0o600)
        #expect(mode(dir.file("link")) & S_IFMT == S_IFLNK)
        #expect(listing(dir.path) == ["link", "victim"])
        #expect(FileWriteError.symbolicLink(path: "/s/state.json", target: "/etc/shadow").description
            == "/s/state.json: is a symbolic link (to /etc/shadow); refusing to write through it (set the path to the real location)")
    }

    @Test("a dangling symlink, a directory or a FIFO at the path is refused, not replaced")
    func refusesOtherKinds() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        symlink(dir.file("nowhere"), dir.file("dangling"))
        mkdir(dir.file("d"), 0o755)
        mkfifo(dir.file("fifo"), 0o644)
        #expect(throws: FileWriteError.symbolicLink(path: dir.file("dangling"), target: dir.file("nowhere"))) {
            try AtomicFile.write([1], to: dir.file("dangling"))
        }
        #expect(access(dir.file("nowhere"), F_OK) == -1)
        #expect(throws: FileWriteError.notRegularFile(path: dir.file("d"), kind: .directory)) {
            try AtomicFile.write([1], to: dir.file("d"))
        }
        #expect(throws: FileWriteError.notRegularFile(path: dir.file("fifo"), kind: .other)) {
            try AtomicFile.write([1], to: dir.file("fifo"))
        }
        #expect(FileWriteError.notRegularFile(path: "/m/x.prom", kind: .directory).description
            == "/m/x.prom: is a directory, not a regular file; refusing to replace it")
    }

    @Test("a symlink standing at the temporary name is replaced by a new file, never written through")
    func temporaryNameSymlink() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("victim", "secret", mode: 0o600)
        symlink(dir.file("victim"), dir.file(AtomicFile.temporaryName(for: "f", pid: getpid())))
        try AtomicFile.write(Array("new".utf8), to: dir.file("f"))
        #expect(dir.read("f") == "new")
        #expect(dir.read("victim") == "secret")
        #expect(listing(dir.path) == ["f", "victim"])
    }

    @Test("a failed write names the call and the path")
    func failureNamesCall() {
        #expect(throws: FileWriteError.system(SystemError(call: "open", subject: "/nonexistent-dir", errno: ENOENT))) {
            try AtomicFile.write([1], to: "/nonexistent-dir/f")
        }
    }

    @Test("leftover temporary files of dead writers are removed; a live writer's and other files stay")
    func leftovers() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var child: pid_t = 0
        let argument = strdup("true")
        defer { free(argument) }
        #expect(posix_spawn(&child, "/bin/true", nil, nil, [argument, nil], nil) == 0)
        var status: Int32 = 0
        waitpid(child, &status, 0)  // a pid that no longer names a process
        let dead = AtomicFile.temporaryName(for: "state.json", pid: child)
        let live = AtomicFile.temporaryName(for: "state.json", pid: getppid())
        for name in [dead, live, "state.json", ".other.autoscaled-tmp.1", ".state.json.autoscaled-tmp.x"] {
            dir.write(name, "x")
        }
        #expect(try AtomicFile.removeLeftovers(of: dir.file("state.json")) == AtomicFile.Leftovers(removed: [dir.file(dead)]))
        #expect(listing(dir.path) == [".other.autoscaled-tmp.1", live, ".state.json.autoscaled-tmp.x", "state.json"].sorted())
        #expect(try AtomicFile.removeLeftovers(of: dir.file("missing-dir/state.json")) == AtomicFile.Leftovers())
    }

    @Test("a leftover that cannot be removed (a directory of that name) is a failure of its own: every other one is removed")
    func leftoverNotRemoved() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let names = (1...4).map { AtomicFile.temporaryName(for: "state.json", pid: pid_t(Int32.max - $0)) }
        for name in names.dropLast() { dir.write(name, "x") }
        #expect(mkdir(dir.file(names[3]), 0o755) == 0)
        let leftovers = try AtomicFile.removeLeftovers(of: dir.file("state.json"))
        #expect(Set(leftovers.removed) == Set(names.dropLast().map(dir.file)))
        #expect(leftovers.failures.map(\.description) == ["unlinkat(\(dir.file(names[3]))): is a directory (errno 21)"])
        #expect(listing(dir.path) == [names[3]])
    }
}

struct LockFileTests {
    @Test("who holds a lock is read from /proc/locks without taking it: the holder's pid, or none once it is released")
    func holder() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(LockFile.holder(of: dir.file("missing.lock")) == .none)
        let lock = try LockFile.acquire(dir.file("a.lock"))
        #expect(LockFile.holder(of: dir.file("a.lock")) == .process(pid: getpid()))
        lock.release()
        #expect(LockFile.holder(of: dir.file("a.lock")) == .none)
        // A line of another file, and a waiter's line (`->`), are not the holder.
        var info = stat()
        #expect(stat(dir.file("a.lock"), &info) == 0)
        let major = String((UInt64(info.st_dev) >> 8) & 0xFFF, radix: 16), minor = String(UInt64(info.st_dev) & 0xFF, radix: 16)
        let here = "\(major):\(minor):\(info.st_ino)"
        #expect(LockFile.holder(of: dir.file("a.lock"), locks: "1: FLOCK  ADVISORY  WRITE 42 \(major):\(minor):1 0 EOF\n"
            + "1: -> FLOCK  ADVISORY  WRITE 43 \(here) 0 EOF\n") == .none)
        #expect(LockFile.holder(of: dir.file("a.lock"), locks: "7: POSIX  ADVISORY  WRITE 41 \(here) 0 EOF\n"
            + "8: FLOCK  ADVISORY  WRITE 42 \(here) 0 EOF\n") == .process(pid: 42))
    }

    @Test("the lock records our pid; a second taker fails at once, naming it; a released lock is taken again")
    func exclusive() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("sub/state.json.lock")
        let lock = try LockFile.acquire(path)
        #expect(dir.read("sub/state.json.lock") == "\(getpid())\n")
        // flock locks belong to the open file description: a second open conflicts even in one process.
        #expect(throws: LockFile.Failure.held(lockPath: path, pid: getpid())) { try LockFile.acquire(path) }
        #expect(LockFile.Failure.held(lockPath: "/s/state.json.lock", pid: 42).description
            == "/s/state.json.lock: locked by another process (pid 42)")
        lock.release()
        let again = try LockFile.acquire(path)
        again.release()
    }

    @Test("a release frees the lock even while another copy of its descriptor is open (a child not yet exec'd)")
    func releaseWithCopyOpen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("state.json.lock")
        let lock = try LockFile.acquire(path)
        // What a child being spawned by another thread holds until its exec: the same open file description.
        let copy = dup(lock.descriptor.rawValue)
        #expect(copy >= 0)
        defer { close(copy) }
        lock.release()
        let again = try LockFile.acquire(path)
        again.release()
    }

    @Test("a symlink at the lock path is refused, its target untouched")
    func refusesSymlink() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("victim", "secret", mode: 0o600)
        symlink(dir.file("victim"), dir.file("state.json.lock"))
        #expect(throws: LockFile.Failure.file(.symbolicLink(path: dir.file("state.json.lock"), target: dir.file("victim")))) {
            try LockFile.acquire(dir.file("state.json.lock"))
        }
        #expect(dir.read("victim") == "secret")
    }

    @Test("a temporary file that cannot be made names the file written and its directory, not the temporary name")
    func cannotCreateTemporary() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // 240 bytes is a name the kernel takes; its temporary file's (264) is not.
        let path = dir.file(String(repeating: "x", count: 240))
        do {
            try AtomicFile.write(Array("1\n".utf8), to: path)
            Issue.record("written")
        } catch {
            guard case let .cannotCreate(failed, cause) = error else { Issue.record("\(error)"); return }
            #expect(failed == path && cause.errno == ENAMETOOLONG)
            #expect(error.description == "\(path): cannot be written: no file can be created in \(dir.path) (file name too long, errno 36)")
        }
        #expect(FileWriteError.cannotCreate(path: "/s/state.json.pause", cause: SystemError(call: "openat", errno: EACCES)).description
            == "/s/state.json.pause: cannot be written: no file can be created in /s (permission denied, errno 13)")
        #expect(listing(dir.path).isEmpty)
    }
}

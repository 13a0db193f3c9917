import Glibc

/// An exclusive `flock` on a lock file, held for the life of the process, that records the holder's
/// pid so that a second process can say who holds it.
///
/// The file is opened like every file the daemon writes (in its directory, `O_NOFOLLOW`, refused
/// when it is a symlink or not a regular file) with `O_CLOEXEC`, so programs the daemon runs do
/// not inherit the lock. It is left in place on exit: removing it would race with a starting
/// process, and an unlocked file holds no lock.
public struct LockFile: Sendable {
    /// Why the lock was not taken.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Another process holds it; `pid` is what the file says, when it says anything.
        case held(lockPath: String, pid: Int32?)
        case file(FileWriteError)

        public var description: String {
            switch self {
            case let .held(lockPath, pid):
                "\(lockPath): locked by another process (pid \(pid.map(String.init) ?? "unknown"))"
            case let .file(error): error.description
            }
        }
    }

    public let path: String
    let descriptor: FileDescriptor
    /// Why our pid could not be written into the file (a full disk, the file-size limit): the lock
    /// is held all the same, but a second process cannot say whose it is.
    public private(set) var pidWriteFailure: SystemError?

    /// Takes the lock at `path`, creating the file (0644) and its directory (0755) when missing,
    /// and writes our pid into it (best effort: see ``pidWriteFailure``). Never waits: a lock held
    /// elsewhere fails at once.
    public static func acquire(_ path: String) throws(Failure) -> LockFile {
        let name = baseName(of: path)
        let directoryPath = parentDirectory(of: path)
        let directory: Directory
        do {
            if !directoryExists(directoryPath) { try AtomicFile.makeDirectories(directoryPath) }
            directory = try Directory.open(directoryPath)
        } catch {
            throw .file(.system(error))
        }
        defer { directory.close() }
        do { try AtomicFile.checkReplaceable(name, in: directory) } catch { throw .file(error) }
        let fd: FileDescriptor
        do { fd = try directory.openFile(name, O_RDWR | O_CREAT, mode: 0o644) } catch { throw .file(.system(error)) }
        if flock(fd.rawValue, LOCK_EX | LOCK_NB) == -1 {
            let code = errno
            defer { fd.close() }
            guard code == EWOULDBLOCK else { throw .file(.system(SystemError(call: "flock", subject: path, errno: code))) }
            let text = (try? fd.readToEnd(limit: 64)).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
            throw .held(lockPath: path, pid: text.flatMap { content in Int32(content.prefix { $0 != "\n" }) })
        }
        var lock = LockFile(path: path, descriptor: fd)
        do throws(SystemError) {
            _ = try syscall("ftruncate", path) { ftruncate(fd.rawValue, 0) }
            try Array("\(getpid())\n".utf8).withUnsafeBytes { buffer in
                Result { () throws(SystemError) in try fd.writeAll(buffer) }
            }.get()
        } catch {
            lock.pidWriteFailure = error
        }
        return lock
    }

    /// Where the locked file stands against ``path``. A lock whose file was removed, moved or
    /// replaced keeps no one out: a process that opens the path creates or locks another file.
    public func placement() throws(SystemError) -> FilePlacement {
        try descriptor.placement(at: path)
    }

    /// Gives the lock up, then closes the file (the file stays). Unlocked first: a child being
    /// spawned by another thread holds a copy of the descriptor until its exec closes it, and a
    /// close alone would leave the lock held by that copy for that moment.
    public func release() {
        _ = flock(descriptor.rawValue, LOCK_UN)
        descriptor.close()
    }
}

extension LockFile {
    /// Who holds the `flock` on a lock file, seen without taking it (taking it, even for an
    /// instant, could make a daemon starting then fail).
    public enum Holder: Sendable, Equatable {
        /// A process holds it: `pid` as this process's pid namespace sees it (0: from another namespace).
        case process(pid: Int32)
        /// No process holds it, or there is no lock file.
        case none
        /// `/proc/locks` could not be read.
        case unknown
    }

    /// Who holds the lock at `path`, from `/proc/locks` (`locks`: its text, for tests).
    public static func holder(of path: String, locks: String? = nil) -> Holder {
        var info = stat()
        guard stat(path, &info) == 0 else { return .none }
        guard let text = locks ?? readProcLocks() else { return .unknown }
        // `1: FLOCK  ADVISORY  WRITE 31665 fe:00:16226614 0 EOF`: the device's major and minor in hex, the inode in decimal.
        let device = UInt64(info.st_dev)
        // glibc's gnu_dev_major and gnu_dev_minor.
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & 0xFFFF_F000)
        let minor = (device & 0xFF) | ((device >> 12) & 0xFFFF_FF00)
        let file = String(major, radix: 16) + ":" + String(minor, radix: 16) + ":" + String(UInt64(info.st_ino))
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]) else { continue }
            let parts = fields[5].split(separator: ":")
            guard parts.count == 3, let lockMajor = UInt64(parts[0], radix: 16), let lockMinor = UInt64(parts[1], radix: 16)
            else { continue }
            if String(lockMajor, radix: 16) + ":" + String(lockMinor, radix: 16) + ":" + parts[2] == file { return .process(pid: pid) }
        }
        return .none
    }

    private static func readProcLocks() -> String? {
        guard let fd = try? FileDescriptor.open("/proc/locks", O_RDONLY) else { return nil }
        defer { fd.close() }
        guard let bytes = try? fd.readToEnd(limit: 16 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

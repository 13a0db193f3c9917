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

import Glibc

/// Replaces files atomically and without following links: a reader sees the old contents or the
/// new, never a mix; after a crash or power loss the file holds one of the two; and a symlink (or
/// anything but a regular file) at the path is refused, never written through.
///
/// Steps, all relative to the open parent directory: `fstatat(name, AT_SYMLINK_NOFOLLOW)` must find
/// a regular file or nothing; the temporary file `.<name>.autoscaled-tmp.<pid>` is created with
/// `openat(O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)` and an explicit mode, written, `fsync`ed,
/// then `renameat` over the name (a rename replaces the entry itself, so even a link put there
/// after the check is replaced, not followed), and the directory is `fsync`ed.
public enum AtomicFile {
    /// What follows `.<name>` in a temporary file's name; the writer's pid comes after it.
    static let temporaryMarker = ".autoscaled-tmp."

    /// With `durable: false` the two `fsync`s are skipped: readers still see the old contents or
    /// the new, but after a power loss the file may hold neither (for files that are rewritten
    /// often and need not survive, like metrics).
    /// - Parameter replacingLink: a symbolic link at `path` is replaced by the file (the link's
    ///   target untouched), not refused: for a file only its own commands write (the pause file).
    public static func write(
        _ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = true, replacingLink: Bool = false
    ) throws(FileWriteError) {
        let directory = try FileWriteError.wrapping { () throws(SystemError) in try Directory.open(parentDirectory(of: path)) }
        defer { directory.close() }
        let name = baseName(of: path)
        try checkReplaceable(name, in: directory, replacingLink: replacingLink)
        let temporary = temporaryName(for: name, pid: getpid())
        // The temporary file is the write's own business: a failure to make it names the path.
        let fd: FileDescriptor
        do {
            if try directory.kind(of: temporary) != nil { try directory.unlink(temporary) }
            fd = try directory.openFile(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        } catch {
            throw .cannotCreate(path: path, cause: error)
        }
        try FileWriteError.wrapping { () throws(SystemError) in
            do throws(SystemError) {
                _ = try syscall("fchmod", fd.subject) { fchmod(fd.rawValue, mode) }
                try bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try fd.writeAll(buffer) } }.get()
                if durable { try fd.sync() }
                fd.close()
                try directory.rename(temporary, to: name)
            } catch {
                fd.close()
                try? directory.unlink(temporary)
                throw error
            }
            if durable { try directory.sync() }
        }
    }

    /// Whether ``write(_:to:mode:durable:)`` could make `path` now: its directory exists and may be
    /// written, and the name is a regular file or absent; checked before long work whose result
    /// goes there. Throws what the write would.
    public static func checkWritable(_ path: String) throws(FileWriteError) {
        let directory = try FileWriteError.wrapping { () throws(SystemError) in try Directory.open(parentDirectory(of: path)) }
        defer { directory.close() }
        try checkReplaceable(baseName(of: path), in: directory)
        try FileWriteError.wrapping { () throws(SystemError) in
            _ = try syscall("access", directory.path) { access(directory.path, W_OK) }
        }
    }

    /// Refuses `name` in `directory` unless it is a regular file or absent.
    static func checkReplaceable(_ name: String, in directory: Directory, replacingLink: Bool = false) throws(FileWriteError) {
        switch try FileWriteError.wrapping({ () throws(SystemError) in try directory.kind(of: name) }) {
        case nil, .regularFile?: return
        case .symbolicLink? where replacingLink: return
        case .symbolicLink?: throw .symbolicLink(path: directory.pathOf(name), target: directory.linkTarget(of: name))
        case let kind?: throw .notRegularFile(path: directory.pathOf(name), kind: kind)
        }
    }

    /// The longest a file name may be (`NAME_MAX`) and a path (`PATH_MAX` less its NUL).
    public static let maxNameBytes = Int(NAME_MAX)
    public static let maxPathBytes = Int(PATH_MAX) - 1
    /// The longest name a file of `nameBytes` bytes is written through: its temporary file's, with
    /// a pid of 7 digits (Linux's pid_max is at most 4 194 304).
    public static func longestTemporaryNameBytes(for nameBytes: Int) -> Int {
        1 + nameBytes + temporaryMarker.utf8.count + 7
    }

    /// `.<name>.autoscaled-tmp.<pid>`.
    static func temporaryName(for name: String, pid: pid_t) -> String {
        ".\(name)\(temporaryMarker)\(pid)"
    }

    /// What ``removeLeftovers(of:)`` removed, and the leftovers it could not remove.
    public struct Leftovers: Sendable, Equatable {
        public var removed: [String] = []
        public var failures: [SystemError] = []
    }

    /// Removes the temporary files a killed writer of `path` left behind: names of our pattern
    /// whose pid is not a running process. Missing directories are fine (nothing to clean). One
    /// that cannot be removed (a directory of that name) is a failure of its own: the others are
    /// still removed.
    /// - Throws: when the directory cannot be opened or listed.
    @discardableResult
    public static func removeLeftovers(of path: String) throws(SystemError) -> Leftovers {
        var leftovers = Leftovers()
        let directory: Directory
        do { directory = try Directory.open(parentDirectory(of: path)) } catch where error.isNoSuchFile { return leftovers }
        defer { directory.close() }
        let prefix = ".\(baseName(of: path))\(temporaryMarker)"
        for name in try directory.names() where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid == getpid() || !processExists(pid) else {
                continue
            }
            do {
                try directory.unlink(name)
                leftovers.removed.append(directory.pathOf(name))
            } catch {
                leftovers.failures.append(error)
            }
        }
        return leftovers
    }

    /// Creates `path` and its missing parents with `mode` (like `mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) == -1, errno != EEXIST {
                throw SystemError(call: "mkdir", subject: prefix, errno: errno)
            }
        }
    }
}

/// Whether a process with `pid` exists (`kill(pid, 0)` does not fail with `ESRCH`).
func processExists(_ pid: pid_t) -> Bool {
    kill(pid, 0) == 0 || errno != ESRCH
}

/// The directory part of `path` (`"."` when there is none).
public func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
}

/// The last component of `path`.
public func baseName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}

/// `true` when `path` names a directory (following symlinks).
public func directoryExists(_ path: String) -> Bool {
    var info = Glibc.stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
}

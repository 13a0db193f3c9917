import Glibc

/// The contents of a regular file and its modification time, read in one go.
public struct RegularFileContents: Sendable {
    public var bytes: [UInt8]
    /// Modification time in seconds since the Unix epoch (wall clock).
    public var modifiedAt: Double
}

/// Why a file could not be read whole.
public enum FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case system(SystemError)
    case notRegularFile(path: String)
    case tooLarge(path: String, limit: Int)
    /// The file changed while it was read (size or time differ before and after).
    case changedWhileReading(path: String)

    public var description: String {
        switch self {
        case let .system(error): error.description
        case let .notRegularFile(path): "\(path): not a regular file"
        case let .tooLarge(path, limit): "\(path): larger than the \(limit)-byte limit"
        case let .changedWhileReading(path): "\(path): changed while being read"
        }
    }
}

/// Reads whole regular files with a size cap.
public enum RegularFile {
    /// Reads `path` whole. Follows symlinks (a loop fails with `ELOOP`), refuses anything that is not a
    /// regular file (directories, FIFOs, devices) without blocking, refuses files over `limit` bytes,
    /// and refuses a file whose size or modification time changed while it was read.
    public static func read(_ path: String, limit: Int) throws(FileReadError) -> RegularFileContents {
        let fd = try system { () throws(SystemError) in
            try FileDescriptor.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        }
        defer { fd.close() }
        let before = try system { () throws(SystemError) in try fd.stat() }
        guard before.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path) }
        guard before.st_size <= limit else { throw .tooLarge(path: path, limit: limit) }
        guard let bytes = try system({ () throws(SystemError) in try fd.readToEnd(limit: limit) }) else {
            throw .tooLarge(path: path, limit: limit)
        }
        let after = try system { () throws(SystemError) in try fd.stat() }
        guard after.st_size == before.st_size, after.st_size == bytes.count,
              after.st_mtim.tv_sec == before.st_mtim.tv_sec, after.st_mtim.tv_nsec == before.st_mtim.tv_nsec
        else { throw .changedWhileReading(path: path) }
        let modifiedAt = Double(after.st_mtim.tv_sec) + Double(after.st_mtim.tv_nsec) / 1e9
        return RegularFileContents(bytes: bytes, modifiedAt: modifiedAt)
    }
}

private func system<T>(_ body: () throws(SystemError) -> T) throws(FileReadError) -> T {
    do { return try body() } catch { throw .system(error) }
}

import Glibc

/// One regular file of a directory: its name, size and modification time.
public struct DirectoryFile: Sendable, Equatable {
    public var name: String
    public var size: Int
    /// Modification time in seconds since the Unix epoch (wall clock).
    public var modifiedAt: Double
}

/// The few directory operations an append-only log needs: list, remove, sync.
public enum DirectoryFiles {
    /// The regular files in `directory` whose names satisfy `include`, sorted by name.
    /// A file removed while the directory is listed is left out.
    public static func list(_ directory: String, include: (String) -> Bool) throws(SystemError) -> [DirectoryFile] {
        guard let handle = opendir(directory) else {
            throw SystemError(call: "opendir", subject: directory, errno: errno)
        }
        defer { closedir(handle) }
        var files: [DirectoryFile] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard include(name) else { continue }
            var info = Glibc.stat()
            guard stat("\(directory)/\(name)", &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            files.append(DirectoryFile(
                name: name, size: Int(info.st_size),
                modifiedAt: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9))
        }
        return files.sorted { $0.name < $1.name }
    }

    /// Removes the file at `path`; one already gone is not an error.
    public static func remove(_ path: String) throws(SystemError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw SystemError(call: "unlink", subject: path, errno: errno)
        }
    }

    /// `fsync`s `directory`, so the files created and removed in it survive a power loss.
    public static func sync(_ directory: String) throws(SystemError) {
        let fd = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
        defer { fd.close() }
        try fd.sync()
    }
}

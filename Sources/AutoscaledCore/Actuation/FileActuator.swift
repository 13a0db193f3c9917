import AutoscaledSystem

/// `type = file`: writes the count, as one line of decimal digits, for another tool to read.
///
/// The file is replaced atomically (temp file, `fsync`, `rename`, `fsync` of the directory;
/// mode 0644), so a reader sees the old count or the new one, never a mix. A missing directory
/// is created. A symlink (or anything but a regular file) at the path is refused, never written through.
public struct FileActuator: Actuator {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public func apply(_ request: ActuationRequest) async throws(ActuationError) -> ActuationReport {
        do throws(FileWriteError) {
            let directory = parentDirectory(of: path)
            if !directoryExists(directory) {
                try FileWriteError.wrapping { () throws(SystemError) in try AtomicFile.makeDirectories(directory) }
            }
            try AtomicFile.write(Array("\(request.replicas)\n".utf8), to: path, mode: 0o644)
        } catch {
            throw .writeFailed(error)
        }
        return ActuationReport()
    }
}

/// `type = file`: writes the count, as one line of decimal digits, for another tool to read.
///
/// The file is replaced atomically (temp file, `fsync`, `rename`, `fsync` of the directory;
/// mode 0644), so a reader sees the old count or the new one, never a mix. A missing directory
/// is created.
public struct FileActuator: Actuator {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public func apply(_ request: ActuationRequest) async throws(ActuationError) -> ActuationReport {
        do throws(SystemError) {
            let directory = parentDirectory(of: path)
            if !directoryExists(directory) { try AtomicFile.makeDirectories(directory) }
            try AtomicFile.write(Array("\(request.replicas)\n".utf8), to: path, mode: 0o644)
        } catch {
            throw .writeFailed(error)
        }
        return ActuationReport()
    }
}

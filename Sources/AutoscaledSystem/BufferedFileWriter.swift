import Glibc

/// Writes a new file through a 64 KiB buffer: many small appends, few `write(2)` calls.
/// Not atomic: for outputs a person asked for (a CSV), not for state.
///
/// The first failure stops further writing and is thrown by ``finish()``.
public final class BufferedFileWriter {
    private let fd: FileDescriptor
    private var buffer: [UInt8] = []
    private var failure: SystemError?
    private var closed = false
    private static let capacity = 64 * 1024

    /// Creates (or truncates) `path` with `mode`.
    public init(path: String, mode: mode_t = 0o644) throws(SystemError) {
        fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        buffer.reserveCapacity(Self.capacity)
    }

    deinit {
        if !closed { fd.close() }
    }

    /// Appends one byte.
    public func append(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.capacity { flush() }
    }

    /// Appends `bytes`.
    public func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { flush() }
    }

    /// Writes what is buffered and closes the file.
    /// - Throws: the first write error, if any happened.
    public func finish() throws(SystemError) {
        flush()
        if !closed {
            fd.close()
            closed = true
        }
        if let failure { throw failure }
    }

    private func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        do throws(SystemError) {
            try buffer.withUnsafeBytes { bytes in Result { () throws(SystemError) in try fd.writeAll(bytes) } }.get()
        } catch {
            failure = error
        }
    }
}

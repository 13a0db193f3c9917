import Glibc

/// Where a command's output file (`simulate --svg`, `tune --write`, `tune --svg`) goes: a regular
/// file, or a name not taken yet, is replaced atomically (``AtomicFile``); a stream the user named
/// on purpose — a pipe or FIFO (`--svg >(gzip > x.gz)`), a terminal or another character device
/// (`/dev/stdout`, `/dev/null`) — is written straight, as `--csv` writes it.
public enum OutputFile {
    /// Whether `path` leads (symbolic links followed) to a FIFO or a character device.
    public static func isStream(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFCHR
    }

    /// Writes `bytes` to `path`: straight to a stream, else atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        guard isStream(path) else { return try AtomicFile.write(bytes, to: path) }
        try FileWriteError.wrapping { () throws(SystemError) in
            let fd = try FileDescriptor.open(path, O_WRONLY)
            defer { fd.close() }
            try bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try fd.writeAll(buffer) } }.get()
        }
    }

    /// Whether ``write(_:to:)`` could write `path` now (checked before long work whose result
    /// goes there): a stream, or what ``AtomicFile/checkWritable(_:)`` allows.
    public static func checkWritable(_ path: String) throws(FileWriteError) {
        guard !isStream(path) else { return }
        try AtomicFile.checkWritable(path)
    }
}

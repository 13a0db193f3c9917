import Glibc

/// Where a command's output file (`simulate --svg`, `tune --write`, `tune --svg`) goes: a regular
/// file, or a name not taken yet, is replaced atomically (``AtomicFile``); a stream the user named
/// on purpose — a pipe or FIFO (`--svg >(gzip > x.gz)`), a terminal or another character device
/// (`/dev/null`), or one of the process's own descriptors (`/dev/stdout`, `/dev/fd/3`, whatever
/// they are open on, a file included) — is written straight, as `--csv` writes it.
public enum OutputFile {
    /// Whether `path` names one of the process's descriptors, or leads (symbolic links followed)
    /// to a FIFO or a character device.
    public static func isStream(_ path: String) -> Bool {
        if ["/dev/stdout", "/dev/stderr"].contains(path) || path.hasPrefix("/dev/fd/") || path.hasPrefix("/proc/self/fd/") {
            return true
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFCHR
    }

    /// Writes `bytes` to `path`: straight to a stream (from its start, as `>` does), else atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        guard isStream(path) else { return try AtomicFile.write(bytes, to: path) }
        try FileWriteError.wrapping { () throws(SystemError) in
            let fd = try FileDescriptor.open(path, O_WRONLY | O_TRUNC)
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

import Glibc

/// Unbuffered writes to stdout and stderr (`print` is block-buffered on a pipe), for the one-shot
/// commands; the daemon's log goes through ``StandardErrorSink``.
public enum StandardStream {
    public static let output: Int32 = 1
    public static let error: Int32 = 2

    /// Writes all of `text` to `fd`, looping over short writes; errors are dropped (there is
    /// nowhere left to report them).
    public static func write(_ text: String, to fd: Int32) {
        try? writeAll(text, to: fd, subject: "fd \(fd)")
    }

    /// Writes all of `text` to `fd`, looping over short writes and retrying `EINTR`.
    /// - Throws: the first failed write (`ENOSPC`, `EFBIG`, `EIO`, `EPIPE` …), `subject` naming `fd`.
    public static func writeAll(_ text: String, to fd: Int32, subject: String) throws(SystemError) {
        var bytes = Array(text.utf8)
        let descriptor = FileDescriptor(rawValue: fd, subject: subject)
        try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(SystemError) in try descriptor.writeAll(UnsafeRawBufferPointer(buffer)) }
        }.get()
    }
}

extension StandardStream {
    /// Whether `journalStream` (`JOURNAL_STREAM`, `DEVICE:INODE` in decimal) names the file `fd`
    /// is open on: systemd connected it to the journal, and it was not redirected since.
    public static func isJournalStream(_ journalStream: String, fd: Int32) -> Bool {
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard (try? syscall("fstat", "fd \(fd)") { fstat(fd, &info) }) != nil else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}

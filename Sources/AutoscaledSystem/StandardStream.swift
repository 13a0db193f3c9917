import Glibc

/// Unbuffered writes to stdout and stderr (`print` is block-buffered on a pipe), for the one-shot
/// commands; the daemon's log goes through ``StandardErrorSink``.
public enum StandardStream {
    public static let output: Int32 = 1
    public static let error: Int32 = 2

    /// The standard streams (0, 1, 2) that were closed when the process started, each now held open
    /// on `/dev/null`: otherwise the next file, socket or Dispatch descriptor opened takes the
    /// number, and output meant for the stream lands in it. Taken once, on first use, which must
    /// come first in `main`.
    public static let closedAtStart: [Int32] = {
        var closed: [Int32] = []
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            closed.append(fd)
            let null = open("/dev/null", O_RDWR)
            if null >= 0, null != fd {
                _ = dup2(null, fd)
                _ = close(null)
            }
        }
        return closed
    }()

    /// Writes all of `text` to `fd`, looping over short writes; errors are dropped (there is
    /// nowhere left to report them).
    public static func write(_ text: String, to fd: Int32) {
        try? writeAll(text, to: fd, subject: "fd \(fd)")
    }

    /// Writes all of `text` to standard output, as ``writeAll(_:to:subject:)`` does; a standard
    /// output closed when the process started is `EBADF`, and nothing is written.
    public static func writeOutput(_ text: String, subject: String) throws(SystemError) {
        if closedAtStart.contains(output), !text.isEmpty { throw SystemError(call: "write", subject: subject, errno: EBADF) }
        try writeAll(text, to: output, subject: subject)
    }

    /// Writes all of `text` to `fd`, looping over short writes and retrying `EINTR`.
    /// - Throws: the first failed write (`ENOSPC`, `EFBIG`, `EIO`, `EPIPE` …), `subject` naming `fd`.
    public static func writeAll(_ text: String, to fd: Int32, subject: String) throws(SystemError) {
        // A native string's own bytes, not a copy of them (a trace of `history export` is tens of MB).
        var text = text
        let descriptor = FileDescriptor(rawValue: fd, subject: subject)
        try text.withUTF8 { buffer in
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

import Glibc

/// Writes to an inherited descriptor (stderr) without ever blocking, and without changing the
/// descriptor the parent shares.
///
/// Setting `O_NONBLOCK` on stderr itself would change the open file description the parent (a
/// shell, a supervisor) shares, and with it the parent's own writes. Instead, by what stderr is:
/// - a socket (journald's stream): `send` with `MSG_DONTWAIT | MSG_NOSIGNAL`, per call;
/// - a pipe, FIFO or terminal: opened anew through `/proc/self/fd/N` with `O_NONBLOCK`, a private
///   description of the same pipe or terminal (a write of up to `PIPE_BUF` bytes to a pipe is then
///   all or nothing); if that open fails (no `/proc`, or the pipe has no reader left), each write
///   is preceded by a zero-timeout `poll` for `POLLOUT`;
/// - a regular file: plain `write` (a file never waits for a reader).
/// `EPIPE` comes back as an error, never as a signal (SIGPIPE is ignored by the process, and
/// `send` is told not to raise it).
public final class NonBlockingOutput: Sendable {
    public enum Mode: Sendable, Equatable {
        case socket
        case reopened
        case polled
        case plain
    }

    public let mode: Mode
    private let fd: Int32
    private let ownsDescriptor: Bool

    public init(inherited fd: Int32) {
        var info = Glibc.stat()
        guard fstat(fd, &info) == 0 else {
            (self.fd, mode, ownsDescriptor) = (fd, .plain, false)
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFSOCK:
            (self.fd, mode, ownsDescriptor) = (fd, .socket, false)
        case S_IFIFO, S_IFCHR:
            let private_ = open("/proc/self/fd/\(fd)", O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            if private_ >= 0 {
                (self.fd, mode, ownsDescriptor) = (private_, .reopened, true)
            } else {
                (self.fd, mode, ownsDescriptor) = (fd, .polled, false)
            }
        default:
            (self.fd, mode, ownsDescriptor) = (fd, .plain, false)
        }
    }

    deinit {
        if ownsDescriptor { _ = close(fd) }
    }

    /// One write of `bytes` that does not block; `EINTR` is retried.
    public func attempt(_ bytes: UnsafeRawBufferPointer) -> WriteAttempt {
        if mode == .polled {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = (try? syscall("poll") { poll(&poller, 1, 0) }) ?? 0
            // POLLERR alone (a pipe without reader) lets the write below report EPIPE.
            if ready == 0 { return .wouldBlock }
        }
        do throws(SystemError) {
            let written = try syscall("write") { () -> Int in
                mode == .socket
                    ? send(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                    : write(fd, bytes.baseAddress, bytes.count)
            }
            return written > 0 ? .wrote(written) : .wouldBlock
        } catch {
            if error.errno == EAGAIN || error.errno == EWOULDBLOCK { return .wouldBlock }
            return .failed(brokenPipe: error.errno == EPIPE)
        }
    }
}

/// What one non-blocking write attempt did.
public enum WriteAttempt: Sendable, Equatable {
    /// This many bytes (at least one) were written.
    case wrote(Int)
    /// Nothing could be written without blocking.
    case wouldBlock
    /// The write failed; `brokenPipe` when the reader is gone (`EPIPE`).
    case failed(brokenPipe: Bool)
}

import Glibc

/// Runs a libc call that returns -1 on failure, retrying on `EINTR`,
/// and turns a failure into a ``SystemError`` naming the call and its subject.
@inline(__always)
func syscall<T: FixedWidthInteger>(
    _ call: String, _ subject: @autoclosure () -> String = "", _ body: () -> T
) throws(SystemError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        throw SystemError(call: call, subject: subject(), errno: code)
    }
}

/// An error whose text names what it is about (a path, an address), and can be told without it
/// where the message already names it first: `/run/loads.json: not a regular file`, not
/// `/run/loads.json: /run/loads.json: not a regular file`.
public protocol SubjectNamingError: Error, CustomStringConvertible {
    /// The description without `named` where the error names it; with any other subject (a file
    /// inside a named directory, a resolved address), whole.
    func description(omitting named: String?) -> String
}

extension SystemError: SubjectNamingError {}
extension FileReadError: SubjectNamingError {}
extension FileWriteError: SubjectNamingError {}
extension SocketError: SubjectNamingError {}

/// `error`'s text where `subject` is already named before it (a log line's `path=`, a message's
/// prefix): the subject left out when the error names it too.
public func errorText(_ error: any Error, after subject: String) -> String {
    (error as? any SubjectNamingError)?.description(omitting: subject) ?? "\(error)"
}

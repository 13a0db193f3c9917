import Glibc

/// Standard error as a terminal: whether it is one, and a progress line rewritten in place.
public enum Terminal {
    /// Whether standard error is a terminal (a progress line belongs there, not in a log or pipe).
    public static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Rewrites the current line of standard error with `text` (carriage return, text, clear to
    /// the end of the line); one `write(2)`.
    public static func progress(_ text: String) {
        StandardStream.write("\r" + text + "\u{1B}[K", to: StandardStream.error)
    }
}

import AutoscaledBase

/// One fault in a config file, located by file and line.
///
/// Shape: `<file>:<line>: <what is wrong>`, e.g.
/// `autoscaled.conf:12: scale_down_threshold (60) must be below scale_up_threshold (50)`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config file's name as given (path).
    public var file: String
    /// 1-based line of the fault; `nil` for faults of the file as a whole (unreadable, missing key).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// The file's name is escaped (``TextEscaping``): a name holding a newline cannot fake a line.
    public var description: String {
        let file = TextEscaping.escaped(self.file)
        return if let line { "\(file):\(line): \(message)" } else { "\(file): \(message)" }
    }
}

/// Every fault found in one config file, in file order.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errors told, and, when there were more than ``ConfigParser/maxReported``, a last line
    /// that counts the rest.
    public var errors: [ConfigError]
    /// How many errors the file has: those told, and those only counted.
    public var count: Int

    public init(_ errors: [ConfigError], unreported: Int = 0) {
        self.errors = errors
        self.count = errors.count + unreported
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}

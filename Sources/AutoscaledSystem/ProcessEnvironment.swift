import Glibc

/// The process environment as a dictionary.
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

/// Ends the process with `status`.
public enum ProcessExit {
    public static func exit(_ status: Int32) -> Never {
        Glibc.exit(status)
    }
}

/// This process's id.
public func currentProcessID() -> Int32 {
    getpid()
}

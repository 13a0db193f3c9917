/// Reads the `json` load format: one JSON object of server name → number.
///
/// ```
/// {"server1": 30, "server2": 55.5, "server3": 2e1}
/// ```
/// Keys take the full JSON string syntax (every escape, `\uXXXX` and surrogate pairs) and must
/// be valid UTF-8; values must be JSON numbers. Any other value, nesting, a trailing comma,
/// text after the closing brace or a missing brace is a ``LoadError/syntax(line:message:)``
/// naming what was expected and what was found. A leading UTF-8 byte order mark is skipped by
/// ``LoadParser``, as for every format.
///
/// The parser validates syntax only; ``LoadSnapshot/init(servers:)`` checks names and values.
/// It never recurses, never traps on any input and allocates no more than the input's size.
public enum JSONLoadParser {
    /// Parses `bytes` into server loads, in the order the object lists them.
    /// - Throws: ``LoadError/syntax(line:message:)`` with a 1-based line number.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(LoadError) -> [ServerLoad] {
        try read(bytes).servers
    }

    /// Parses `bytes` into server loads, each with its line and its load as written.
    static func read(_ bytes: UnsafeRawBufferPointer) throws(LoadError) -> ParsedLoads {
        var cursor = JSONCursor(bytes)
        return try cursor.readDocument()
    }

    /// Parses `bytes` into server loads, in the order the object lists them.
    /// - Throws: ``LoadError/syntax(line:message:)`` with a 1-based line number.
    public static func parse(_ bytes: [UInt8]) throws(LoadError) -> [ServerLoad] {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(LoadError) in try parse(buffer) } }
        return try result.get()
    }
}

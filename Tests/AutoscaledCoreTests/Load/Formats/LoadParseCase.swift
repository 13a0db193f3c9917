import AutoscaledCore
import Testing

/// One row of a parser table: a named input and what reading it must give.
struct LoadParseCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let expected: String

    /// `expected` is the exact `LoadError.description`, or the servers as `name=load` pairs.
    init(_ name: String, _ input: String, _ expected: String) {
        self.init(name, bytes: Array(input.utf8), expected)
    }

    init(_ name: String, bytes: [UInt8], _ expected: String) {
        self.name = name
        self.input = bytes
        self.expected = expected
    }

    var testDescription: String { name }

    /// What `parse` makes of ``input``: the servers as `name=load` pairs joined by spaces,
    /// or the exact description of the error it throws.
    func outcome(of parse: ([UInt8]) throws(LoadError) -> [ServerLoad]) -> String {
        do {
            return try parse(input).map { "\($0.name)=\($0.load)" }.joined(separator: " ")
        } catch {
            return error.description
        }
    }
}

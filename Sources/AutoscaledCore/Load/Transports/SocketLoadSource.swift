import AutoscaledSystem
import Dispatch

/// Reads loads from a Unix or TCP socket: connect, send `request` (if any), read until the peer
/// closes, parse in `format`.
///
/// This is how HAProxy's stats socket is read (`request = show stat\n`, `format = haproxy`), or
/// any local program that answers a connection with a document. A read never takes longer than
/// `connect_timeout` + `read_timeout`, nor reads more than `max_response_bytes`. Under
/// `format = haproxy` the answer must end with the empty line HAProxy's stats socket ends every
/// answer with, so that one cut short between two rows is not read as a backend with fewer servers.
public struct SocketLoadSource: BlockingLoadSource {
    public var address: SocketAddress
    public var request: [UInt8]
    public var limits: SocketLimits
    public var format: LoadFormat
    /// What cuts a read short (the daemon's stop).
    public var interruption: Interruption?
    public let ioQueue = DispatchQueue(label: "autoscaled.source.socket")

    public init(address: SocketAddress, request: [UInt8], limits: SocketLimits, format: LoadFormat,
                interruption: Interruption? = nil) {
        self.address = address
        self.request = request
        self.limits = limits
        self.format = format
        self.interruption = interruption
    }

    /// The whole read on the calling thread: blocks for at most the two timeouts.
    public func readBlocking() throws(LoadError) -> LoadReading {
        let bytes = try SocketExchange(
            address: address, location: address.description, request: request, limits: limits, interruption: interruption).perform()
        try Self.checkEnd(of: bytes, format: format)
        let snapshot = try LoadParser.snapshot(from: bytes, format: format, source: address.description)
        return LoadReading(snapshot: snapshot, modifiedAt: nil)
    }

    /// Refuses a `haproxy` answer whose last line is not the empty line that ends every answer of
    /// the stats socket (in non-interactive mode too). A last line without its newline is left to
    /// the parser, which says so.
    /// - Throws: ``LoadError/syntax(line:message:)`` naming the last line.
    /// Anything after the first empty line is refused too: that line ends the answer, and what
    /// follows (another answer run together with it) is not part of its table.
    static func checkEnd(of bytes: [UInt8], format: LoadFormat) throws(LoadError) {
        guard case .haproxy = format else { return }
        var line = 1
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            let isEmpty = index == start || (index == start + 1 && bytes[start] == UInt8(ascii: "\r"))
            if isEmpty && index + 1 < bytes.count {
                throw .syntax(line: line + 1, message: "text after the empty line that ends a 'show stat' answer "
                    + "(line \(line)): answers run together are not one table")
            }
            line += 1
            start = index + 1
        }
        guard bytes.last == UInt8(ascii: "\n") else { return }
        var end = bytes.count - 1
        if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard end > 0, bytes[end - 1] != UInt8(ascii: "\n") else { return }
        let lines = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        throw .syntax(line: lines, message: "the answer ends without the empty line that ends every 'show stat' answer (it may be cut short)")
    }
}

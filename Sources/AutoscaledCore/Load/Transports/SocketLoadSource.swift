import AutoscaledSystem
import Dispatch

/// Reads loads from a Unix or TCP socket: connect, send `request` (if any), read until the peer
/// closes, parse in `format`.
///
/// This is how HAProxy's stats socket is read (`request = show stat\n`, `format = haproxy`), or
/// any local program that answers a connection with a document. A read never takes longer than
/// `connect_timeout` + `read_timeout`, nor reads more than `max_response_bytes`.
public struct SocketLoadSource: BlockingLoadSource {
    public var address: SocketAddress
    public var request: [UInt8]
    public var limits: SocketLimits
    public var format: LoadFormat
    public let ioQueue = DispatchQueue(label: "autoscaled.source.socket")

    public init(address: SocketAddress, request: [UInt8], limits: SocketLimits, format: LoadFormat) {
        self.address = address
        self.request = request
        self.limits = limits
        self.format = format
    }

    /// The whole read on the calling thread: blocks for at most the two timeouts.
    public func readBlocking() throws(LoadError) -> LoadReading {
        let bytes = try SocketExchange(address: address, location: address.description, request: request, limits: limits).perform()
        let snapshot = try LoadParser.snapshot(from: bytes, format: format, source: address.description)
        return LoadReading(snapshot: snapshot, modifiedAt: nil)
    }
}

import Dispatch

/// Reads loads from a Unix or TCP socket: connect, send `request` (if any), read until the peer
/// closes, parse in `format`.
///
/// This is how HAProxy's stats socket is read (`request = show stat\n`, `format = haproxy`), or
/// any local program that answers a connection with a document. A read never takes longer than
/// `connect_timeout` + `read_timeout`, nor reads more than `max_response_bytes`.
public struct SocketLoadSource: LoadSource {
    public var address: SocketAddress
    public var request: [UInt8]
    public var limits: SocketLimits
    public var format: LoadFormat
    private let queue = DispatchQueue(label: "autoscaled.source.socket")

    public init(address: SocketAddress, request: [UInt8], limits: SocketLimits, format: LoadFormat) {
        self.address = address
        self.request = request
        self.limits = limits
        self.format = format
    }

    public func read() async throws(LoadError) -> LoadReading {
        let source = self
        return try await SocketExchange.run(on: queue) {
            Result { () throws(LoadError) in try source.readBlocking() }
        }.get()
    }

    /// The whole read on the calling thread: blocks for at most the two timeouts.
    public func readBlocking() throws(LoadError) -> LoadReading {
        let bytes = try SocketExchange(address: address, request: request, limits: limits).perform()
        let snapshot = try LoadParser.snapshot(from: bytes, format: format, source: address.description)
        return LoadReading(snapshot: snapshot, modifiedAt: nil)
    }
}

import AutoscaledBase
import AutoscaledSystem
import Dispatch

/// Reads loads with a plain HTTP/1.1 `GET` to a loopback URL, over the project's own sockets.
///
/// The request asks for the Prometheus text format, no compression and `Connection: close`;
/// the response must be 2xx (anything else is an error naming the status), and its body —
/// chunked or not — is parsed in `format`. Reading stops when the peer closes or the body the
/// headers announce is complete, within `connect_timeout` + `read_timeout`.
public struct HTTPLoadSource: BlockingLoadSource {
    public var url: LoopbackURL
    public var limits: SocketLimits
    public var format: LoadFormat
    /// What cuts a read short (the daemon's stop).
    public var interruption: Interruption?
    public let ioQueue = DispatchQueue(label: "autoscaled.source.http")

    public init(url: LoopbackURL, limits: SocketLimits, format: LoadFormat, interruption: Interruption? = nil) {
        self.url = url
        self.limits = limits
        self.format = format
        self.interruption = interruption
    }

    /// The request sent, byte for byte.
    public var request: String {
        "GET \(url.target) HTTP/1.1\r\n"
            + "Host: \(url.address)\r\n"
            + "User-Agent: autoscaled/\(AutoscaledVersion.current)\r\n"
            + "Accept: text/plain;version=0.0.4;q=1, */*;q=0.1\r\n"
            + "Accept-Encoding: identity\r\n"
            + "Connection: close\r\n\r\n"
    }

    /// The whole read on the calling thread: blocks for at most the two timeouts.
    public func readBlocking() throws(LoadError) -> LoadReading {
        let exchange = SocketExchange(
            address: url.address.socketAddress, location: url.description, request: Array(request.utf8), limits: limits,
            framing: HTTPResponse.Completeness(), interruption: interruption)
        let body = try HTTPResponse.body(of: try exchange.perform())
        let snapshot = try LoadParser.snapshot(from: body, format: format, source: url.description)
        return LoadReading(snapshot: snapshot, modifiedAt: nil)
    }
}

import AutoscaledSystem
import Dispatch

/// How long a socket source may take and how much it may read: `connect_timeout`,
/// `read_timeout` (sending the request and reading the whole response) and `max_response_bytes`.
public struct SocketLimits: Sendable, Equatable {
    public var connectTimeout: Duration
    public var readTimeout: Duration
    public var maxResponseBytes: Int

    public init(connectTimeout: Duration, readTimeout: Duration, maxResponseBytes: Int) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// One request/response over a fresh connection, shared by the `unix`, `tcp` and `http` sources.
///
/// The exchange blocks its thread for at most `connect_timeout` + `read_timeout`; the sources run
/// it on a queue of their own (``BlockingLoadSource``).
struct SocketExchange: Sendable {
    var address: SocketAddress
    /// What the reader names the source by before an error (``SourceConfig/location``): a subject
    /// equal to it is not said again in the error.
    var location: String
    var request: [UInt8]
    var limits: SocketLimits
    /// How an HTTP response ends, so that reading may stop before the peer closes (`nil`: only at the close).
    var framing: HTTPResponse.Completeness?
    /// What cuts the exchange short (the daemon's stop, or a reload during it).
    var interruption: Interruption?

    /// Connects, sends the request (if any) and reads until the peer closes or the response is
    /// complete.
    /// - Throws: ``LoadError/tooLarge(limit:response:)`` over `max_response_bytes`; ``LoadError/unreadable(_:)``
    ///   for a refusal, a timeout, a reset, or a connection closed with no response at all;
    ///   ``LoadError/interrupted(_:)`` once ``interruption`` cuts it short.
    func perform() throws(LoadError) -> [UInt8] {
        let bytes: [UInt8]
        do throws(SocketError) {
            // One mark for both waits: a reload while connecting cuts the read too.
            let mark = interruption?.mark
            let socket = try StreamSocket.connect(
                to: address, deadline: Deadline(after: limits.connectTimeout, interruption: interruption, mark: mark))
            defer { socket.close() }
            let deadline = Deadline(after: limits.readTimeout, interruption: interruption, mark: mark)
            if !request.isEmpty { try socket.send(request, deadline: deadline) }
            var framing = framing
            bytes = try socket.readToEnd(limit: limits.maxResponseBytes, deadline: deadline) { framing?.isComplete($0) ?? false }
        } catch {
            if case let .tooLarge(_, limit) = error { throw .tooLarge(limit: limit, response: true) }
            if case .interrupted = error { throw .interrupted(error.description(omitting: location)) }
            throw .unreadable(error.description(omitting: location))
        }
        guard !bytes.isEmpty else {
            let closed = "connection closed with no response"
            throw .unreadable(address.description == location ? closed : "\(address): \(closed)")
        }
        return bytes
    }

}

/// A source whose read blocks its thread (for at most its timeouts): ``read()`` runs
/// ``readBlocking()`` on the source's own queue and awaits it, so the daemon's loop waits without
/// holding a thread of Swift's cooperative pool, and timers and signals carry on meanwhile.
public protocol BlockingLoadSource: LoadSource {
    /// The serial queue the blocking reads run on, one per source.
    var ioQueue: DispatchQueue { get }
    /// The whole read on the calling thread.
    func readBlocking() throws(LoadError) -> LoadReading
}

extension BlockingLoadSource {
    public func read() async throws(LoadError) -> LoadReading {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<LoadReading, LoadError>, Never>) in
            ioQueue.async { continuation.resume(returning: Result { () throws(LoadError) in try readBlocking() }) }
        }
        return try result.get()
    }
}

/// Reads the source once and turns the result into the policy's input, applying `stale_after`.
public struct LoadReader: Sendable {
    public var source: any LoadSource
    public var staleAfter: Duration?

    public init(source: any LoadSource, staleAfter: Duration?) {
        self.source = source
        self.staleAfter = staleAfter
    }

    /// One read: the snapshot, or why there is none. `wallNow` (seconds since the epoch) is only
    /// compared with the data's own modification time; a data time in the future counts as fresh.
    public func read(wallNow: Double) async -> Result<LoadReading, LoadError> {
        let reading: LoadReading
        do {
            reading = try await source.read()
        } catch {
            return .failure(error)
        }
        if let staleAfter, let modifiedAt = reading.modifiedAt {
            let age = wallNow - modifiedAt
            let limit = Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18
            if age > limit { return .failure(.stale(ageSeconds: (age * 1000).rounded() / 1000, limitSeconds: limit)) }
        }
        return .success(reading)
    }
}

@testable import AutoscaledCore
import Testing

/// A source that returns a fixed reading.
struct FixedLoadSource: LoadSource {
    var reading: LoadReading
    func read() async throws(LoadError) -> LoadReading { reading }
}

struct LoadReaderTests {
    let snapshot = try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 1)])

    @Test("data older than stale_after is refused with its age")
    func stale() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: 1000)),
                                staleAfter: .seconds(10))
        #expect(await reader.read(wallNow: 1010).map(\.snapshot) == .success(snapshot))
        #expect(await reader.read(wallNow: 1010.5).map(\.snapshot) == .failure(.stale(ageSeconds: 10.5, limitSeconds: 10)))
        #expect(LoadError.stale(ageSeconds: 10.5, limitSeconds: 10).description
            == "data is 10.5s old, older than stale_after 10s")
    }

    @Test("a wall clock set back (data from the future) counts as fresh, never as stale")
    func clockSetBack() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: 5000)),
                                staleAfter: .seconds(10))
        #expect(await reader.read(wallNow: 1000).map(\.snapshot) == .success(snapshot))
    }

    @Test("without stale_after any age is accepted")
    func neverStale() async {
        let reader = LoadReader(source: FixedLoadSource(reading: LoadReading(snapshot: snapshot, modifiedAt: 0)),
                                staleAfter: nil)
        #expect(await reader.read(wallNow: 1e9).map(\.snapshot) == .success(snapshot))
    }
}

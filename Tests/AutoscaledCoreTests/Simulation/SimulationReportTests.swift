@testable import AutoscaledCore
import Testing

/// How a replay's report names its trace.
struct SimulationReportTests {
    @Test("a trace is described with its counts in the singular when they are one",
          arguments: [
              ("t_seconds,requests\n0,1\n1,0\n", "offered load, 2 bins of 1s from t=0 (2s), 1 request"),
              ("t_seconds,requests\n0,1\n1,1.5\n", "offered load, 2 bins of 1s from t=0 (2s), 2.5 requests"),
              ("t_seconds,requests\n0,0\n1,0\n", "offered load, 2 bins of 1s from t=0 (2s), 0 requests"),
              ("t_seconds,a\n0,1\n1,2\n", "per-server loads of 1 server, 2 bins of 1s from t=0 (2s)"),
          ])
    func describe(csv: String, expected: String) throws {
        #expect(SimulationReport.describe(try TraceParser.parse(Array(csv.utf8))) == expected)
    }
}

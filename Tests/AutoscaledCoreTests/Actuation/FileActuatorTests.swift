import AutoscaledTestSupport
import Testing
@testable import AutoscaledCore

struct FileActuatorTests {
    @Test("the count is written as one line, replacing the file, creating its directory")
    func writes() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let actuator = FileActuator(path: dir.file("run/autoscaled/replicas"))
        try await _ = actuator.apply(ActuationRequest(replicas: 4, previous: 3, reason: "r", maxReplicas: 10))
        #expect(dir.read("run/autoscaled/replicas") == "4\n")
        try await _ = actuator.apply(ActuationRequest(replicas: 12, previous: 4, reason: "r", maxReplicas: 12))
        #expect(dir.read("run/autoscaled/replicas") == "12\n")
    }

    @Test("a write that fails is an actuation failure")
    func failure() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("file", "")
        let actuator = FileActuator(path: dir.file("file/replicas"))
        await #expect(throws: ActuationError.self) {
            try await actuator.apply(ActuationRequest(replicas: 4, previous: 3, reason: "r", maxReplicas: 10))
        }
    }
}

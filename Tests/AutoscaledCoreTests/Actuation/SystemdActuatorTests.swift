@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct SystemdActuatorTests {
    private func actuator(_ fake: FakeSystemctl) throws -> SystemdActuator {
        SystemdActuator(
            unit: try UnitNameTemplate("llama@{i}.service"), systemctl: fake.path,
            runner: ProgramRunner(environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(10)))
    }

    private func request(_ replicas: Int, max: Int = 5) -> ActuationRequest {
        ActuationRequest(replicas: replicas, previous: 0, reason: "test", maxReplicas: max)
    }

    private func units(_ numbers: Int...) -> String {
        numbers.map { "llama@\($0).service" }.joined(separator: " ")
    }

    @Test("instances 1…N are started and the rest checked, with one call per verb")
    func scaleUp() async throws {
        let fake = FakeSystemctl()
        defer { fake.remove() }
        let report = try await actuator(fake).apply(request(3))
        #expect(fake.calls == [
            "is-active \(units(1, 2, 3, 4, 5))",
            "--no-ask-password --no-block start \(units(1, 2, 3))",
        ])
        #expect(fake.activeUnits == ["llama@1.service", "llama@2.service", "llama@3.service"])
        #expect(report == ActuationReport(changed: true, fields: [LogField("started", .string(units(1, 2, 3)))]))
    }

    @Test("instances above N that run are stopped")
    func scaleDown() async throws {
        let fake = FakeSystemctl()
        defer { fake.remove() }
        for number in 1...4 { fake.setState("active", of: "llama@\(number).service") }
        let report = try await actuator(fake).apply(request(2))
        #expect(fake.calls == ["is-active \(units(1, 2, 3, 4, 5))", "--no-ask-password --no-block stop \(units(3, 4))"])
        #expect(fake.activeUnits == ["llama@1.service", "llama@2.service"])
        #expect(report.fields == [LogField("stopped", .string(units(3, 4)))])
    }

    @Test("a check that finds everything in place changes nothing")
    func inPlace() async throws {
        let fake = FakeSystemctl()
        defer { fake.remove() }
        fake.setState("active", of: "llama@1.service")
        fake.setState("activating", of: "llama@2.service")
        let report = try await actuator(fake).apply(request(2))
        #expect(fake.calls == ["is-active \(units(1, 2, 3, 4, 5))"])
        #expect(report == ActuationReport(changed: false, fields: []))
    }

    @Test("drift is corrected: a failed or stopped instance is started, a stray one stopped")
    func drift() async throws {
        let fake = FakeSystemctl()
        defer { fake.remove() }
        try await _ = actuator(fake).apply(request(3))
        fake.clearCalls()
        fake.setState("failed", of: "llama@2.service")
        fake.setState(nil, of: "llama@3.service")
        fake.setState("active", of: "llama@5.service")
        let report = try await actuator(fake).apply(request(3))
        #expect(fake.calls == [
            "is-active \(units(1, 2, 3, 4, 5))",
            "--no-ask-password --no-block start \(units(2, 3))",
            "--no-ask-password --no-block stop \(units(5))",
        ])
        #expect(fake.activeUnits == ["llama@1.service", "llama@2.service", "llama@3.service"])
        #expect(report.changed)
    }

    @Test("systemctl output that does not name every unit is a failure, with its stderr")
    func unusableOutput() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("systemctl", "#!/bin/sh\necho 'Failed to connect to bus: No such file or directory' >&2\nexit 1\n", mode: 0o755)
        let actuator = SystemdActuator(
            unit: try UnitNameTemplate("llama@{i}.service"), systemctl: dir.file("systemctl"),
            runner: ProgramRunner(environment: [:], timeout: .seconds(10)))
        await #expect(throws: ActuationError.unexpectedOutput(
            program: dir.file("systemctl"), detail: "is-active exited with status 1 and printed 0 states for llama@1.service … llama@5.service (5 units)",
            standardError: "Failed to connect to bus: No such file or directory")) {
            try await actuator.apply(request(2))
        }
    }

    /// An actuator on a fake `systemctl` in `dir` for which every unit is inactive, and whose other
    /// calls (start, stop) run `start`.
    private func inactiveUnits(in dir: TemporaryDirectory, start: String, timeout: Duration) throws -> SystemdActuator {
        dir.write("systemctl", """
            #!/bin/sh
            if [ "$1" = is-active ]; then shift; for u in "$@"; do echo inactive; done; exit 3; fi
            \(start)

            """, mode: 0o755)
        return SystemdActuator(unit: try UnitNameTemplate("llama@{i}.service"), systemctl: dir.file("systemctl"),
                               runner: ProgramRunner(environment: [:], timeout: timeout))
    }

    @Test("a start that fails is a failure with systemctl's exit status")
    func failedStart() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let actuator = try inactiveUnits(in: dir, start: "echo 'Access denied' >&2; exit 4", timeout: .seconds(10))
        await #expect(throws: ActuationError.exited(program: dir.file("systemctl") + " start llama@1.service", status: 4,
                                                    standardError: "Access denied")) {
            try await actuator.apply(request(1, max: 2))
        }
        await #expect(throws: ActuationError.exited(program: dir.file("systemctl") + " start llama@1.service llama@2.service llama@3.service",
                                                    status: 4, standardError: "Access denied")) {
            try await actuator.apply(request(3, max: 3))
        }
        #expect(SystemdActuator.described(["a@1", "a@2", "a@3", "a@4"]) == "a@1 … a@4 (4 units)")
    }

    @Test("a start that runs past the timeout names its verb and units too")
    func timedOutStart() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let actuator = try inactiveUnits(in: dir, start: "exec sleep 1000", timeout: .milliseconds(300))
        await #expect(throws: ActuationError.timedOut(program: dir.file("systemctl") + " start llama@1.service", after: .milliseconds(300),
                                                      standardError: "")) {
            try await actuator.apply(request(1, max: 1))
        }
    }
}

extension SystemdActuatorTests {
    @Test("a count above maxInstances is refused before systemctl is called")
    func tooMany() async throws {
        let fake = FakeSystemctl()
        defer { fake.remove() }
        await #expect(throws: ActuationError.tooManyReplicas(20_000, limit: 10_000)) {
            try await actuator(fake).apply(request(3, max: 20_000))
        }
        #expect(fake.calls == [])
        #expect(ActuationError.tooManyReplicas(20_000, limit: 10_000).description
            == "20000 replicas is more than the 10000 this actuator runs")
    }

    @Test("units are named at most unitsPerCall to a call, in order")
    func batches() {
        let units = (1...2500).map { "u@\($0).service" }
        let batches = SystemdActuator.batches(units)
        #expect(batches.map(\.count) == [1000, 1000, 500])
        #expect(Array(batches.joined()) == units)
        #expect(SystemdActuator.batches([]).isEmpty)
    }

    @Test("a unit name longer than systemd allows at the widest instance is refused")
    func longName() {
        let name = String(repeating: "a", count: 250) + "@{i}.service"
        #expect(throws: UnitNameTemplate.Fault(problem: "is longer than 255 bytes with instance 10000")) {
            try UnitNameTemplate(name)
        }
        #expect((try? UnitNameTemplate(String(repeating: "a", count: 236) + "@{i}.service")) != nil)
    }
}

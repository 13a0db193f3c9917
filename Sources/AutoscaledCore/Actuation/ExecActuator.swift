/// `type = exec`: runs a command with the count in its arguments and environment.
///
/// The command was split into words when the config was loaded (``CommandTemplate``); each
/// actuation substitutes `{replicas}`, `{previous}` and `{direction}` per argument and runs the
/// program directly, never through a shell. The same values, and the decision's reason, are in
/// `AUTOSCALED_REPLICAS`, `AUTOSCALED_PREVIOUS`, `AUTOSCALED_DIRECTION` and `AUTOSCALED_REASON`.
/// Exit status 0 means applied; anything else, a signal, or the timeout is a failure.
public struct ExecActuator: Actuator {
    public var command: CommandTemplate
    public var runner: ProgramRunner

    public init(command: CommandTemplate, runner: ProgramRunner) {
        self.command = command
        self.runner = runner
    }

    public func apply(_ request: ActuationRequest) async throws(ActuationError) -> ActuationReport {
        try await runner.runChecked(arguments(for: request), adding: Self.environment(for: request))
        return ActuationReport()
    }

    /// The argument vector for `request`.
    public func arguments(for request: ActuationRequest) -> [String] {
        command.arguments { placeholder in
            switch placeholder {
            case .replicas: String(request.replicas)
            case .previous: String(request.previous)
            case .direction: request.direction.rawValue
            }
        }
    }

    /// The variables added to the program's environment.
    public static func environment(for request: ActuationRequest) -> [String: String] {
        [
            "AUTOSCALED_REPLICAS": String(request.replicas),
            "AUTOSCALED_PREVIOUS": String(request.previous),
            "AUTOSCALED_DIRECTION": request.direction.rawValue,
            "AUTOSCALED_REASON": request.reason,
        ]
    }
}

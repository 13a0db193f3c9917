import AutoscaledSystem

/// Builds the actuator an `[actuator]` section describes; `nil` for `type = none`.
///
/// Programs it runs get the daemon's environment (read now) without the variables systemd
/// meant for the daemon alone.
@Sendable
public func makeConfiguredActuator(_ config: ActuatorConfig) -> (any Actuator)? {
    let runner = ProgramRunner(environment: ProcessEnvironment.current(), timeout: config.timeout)
    switch config.kind {
    case .none: return nil
    case let .exec(command): return ExecActuator(command: command, runner: runner)
    case let .systemd(unit): return SystemdActuator(unit: unit, runner: runner)
    case let .file(path): return FileActuator(path: path)
    }
}

extension ActuatorConfig.Kind {
    /// The kind of actuator this section builds; `nil` for `type = none`.
    public var actuatorKind: ActuatorKind? {
        switch self {
        case .none: nil
        case .exec: .exec
        case .systemd: .systemd
        case .file: .file
        }
    }
}

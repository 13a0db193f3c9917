extension ConfigKey {
    static let actuatorType = ConfigKey(section: "actuator", name: "type")
    static let dryRun = ConfigKey(section: "actuator", name: "dry_run")
    static let command = ConfigKey(section: "actuator", name: "command")
    static let unit = ConfigKey(section: "actuator", name: "unit")
    static let actuatorPath = ConfigKey(section: "actuator", name: "path")
    static let timeout = ConfigKey(section: "actuator", name: "timeout")
    static let reconcileInterval = ConfigKey(section: "actuator", name: "reconcile_interval")
}

extension ConfigSchema {
    /// The rows of `[actuator]`.
    static let actuatorKeys: [ConfigKeySpec] = [
        ConfigKeySpec(.actuatorType, .choice(["none", "exec", "systemd", "file"]), default: "none") {
            .string($0.actuator.kind.name)
        },
        ConfigKeySpec(.dryRun, .boolean, default: "false") { .boolean($0.actuator.dryRun) },
        ConfigKeySpec(.command, .command, default: nil, example: "/usr/local/bin/scale-model --replicas {replicas}",
                      when: (.actuatorType, ["exec"])) { config in
            guard case let .exec(command) = config.actuator.kind else { return nil }
            return .command(command)
        },
        ConfigKeySpec(.unit, .unitName, default: nil, example: UnitNameTemplate.example,
                      when: (.actuatorType, ["systemd"])) { config in
            guard case let .systemd(unit) = config.actuator.kind else { return nil }
            return .unitName(unit)
        },
        ConfigKeySpec(.actuatorPath, .path, default: nil, example: "/run/autoscaled/replicas",
                      when: (.actuatorType, ["file"])) { config in
            guard case let .file(path) = config.actuator.kind else { return nil }
            return .string(path)
        },
        ConfigKeySpec(.timeout, .duration(allowsZero: false), default: "30s", when: (.actuatorType, ["exec", "systemd"])) {
            switch $0.actuator.kind {
            case .exec, .systemd: .duration($0.actuator.timeout)
            case .none, .file: nil
            }
        },
        ConfigKeySpec(.reconcileInterval, .duration(allowsZero: true), default: "30s", when: (.actuatorType, ["systemd"])) {
            guard case .systemd = $0.actuator.kind else { return nil }
            return .duration($0.actuator.reconcileInterval ?? .zero)
        },
    ]
}

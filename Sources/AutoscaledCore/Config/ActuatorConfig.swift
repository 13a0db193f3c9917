/// `[actuator]`: what is done with a decision besides logging and saving it.
public struct ActuatorConfig: Sendable, Equatable {
    /// The kind of actuator and its one required setting.
    public enum Kind: Sendable, Equatable {
        /// Decisions are logged and saved only.
        case none
        /// Run a command; see ``ExecActuator``.
        case exec(command: CommandTemplate)
        /// Start and stop instances of a template unit; see ``SystemdActuator``.
        case systemd(unit: UnitNameTemplate)
        /// Write the count to a file; see ``FileActuator``.
        case file(path: String)

        /// `none`, `exec`, `systemd` or `file`, as in the config.
        public var name: String {
            switch self {
            case .none: "none"
            case .exec: "exec"
            case .systemd: "systemd"
            case .file: "file"
            }
        }
    }

    public var kind: Kind
    /// Decide and log (with `dry_run=true`), never act.
    public var dryRun: Bool
    /// How long one program (the command, or one `systemctl` call) may run.
    public var timeout: Duration
    /// How often the systemd actuator checks its instances when the count did not change;
    /// `nil` for never (`reconcile_interval = 0`).
    public var reconcileInterval: Duration?

    public init(kind: Kind, dryRun: Bool, timeout: Duration, reconcileInterval: Duration?) {
        self.kind = kind
        self.dryRun = dryRun
        self.timeout = timeout
        self.reconcileInterval = reconcileInterval
    }

    /// `true` when decisions are acted on: a type other than `none`, and not a dry run.
    public var acts: Bool { kind != .none && !dryRun }
}

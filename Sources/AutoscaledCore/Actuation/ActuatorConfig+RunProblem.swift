import AutoscaledBase
import AutoscaledSystem

extension ActuatorConfig {
    /// Why the program this actuator runs could not be run now, as `PATH` is (`searchPath`): the
    /// exec command's program, or `systemctl`; `nil` when it could, or when it runs none. Every
    /// actuation would fail until it can: a warning at start, at each reload and from
    /// `check-config`, not a config error (the config may be put in place before the program).
    public func runProblem(searchPath: String?) -> String? {
        let program: String
        switch kind {
        case .none, .file: return nil
        case let .exec(command): program = command.program
        case .systemd: program = SystemdActuator.defaultSystemctl
        }
        return Subprocess.runProblem(program, searchPath: searchPath).map { "program \(EscapedText.quoted(program)) \($0)" }
    }
}

import AutoscaledSystem

/// Runs the programs actuators call: with the daemon's environment minus what only the daemon
/// may use, under `timeout`, with failures told in actuation terms.
public struct ProgramRunner: Sendable {
    /// The environment every program gets (plus what a call adds).
    public var environment: [String: String]
    /// How long one program may run before its process group is killed.
    public var timeout: Duration

    /// - Parameter environment: normally the daemon's own; the variables systemd sets for the
    ///   daemon alone (``SystemdNotifier/environmentKeys``) are removed, so a child can neither
    ///   notify nor feed the watchdog in the daemon's name.
    public init(environment: [String: String], timeout: Duration) {
        self.environment = environment.filter { !SystemdNotifier.environmentKeys.contains($0.key) }
        self.timeout = timeout
    }

    /// Runs `arguments` and returns how it ended, whatever its exit status. `named`: what a timeout or a
    /// signal calls the program (`systemctl start web@4.service`); its path by default.
    /// - Throws: ``ActuationError/spawnFailed(program:cause:)``, ``ActuationError/timedOut(program:after:standardError:)``,
    ///   ``ActuationError/cancelled``, or ``ActuationError/signalled(program:signal:standardError:)``.
    public func run(
        _ arguments: [String], adding extra: [String: String] = [:], named: String? = nil
    ) async throws(ActuationError) -> SubprocessResult {
        let result: SubprocessResult
        do {
            result = try await Subprocess.run(arguments, environment: environment.merging(extra) { $1 }, timeout: timeout)
        } catch {
            let program = arguments[0]
            if error.isNoSuchPath, !program.contains("/") {
                let entries = (environment.merging(extra) { $1 }["PATH"] ?? Subprocess.defaultSearchPath).split(separator: ":", omittingEmptySubsequences: false)
                throw .notFoundInPath(program: program, searched: entries.filter { $0.hasPrefix("/") }.map(String.init),
                                      skipped: entries.filter { !$0.hasPrefix("/") }.map(String.init))
            }
            // No such file, for a program that exists: what is missing is what runs it.
            if error.isNoSuchPath, program.hasPrefix("/"), (try? FileIdentity(path: program)) != nil {
                throw .interpreterMissing(program: program, cause: error)
            }
            if error.isPermissionDenied, entryKind(at: program, followingLinks: true) == .directory { throw .isDirectory(program: program) }
            throw .spawnFailed(program: program, cause: error)
        }
        if case .exited = result.termination { return result }
        throw ActuationError.from(result, program: named ?? arguments[0], timeout: timeout) ?? .cancelled
    }

    /// Runs `arguments` and requires exit status 0; `named` as for ``run(_:adding:named:)``.
    @discardableResult
    public func runChecked(
        _ arguments: [String], adding extra: [String: String] = [:], named: String? = nil
    ) async throws(ActuationError) -> SubprocessResult {
        let result = try await run(arguments, adding: extra, named: named)
        if let error = ActuationError.from(result, program: named ?? arguments[0], timeout: timeout) { throw error }
        return result
    }
}

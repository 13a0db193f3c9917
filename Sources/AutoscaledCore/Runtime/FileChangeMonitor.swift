import Dispatch
import Synchronization

/// Watches the load file and the config file through inotify on their directories.
///
/// A load file counts as changed when a writer closes it or a file is renamed onto its name;
/// a write in progress (modified, not yet closed) is remembered so a timer-driven read can skip a
/// half-written file. A watch lost because its directory was deleted is re-added by ``refresh()``.
public final class FileChangeMonitor: Sendable {
    public enum Target: Sendable, Equatable {
        case loadFile
        case configFile
    }

    private struct Watched: Sendable {
        var files: [(target: Target, directory: String, name: String)] = []
        var watches: [String: Int32] = [:]
        /// When the load file was last modified without being closed since.
        var loadWriteStarted: MonotonicInstant?
    }

    private let inotify: Inotify
    private let state = Mutex(Watched())
    private let clock: any MonotonicClock
    // Safety: created in init, then only resumed and cancelled, which DispatchSource allows from any thread.
    private nonisolated(unsafe) let readSource: any DispatchSourceRead

    /// - Parameter onChange: called on `queue` for each completed change of a watched file.
    public init(
        queue: DispatchQueue, clock: any MonotonicClock, onChange: @escaping @Sendable (Target) -> Void
    ) throws(SystemError) {
        let inotify = try Inotify()
        self.inotify = inotify
        self.clock = clock
        readSource = DispatchSource.makeReadSource(fileDescriptor: inotify.fd, queue: queue)
        readSource.setEventHandler { [weak self] in
            guard let self else { return }
            for event in inotify.readEvents() {
                let targets = state.withLock { watched in
                    Self.apply(event, to: &watched, now: clock.now())
                }
                for target in targets { onChange(target) }
            }
        }
        readSource.resume()
    }

    /// Watches exactly these files (replacing any earlier set), each through its directory.
    public func watch(_ files: [(target: Target, path: String)]) {
        state.withLock { watched in
            watched.files = files.map { ($0.target, parentDirectory(of: $0.path), baseName(of: $0.path)) }
            let wanted = Set(watched.files.map(\.directory))
            for (directory, watch) in watched.watches where !wanted.contains(directory) {
                inotify.removeWatch(watch)
                watched.watches[directory] = nil
            }
        }
        refresh()
    }

    /// Adds the watches that are missing (first call, or after a directory came back).
    /// - Returns: the directories that still cannot be watched, with the error.
    @discardableResult
    public func refresh() -> [SystemError] {
        state.withLock { watched in
            var errors: [SystemError] = []
            for directory in Set(watched.files.map(\.directory)) where watched.watches[directory] == nil {
                do throws(SystemError) {
                    watched.watches[directory] = try inotify.watchDirectory(directory)
                } catch {
                    errors.append(error)
                }
            }
            return errors
        }
    }

    /// `true` while the load file has been modified within `settle` and not closed since.
    public func loadFileBeingWritten(settle: Duration) -> Bool {
        state.withLock { watched in
            guard let started = watched.loadWriteStarted else { return false }
            return clock.now() - started < settle
        }
    }

    public func cancel() {
        readSource.cancel()
    }

    private static func apply(_ event: InotifyEvent, to watched: inout Watched, now: MonotonicInstant) -> [Target] {
        guard let directory = watched.watches.first(where: { $0.value == event.watch })?.key else { return [] }
        if event.endsWatch && event.name.isEmpty {
            watched.watches[directory] = nil
            return []
        }
        var targets: [Target] = []
        for file in watched.files where file.directory == directory && file.name == event.name {
            if file.target == .loadFile {
                if event.modifiesFile { watched.loadWriteStarted = now }
                if event.completesFile || event.removesFile { watched.loadWriteStarted = nil }
            }
            if event.completesFile { targets.append(file.target) }
        }
        return targets
    }
}

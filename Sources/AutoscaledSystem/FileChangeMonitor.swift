import AutoscaledBase
import Dispatch

/// Watches the load file, the config file and the pause file through inotify on their directories.
///
/// A file counts as changed when a writer closes it or a file is renamed onto its name, and the
/// pause file also when it is removed; events for other names in the directories wake nothing. Writes are counted per file (its
/// ``WriteActivity``), so a reader can tell a write in progress (modified, not yet closed) and a
/// write that happened while it read (the count moved), and put the read off: no decision is made
/// from a half-written file, and no half-written config is applied. A watch lost because its
/// directory was deleted is re-added by ``refresh()``.
///
/// A file whose path is a symbolic link (or passes through one) is watched at the link and at
/// the file it resolves to, as of ``watch(_:)``, each ``refresh()`` and each change of the link: a
/// writer that writes the target in place is seen there.
public final class FileChangeMonitor: Sendable {
    public enum Target: Sendable, Hashable {
        case loadFile
        case configFile
        /// The operator's pause file, next to the state file.
        case pauseFile
    }

    private struct Watched: Sendable {
        /// The files as given.
        var given: [(target: Target, path: String)] = []
        /// Where each is watched: at its path, and at what a link there resolves to.
        var files: [(target: Target, directory: String, name: String)] = []
        var watches: [String: Int32] = [:]
        var activity: [Target: WriteActivity] = [:]
    }

    private let inotify: Inotify
    private let state = Locked(Watched())
    private let clock: any MonotonicClock
    private let onChange: @Sendable (Target) -> Void
    // Safety: created in init, then only resumed and cancelled, which DispatchSource allows from any thread.
    private nonisolated(unsafe) let readSource: any DispatchSourceRead

    /// - Parameter onChange: called on `queue` for each completed change of a watched file.
    public init(
        queue: DispatchQueue, clock: any MonotonicClock, onChange: @escaping @Sendable (Target) -> Void
    ) throws(SystemError) {
        let inotify = try Inotify()
        self.inotify = inotify
        self.clock = clock
        self.onChange = onChange
        readSource = DispatchSource.makeReadSource(fileDescriptor: inotify.fd, queue: queue)
        let state = self.state
        readSource.setEventHandler {
            Self.process(inotify: inotify, state: state, clock: clock, onChange: onChange)
        }
        readSource.resume()
    }

    /// Watches exactly these files (replacing any earlier set), each through its directory.
    public func watch(_ files: [(target: Target, path: String)]) {
        state.withLock { $0.given = files }
        refresh()
    }

    /// Resolves the links again, and adds the watches that are missing (first call, or after a
    /// directory came back).
    /// - Returns: the directories that still cannot be watched, with the error.
    @discardableResult
    public func refresh() -> [SystemError] {
        state.withLock { watched in
            Self.resolve(&watched, inotify: inotify)
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

    /// Takes every queued inotify event now (the kernel queues them as writes happen), updates
    /// what is known of the files, and reports completed changes — except those of `aboutToRead`:
    /// the read that follows covers them, and reporting them would only read the same data twice.
    public func processEvents(aboutToRead: Target? = nil) {
        Self.process(inotify: inotify, state: state, clock: clock) { target in
            if target != aboutToRead { onChange(target) }
        }
    }

    private static func process(
        inotify: Inotify, state: Locked<Watched>, clock: any MonotonicClock, onChange: (Target) -> Void
    ) {
        let targets = state.withLock { watched in
            let events = inotify.readEvents()
            var targets = events.flatMap { apply($0, to: &watched, now: clock.now()) }
            if events.contains(where: \.overflowed) {
                // Events were lost (a directory busy with other names, a stalled reader): any file
                // may have changed, and a write seen in progress most likely ended unseen. Each is
                // read again now, as the poll would, instead of at the next poll.
                let given = Set(watched.given.map(\.target))
                for target in given {
                    var activity = watched.activity[target] ?? WriteActivity()
                    activity.lastModified = nil
                    activity.modifications += 1
                    watched.activity[target] = activity
                }
                targets += given
                resolve(&watched, inotify: inotify)
            }
            // A name given was replaced (a link moved to another file): watch what it resolves to now.
            if events.contains(where: { event in isGiven(event, in: watched) && (event.completesFile || event.removesFile) }) {
                resolve(&watched, inotify: inotify)
                for directory in Set(watched.files.map(\.directory)) where watched.watches[directory] == nil {
                    watched.watches[directory] = try? inotify.watchDirectory(directory)
                }
            }
            return targets
        }
        for target in targets { onChange(target) }
    }

    /// Whether `event` concerns a file at its path as given (not where a link resolves to).
    private static func isGiven(_ event: InotifyEvent, in watched: Watched) -> Bool {
        let directories = Set(watched.watches.filter { $0.value == event.watch }.map(\.key))
        return watched.given.contains { directories.contains(parentDirectory(of: $0.path)) && baseName(of: $0.path) == event.name }
    }

    /// Sets where each file given is watched: at its path, and, when a link along it resolves
    /// elsewhere, at the file it resolves to; drops the watches of directories no longer wanted.
    private static func resolve(_ watched: inout Watched, inotify: Inotify) {
        var files: [(target: Target, directory: String, name: String)] = []
        for file in watched.given {
            let directory = parentDirectory(of: file.path)
            let name = baseName(of: file.path)
            files.append((file.target, directory, name))
            // Not there yet, or a loop: the path alone, until it resolves.
            guard let resolved = try? resolvedPath(file.path) else { continue }
            let resolvedDirectory = parentDirectory(of: resolved)
            let resolvedName = baseName(of: resolved)
            if resolvedDirectory != directory || resolvedName != name {
                files.append((file.target, resolvedDirectory, resolvedName))
            }
        }
        watched.files = files
        let wanted = Set(files.map(\.directory))
        for (directory, watch) in watched.watches where !wanted.contains(directory) {
            watched.watches[directory] = nil
            // Two spellings of one directory share one watch: it stays while one is wanted.
            if !watched.watches.values.contains(watch) { inotify.removeWatch(watch) }
        }
    }

    /// What is known of the writes to `target`, counting the events queued up to now.
    /// - Parameter beforeRead: `true` just before `target` is read (see ``processEvents(aboutToRead:)``);
    ///   after a read, changes are reported so newer data is read in turn.
    public func activity(of target: Target, beforeRead: Bool) -> WriteActivity {
        processEvents(aboutToRead: beforeRead ? target : nil)
        return state.withLock { $0.activity[target] ?? WriteActivity() }
    }

    public func cancel() {
        readSource.cancel()
    }

    private static func apply(_ event: InotifyEvent, to watched: inout Watched, now: MonotonicInstant) -> [Target] {
        // Two spellings of one directory (a path given, and where a link resolves) share one watch.
        let directories = Set(watched.watches.filter { $0.value == event.watch }.map(\.key))
        guard !directories.isEmpty else { return [] }
        if event.endsWatch && event.name.isEmpty {
            for directory in directories { watched.watches[directory] = nil }
            return []
        }
        var targets: [Target] = []
        var seen = Set<Target>()
        for file in watched.files
        where directories.contains(file.directory) && file.name == event.name && seen.insert(file.target).inserted {
            var activity = watched.activity[file.target] ?? WriteActivity()
            if event.modifiesFile {
                activity.lastModified = now
                activity.modifications += 1
            }
            if event.completesFile || event.removesFile { activity.lastModified = nil }
            watched.activity[file.target] = activity
            // A pause file removed is told too: the daemon writes back a pause in force at once.
            if event.completesFile || (event.removesFile && file.target == .pauseFile) { targets.append(file.target) }
        }
        return targets
    }
}

/// What the file watch knows of writes to the load file: enough to never decide on half a write.
public protocol LoadFileWrites: Sendable {
    /// The writes seen so far: a write in progress, and how many modifications (compared before
    /// and after a read). `beforeRead`: called just before the file is read.
    func loadFileActivity(beforeRead: Bool) -> WriteActivity
}

extension FileChangeMonitor: LoadFileWrites {
    public func loadFileActivity(beforeRead: Bool) -> WriteActivity {
        activity(of: .loadFile, beforeRead: beforeRead)
    }
}

import Glibc

/// One inotify event: the watch it came from, what happened, and the name inside the watched directory.
public struct InotifyEvent: Sendable, Equatable {
    public var watch: Int32
    public var mask: UInt32
    public var name: String
}

/// A non-blocking inotify instance.
///
/// Directories are watched rather than files: editors and `mv` replace a file's inode, which a
/// watch on the file itself would lose; a directory watch sees `IN_MOVED_TO` and `IN_CLOSE_WRITE`
/// for the name.
public final class Inotify: Sendable {
    /// Events a directory watch asks for.
    public static let directoryMask: UInt32 = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE
        | IN_DELETE | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    public let fd: Int32

    public init() throws(SystemError) {
        fd = try syscall("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
    }

    deinit {
        _ = close(fd)
    }

    public func watchDirectory(_ path: String) throws(SystemError) -> Int32 {
        try syscall("inotify_add_watch", path) { inotify_add_watch(fd, path, Self.directoryMask) }
    }

    public func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(fd, watch)
    }

    /// Reads every event queued now; returns an empty array when there is none.
    public func readEvents() -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        let headerSize = MemoryLayout<inotify_event>.size
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == -1 && errno == EINTR { continue }
            guard count > 0 else { return events }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset + headerSize <= count {
                    let watch = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + headerSize)..<min(offset + headerSize + length, count)]
                    let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                    events.append(InotifyEvent(watch: watch, mask: mask, name: name))
                    offset += headerSize + length
                }
            }
        }
    }
}

extension InotifyEvent {
    /// A writer closed the file, or a file was renamed into place: its contents are complete.
    public var completesFile: Bool { mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 }
    /// The file was written to (possibly only partly so far).
    public var modifiesFile: Bool { mask & UInt32(IN_MODIFY) != 0 }
    /// The name went away.
    public var removesFile: Bool { mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0 }
    /// The watch itself ended (directory deleted or moved, or the watch removed).
    public var endsWatch: Bool { mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 }
    /// The kernel's queue overflowed: events were lost, of any watch.
    public var overflowed: Bool { mask & UInt32(IN_Q_OVERFLOW) != 0 }
}

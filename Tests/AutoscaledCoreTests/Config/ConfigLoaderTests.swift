@testable import AutoscaledCore
import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Synchronization
import Testing

struct ConfigLoaderTests {
    @Test("a config read whole, refused or met while changing is told to the rewrite race as such")
    func failedReads() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("empty.conf", "")
        #expect(ConfigLoader.loadReading(path: dir.file("empty.conf")).read == .whole([]))
        let bad = dir.file("bad.conf")
        dir.write("bad.conf", "[policy\n")
        #expect(ConfigLoader.loadReading(path: bad).read == .whole(Array("[policy\n".utf8)))
        let missing = ConfigLoader.loadReading(path: dir.file("missing.conf"))
        guard case let .failure(errors) = missing.result else {
            Issue.record("a missing config loaded")
            return
        }
        #expect(missing.read == .refused(errors.errors[0].message))
        #expect(ConfigLoader.failedRead(.changedWhileReading(path: bad), message: "cannot read config: changed while being read") == .changing)
        #expect(ConfigLoader.failedRead(.tooLarge(path: bad, limit: 1), message: "m") == .refused("m"))
    }

    @Test("a file replaced between two looks, whose freed inode another path took, is not two names of one file; an alias stays one")
    func inodeTakenMeanwhile() {
        // The first look at the load file finds inode 7; it is then renamed over (inode 8), and the
        // metrics textfile, written meanwhile, takes the freed 7.
        let looks = Mutex<[String: Int]>([:])
        let probe = ConfigDiskProbe(nonDirectory: { _ in nil }, place: { path in
            let count = looks.withLock { looks in
                looks[path, default: 0] += 1
                return looks[path]!
            }
            let inode: UInt64 = switch path {
            case "/etc/autoscaled/loads.json": count == 1 ? 7 : 8
            case "/etc/autoscaled/m.prom": 7
            case "/etc/autoscaled/alias.prom": 8
            default: UInt64(100 + path.utf8.count)
            }
            return .file(FileIdentity(device: 1, inode: inode))
        })
        let text = "[source]\npath = loads.json\n[metrics]\ntextfile = m.prom\n"
        let parsed = ConfigParser.parse(bytes: Array(text.utf8), file: "autoscaled.conf", directory: "/etc/autoscaled", disk: probe)
        #expect((try? parsed.get()) != nil, "\(parsed)")
        // A real alias (inode 8 at every look, once the load file's first look is over) is refused.
        let aliased = "[source]\npath = loads.json\n[metrics]\ntextfile = alias.prom\n"
        let refused = ConfigParser.parse(bytes: Array(aliased.utf8), file: "autoscaled.conf", directory: "/etc/autoscaled", disk: probe)
        guard case let .failure(errors) = refused else {
            Issue.record("an alias was taken as a file of its own")
            return
        }
        #expect(errors.errors.map(\.description) == [
            "autoscaled.conf:4: [metrics] textfile '/etc/autoscaled/alias.prom' is the file [source] path names; each must be a file of its own",
        ])
    }

    /// The error lines of the config `text` written to `dir` and loaded from there.
    static func errors(_ dir: TemporaryDirectory, _ text: String) -> [String] {
        dir.write("autoscaled.conf", text)
        switch ConfigLoader.load(path: dir.file("autoscaled.conf")) {
        case .success: return []
        case let .failure(errors): return errors.errors.map(\.description)
        }
    }

    @Test("a source path that is a directory, or a link to one, is refused at load with its line; one not there yet is not")
    func sourceIsDirectory() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkdir(dir.file("adir"), 0o755) == 0)
        #expect(symlink("adir", dir.file("link")) == 0)
        let conf = dir.file("autoscaled.conf")
        for (type, what) in [("file", "a file of loads"), ("unix", "a Unix socket")] {
            for name in ["adir", "link"] {
                #expect(Self.errors(dir, "[source]\ntype = \(type)\npath = \(name)\n[state]\npath = s.json\n") == [
                    "\(conf):3: path '\(dir.file(name))' is a directory, not \(what): every read would fail",
                ])
            }
        }
        #expect(Self.errors(dir, "[source]\npath = later.json\n[state]\npath = s.json\n") == [])
        // A file source's path that is a FIFO or a device is refused too.
        #expect(mkfifo(dir.file("fifo"), 0o644) == 0)
        for path in [dir.file("fifo"), "/dev/zero"] {
            #expect(Self.errors(dir, "[source]\npath = \(path)\n[state]\npath = s.json\n") == [
                "\(conf):2: path '\(path)' is a device, socket or FIFO, not a file of loads: every read would fail",
            ])
        }
        // A Unix socket's path that is a regular file (the load file, say) is refused too.
        dir.write("loads.json", "{}")
        #expect(Self.errors(dir, "[source]\ntype = unix\npath = loads.json\n[state]\npath = s.json\n") == [
            "\(conf):3: path '\(dir.file("loads.json"))' is a regular file, not a Unix socket: every read would fail",
        ])
    }

    @Test("a file the daemon writes where a device or a directory stands is refused at load with its line")
    func writtenFileNotRegular() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkdir(dir.file("textfile.prom"), 0o755) == 0)
        let conf = dir.file("autoscaled.conf")
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = /dev/null\n") == [
            "\(conf):4: [state] path '/dev/null' cannot be written: it is a device, socket or FIFO, not a regular file",
        ])
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = s.json\n[metrics]\ntextfile = textfile.prom\n") == [
            "\(conf):6: [metrics] textfile '\(dir.file("textfile.prom"))' cannot be written: it is a directory, not a regular file",
        ])
        // A regular file there, or none yet, is fine.
        dir.write("s.json", "")
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = s.json\n[metrics]\ntextfile = new.prom\n") == [])
        // A symbolic link, to a file or to nothing, is refused: the daemon never writes through one. A
        // pause file that is a link is `pause`'s to refuse; the daemon only reads it.
        #expect(symlink("s.json", dir.file("link.json")) == 0)
        #expect(symlink("none.json", dir.file("dangling.json")) == 0)
        for name in ["link.json", "dangling.json"] {
            #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = \(name)\n") == [
                "\(conf):4: [state] path '\(dir.file(name))' cannot be written: it is a symbolic link, not a regular file "
                    + "(the daemon never writes through one: set the path to the real location)",
            ])
        }
        #expect(symlink("elsewhere", dir.file("s.json.pause")) == 0)
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = s.json\n") == [])
    }

    @Test("the history's lock file, beside its directory, is no other file's path")
    func historyLockIsItsOwn() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let conf = dir.file("autoscaled.conf")
        let start = "[source]\npath = loads.json\n[state]\npath = s.json\n"
        #expect(Self.errors(dir, start + "[history]\npath = h\n[metrics]\ntextfile = h.lock\n") == [
            "\(conf):8: [metrics] textfile '\(dir.file("h.lock"))' is the lock file beside [history] path; each must be a file of its own",
        ])
        #expect(Self.errors(dir, start + "[metrics]\ntextfile = history.lock\n") == [
            "\(conf):6: [metrics] textfile '\(dir.file("history.lock"))' is the history's lock file ([history] path unset) "
                + "beside [state] path; each must be a file of its own",
        ])
    }

    @Test("a history directory that is a file, or set below one, is refused at load with its line; none yet is fine")
    func historyPathNotDirectory() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("file", "")
        let conf = dir.file("autoscaled.conf")
        let start = "[source]\npath = loads.json\n[state]\npath = s.json\n"
        #expect(Self.errors(dir, start + "[history]\npath = file") == [
            "\(conf):6: [history] path '\(dir.file("file"))' must be a directory (the history's segment files are kept "
                + "in it), but it is a regular file",
        ])
        #expect(Self.errors(dir, start + "[history]\npath = file/history") == [
            "\(conf):6: [history] path '\(dir.file("file/history"))' must be a directory (the history's segment files "
                + "are kept in it), but '\(dir.file("file"))' is a regular file",
        ])
        #expect(Self.errors(dir, start + "[history]\npath = new/history").isEmpty)
        #expect(Self.errors(dir, start + "[history]\nenabled = false\npath = file").isEmpty)
        // Unset: `history` beside the state file.
        dir.write("history", "")
        #expect(Self.errors(dir, start) == [
            "\(conf):4: the history's directory ([history] path unset) beside [state] path '\(dir.file("history"))' "
                + "must be a directory (the history's segment files are kept in it), but it is a regular file",
        ])
        // A file where the state's directory should be is the state path's fault, told once.
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = file/s.json\n") == [
            "\(conf):4: [state] path '\(dir.file("file/s.json"))' cannot be written: '\(dir.file("file"))' is a regular "
                + "file, not a directory",
        ])
        unlink(dir.file("history"))
        #expect(mkdir(dir.file("history"), 0o755) == 0)
        #expect(Self.errors(dir, start).isEmpty)
    }

    @Test("every file the daemon writes below a file is refused at load, naming the key's line and the file in the way")
    func writtenBelowAFile() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("file", "")
        let conf = dir.file("autoscaled.conf")
        let start = "[source]\npath = loads.json\n[state]\npath = s.json\n"
        #expect(Self.errors(dir, start + "[metrics]\ntextfile = file/m.prom\n") == [
            "\(conf):6: [metrics] textfile '\(dir.file("file/m.prom"))' cannot be written: '\(dir.file("file"))' is a "
                + "regular file, not a directory",
        ])
        #expect(Self.errors(dir, start + "[actuator]\ntype = file\npath = file/deep/replicas\n") == [
            "\(conf):7: [actuator] path '\(dir.file("file/deep/replicas"))' cannot be written: '\(dir.file("file"))' is a "
                + "regular file, not a directory",
        ])
        // A load file is only read: a missing one is a source error at each read, not a config error.
        #expect(Self.errors(dir, "[source]\npath = file/loads.json\n[state]\npath = s.json\n").isEmpty)
    }

    @Test("two paths that lead to one file through a symlinked directory are one file: refused, as the same text is")
    func sameFileThroughSymlink() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(symlink(".", dir.file("lnk")) == 0)
        let conf = dir.file("autoscaled.conf")
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = lnk/autoscaled.conf\n") == [
            "\(conf):4: [state] path '\(dir.file("lnk/autoscaled.conf"))' is the config file itself; each must be a file "
                + "of its own",
        ])
        // A file in the history's directory under another name of it.
        #expect(mkdir(dir.file("hist"), 0o755) == 0)
        #expect(symlink(dir.file("hist"), dir.file("hlink")) == 0)
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = s.json\n[metrics]\ntextfile = hlink/m.prom\n"
            + "[history]\npath = hist\n") == [
            "\(conf):8: [metrics] textfile '\(dir.file("hlink/m.prom"))' is inside the directory [history] path names, "
                + "whose files are the history's own",
        ])
        // Another name of a segment: a symbolic link the source reads through, a hard link the
        // metrics would be written over, a link to a segment not made yet.
        dir.write("hist/00000001.log", "ASHIST1\n")
        #expect(symlink(dir.file("hist/00000001.log"), dir.file("seg.json")) == 0)
        #expect(link(dir.file("hist/00000001.log"), dir.file("seg.prom")) == 0)
        #expect(symlink("hist/00000009.log", dir.file("later.json")) == 0)
        let history = "[state]\npath = s.json\n[history]\npath = hist\n"
        #expect(Self.errors(dir, "[source]\npath = seg.json\n" + history) == [
            "\(conf):6: [source] path '\(dir.file("seg.json"))' leads inside the directory [history] path names, "
                + "whose files are the history's own",
        ])
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[metrics]\ntextfile = seg.prom\n" + history) == [
            "\(conf):8: [metrics] textfile '\(dir.file("seg.prom"))' is another name of a file inside the directory "
                + "[history] path names, whose files are the history's own",
        ])
        #expect(Self.errors(dir, "[source]\npath = later.json\n" + history) == [
            "\(conf):6: [source] path '\(dir.file("later.json"))' leads inside the directory [history] path names, "
                + "whose files are the history's own",
        ])
        // The file need not exist: its directory and name are the place.
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = s.json\n[metrics]\ntextfile = lnk/s.json\n") == [
            "\(conf):6: [metrics] textfile '\(dir.file("lnk/s.json"))' is the file [state] path names; each must be a file "
                + "of its own",
        ])
    }
}

@testable import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

struct ConfigLoaderTests {
    /// The error lines of the config `text` written to `dir` and loaded from there.
    static func errors(_ dir: TemporaryDirectory, _ text: String) -> [String] {
        dir.write("autoscaled.conf", text)
        switch ConfigLoader.load(path: dir.file("autoscaled.conf")) {
        case .success: return []
        case let .failure(errors): return errors.errors.map(\.description)
        }
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
        // A file where the state's directory should be is told by the state file's claim, not here.
        #expect(Self.errors(dir, "[source]\npath = loads.json\n[state]\npath = file/s.json\n").isEmpty)
        unlink(dir.file("history"))
        #expect(mkdir(dir.file("history"), 0o755) == 0)
        #expect(Self.errors(dir, start).isEmpty)
    }
}

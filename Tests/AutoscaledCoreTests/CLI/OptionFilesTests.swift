@testable import AutoscaledCore
import AutoscaledSystem
import Testing

/// Outputs that name an input or each other, below the command line.
struct OptionFilesTests {
    /// `/data` and `/link` are one directory (a symlink); nothing else exists.
    static func identity(_ path: String) -> FileIdentity? {
        path == "/data" || path == "/link" ? FileIdentity(device: 1, inode: 2) : nil
    }

    @Test("an output not made yet, named through a symlinked directory, is the file another output names there")
    func sameDirectoryUnderAnotherName() {
        let files = OptionFiles(inputs: [.init("config", "/etc/a.conf"), .init("trace", "/etc/t.csv")],
                                outputs: [.init("csv", "/link/out.x"), .init("svg", "/data/out.x")])
        #expect(throws: UsageError("option '--svg': '/data/out.x' is the file '--csv' names; each output must be a file of its own",
                                   subcommand: "simulate")) {
            try files.check(subcommand: "simulate", directory: "/", identity: Self.identity)
        }
    }

    @Test("other names in the same directory are files of their own")
    func otherNames() throws {
        let files = OptionFiles(inputs: [.init("config", "/etc/a.conf"), .init("trace", "/data/t.csv")],
                                outputs: [.init("write", "/link/tuned.conf"), .init("svg", "/data/tune.svg")])
        try files.check(subcommand: "tune", directory: "/", identity: Self.identity)
    }

    @Test("an output that can only name a directory is refused before anything runs, as a config path is",
          arguments: ["out/", "out/.", "..", "."])
    func directoryName(path: String) {
        let files = OptionFiles(inputs: [.init("config", "/etc/a.conf"), .init("trace", "/data/t.csv")],
                                outputs: [.init("write", path)])
        #expect(throws: UsageError("option '--write': '\(path)' names a directory, not a file", subcommand: "tune")) {
            try files.check(subcommand: "tune", directory: "/", identity: Self.identity)
        }
    }

    @Test("an input replaced between two looks, whose freed inode an output took, is not the output's file")
    func inodeTakenMeanwhile() throws {
        var looks = 0
        let files = OptionFiles(inputs: [.init("config", "/etc/a.conf"), .init("trace", "/data/loads.json")],
                                outputs: [.init("csv", "/data/out.csv")])
        try files.check(subcommand: "simulate", directory: "/") { path in
            switch path {
            case "/data/loads.json":
                looks += 1
                return FileIdentity(device: 1, inode: looks == 1 ? 7 : 8)
            case "/data/out.csv": return FileIdentity(device: 1, inode: 7)
            default: return nil
            }
        }
        #expect(looks > 1)
    }
}

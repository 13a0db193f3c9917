import Testing
@testable import AutoscaledCore
import AutoscaledTestSupport
import Glibc

struct PathTextTests {
    @Test("paths are made absolute and normalised", arguments: [
        ("loads.json", "/etc/autoscaled", "/etc/autoscaled/loads.json"),
        ("./loads.json", "/etc/autoscaled", "/etc/autoscaled/loads.json"),
        ("../run/loads.json", "/etc/autoscaled", "/etc/run/loads.json"),
        ("data//sub/./x/../loads.json", "/etc/autoscaled/", "/etc/autoscaled/data/sub/loads.json"),
        ("/var/lib/x/", "/etc/autoscaled", "/var/lib/x"),
        ("/../../x", "/etc", "/x"),
        ("../../../../x", "/etc/autoscaled", "/x"),
        (".", "/etc/autoscaled", "/etc/autoscaled"),
        ("/", "/etc", "/"),
        ("with space/ünïcode.json", "/srv", "/srv/with space/ünïcode.json"),
    ])
    func resolves(_ path: String, _ directory: String, _ expected: String) {
        #expect(PathText.resolve(path, against: directory) == expected)
    }

    @Test("a relative directory gives a relative result, with leading '..' kept")
    func relativeDirectory() {
        #expect(PathText.resolve("../x", against: "conf") == "x")
        #expect(PathText.resolve("../../x", against: "conf") == "../x")
        #expect(PathText.resolve("..", against: ".") == "..")
        #expect(PathText.resolve("a/..", against: ".") == ".")
    }

    @Test("'..' after a symbolic link is kept: it names the parent of where the link leads, as the kernel reads it")
    func dotDotAfterALink() throws {
        let links: Set<String> = ["/etc/autoscaled/lnk", "/srv/a/b"]
        func resolve(_ path: String, _ directory: String) -> String {
            PathText.resolve(path, against: directory, isSymbolicLink: { links.contains($0) })
        }
        #expect(resolve("lnk/../loads.json", "/etc/autoscaled") == "/etc/autoscaled/lnk/../loads.json")
        #expect(resolve("lnk/x/../../loads.json", "/etc/autoscaled") == "/etc/autoscaled/lnk/../loads.json")
        #expect(resolve("../loads.json", "/etc/autoscaled/lnk/..") == "/etc/autoscaled/lnk/../../loads.json")
        #expect(resolve("b/./../c", "/srv/a") == "/srv/a/b/../c")
        #expect(resolve("other/../c", "/srv/a") == "/srv/a/c")

        // On the disk: a link to a directory elsewhere.
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkdir(dir.file("other"), 0o755) == 0 && mkdir(dir.file("other/deep"), 0o755) == 0)
        #expect(symlink(dir.file("other/deep"), dir.file("lnk")) == 0)
        #expect(PathText.resolve("lnk/../loads.json", against: dir.path) == dir.file("lnk/../loads.json"))
        #expect(PathText.resolve("other/deep/../loads.json", against: dir.path) == dir.file("other/loads.json"))
    }
}

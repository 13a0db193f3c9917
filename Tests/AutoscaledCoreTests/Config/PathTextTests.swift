import Testing
@testable import AutoscaledCore

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
}

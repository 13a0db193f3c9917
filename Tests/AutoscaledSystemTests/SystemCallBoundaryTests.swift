import AutoscaledTestSupport
import Testing

/// AutoscaledSystem is the one place that calls libc. The targets' dependencies keep Base from using
/// System, but only this test keeps a file of another target from importing Glibc itself.
struct SystemCallBoundaryTests {
    /// The Swift files below `directory` (relative to the repository), recursively.
    private func swiftFiles(_ directory: String) -> [String] {
        listing(repositoryRoot + "/" + directory).flatMap { name -> [String] in
            let path = directory + "/" + name
            if name.hasSuffix(".swift") { return [path] }
            return name.contains(".") ? [] : swiftFiles(path)
        }
    }

    @Test("no library source outside Sources/AutoscaledSystem imports Glibc", arguments: [
        "Sources/AutoscaledBase", "Sources/AutoscaledCore",
    ])
    func onlySystemImportsLibc(directory: String) throws {
        let files = swiftFiles(directory)
        #expect(!files.isEmpty)
        let importing = files.filter { path in
            (readFile(repositoryRoot + "/" + path) ?? "").split(separator: "\n").contains { $0.hasPrefix("import Glibc") }
        }
        #expect(importing == [])
    }
}

import Glibc
import Testing

@testable import AutoscaledSystem

struct MallocOptionsTests {
    /// A sanitizer's allocator stands in for glibc's, and its `mallopt` takes nothing.
    static let underSanitizer = getenv("AUTOSCALED_SANITIZER") != nil

    /// Whether glibc mapped the block at `pointer` on its own (`IS_MMAPPED` in its chunk's size
    /// word, just before the block): such a block goes back to the system when it is freed.
    static func isMappedOnItsOwn(_ pointer: UnsafeMutableRawPointer) -> Bool {
        (pointer - MemoryLayout<Int>.size).load(as: Int.self) & 0x2 != 0
    }

    @Test("with the threshold fixed, a 1 MiB block is still mapped on its own after a 16 MiB one was freed",
          .disabled(if: underSanitizer, "a sanitizer replaces malloc"))
    func largeBlocksStayMapped() throws {
        #expect(MallocOptions.returnLargeBlocksWhenFreed(environment: [:]))
        // Freeing a mapped 16 MiB block is what raises glibc's threshold when it is not fixed.
        let large = try #require(malloc(16 << 20))
        #expect(Self.isMappedOnItsOwn(large))
        free(large)
        let block = try #require(malloc(1 << 20))
        defer { free(block) }
        #expect(Self.isMappedOnItsOwn(block))
    }
}

import Glibc
import Testing

@testable import AutoscaledSystem

/// What the threshold does to a daemon's memory is measured by `autoscaled-bench memory`: whether
/// a block is mapped on its own also depends on the free space the heap holds, which a test process
/// running other tests in parallel does not control.
struct MallocOptionsTests {
    /// A sanitizer's allocator stands in for glibc's, and its `mallopt` takes nothing.
    static let underSanitizer = getenv("AUTOSCALED_SANITIZER") != nil

    @Test("mallopt is found by name and takes the mmap threshold",
          .disabled(if: underSanitizer, "a sanitizer replaces malloc"))
    func thresholdReachesMallopt() {
        #expect(MallocOptions.set(.mmapThreshold, to: MallocOptions.largeBlock))
        #expect(MallocOptions.returnLargeBlocksWhenFreed(environment: [:]))
    }
}

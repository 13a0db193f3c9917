// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "autoscaled",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "autoscaled", targets: ["autoscaled"]),
        .executable(name: "autoscaled-bench", targets: ["autoscaled-bench"]),
        .library(name: "AutoscaledCore", targets: ["AutoscaledCore"]),
    ],
    targets: [
        .target(name: "AutoscaledCore"),
        .executableTarget(name: "autoscaled", dependencies: ["AutoscaledCore"]),
        .executableTarget(
            name: "autoscaled-bench", dependencies: ["AutoscaledCore", "AutoscaledTestSupport"], path: "Benchmarks/AutoscaledBench"),
        .target(name: "AutoscaledTestSupport", dependencies: ["AutoscaledCore"], path: "Tests/AutoscaledTestSupport"),
        .testTarget(name: "AutoscaledCoreTests", dependencies: ["AutoscaledCore", "AutoscaledTestSupport"]),
        .testTarget(name: "AutoscaledIntegrationTests", dependencies: ["AutoscaledCore", "AutoscaledTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

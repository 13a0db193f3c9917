// swift-tools-version:6.0
import PackageDescription

// The layers, lowest first; a target may import only the ones below it:
// AutoscaledBase (stdlib only) ← AutoscaledSystem (the only code calling libc) ← AutoscaledCore.
let package = Package(
    name: "autoscaled",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "autoscaled", targets: ["autoscaled"]),
        .executable(name: "autoscaled-bench", targets: ["autoscaled-bench"]),
        .library(name: "AutoscaledCore", targets: ["AutoscaledCore"]),
    ],
    targets: [
        .target(name: "AutoscaledBase"),
        .target(name: "AutoscaledSystem", dependencies: ["AutoscaledBase"]),
        .target(name: "AutoscaledCore", dependencies: ["AutoscaledBase", "AutoscaledSystem"]),
        .executableTarget(name: "autoscaled", dependencies: ["AutoscaledBase", "AutoscaledCore", "AutoscaledSystem"]),
        .executableTarget(
            name: "autoscaled-bench", dependencies: ["AutoscaledBase", "AutoscaledCore", "AutoscaledSystem", "AutoscaledTestSupport"],
            path: "Benchmarks/AutoscaledBench"),
        .target(
            name: "AutoscaledTestSupport", dependencies: ["AutoscaledCore", "AutoscaledSystem"],
            path: "Tests/AutoscaledTestSupport"),
        .testTarget(name: "AutoscaledBaseTests", dependencies: ["AutoscaledBase"]),
        .testTarget(name: "AutoscaledSystemTests", dependencies: ["AutoscaledSystem", "AutoscaledTestSupport"]),
        .testTarget(
            name: "AutoscaledCoreTests",
            dependencies: ["AutoscaledCore", "AutoscaledBase", "AutoscaledSystem", "AutoscaledTestSupport"]),
        .testTarget(
            name: "AutoscaledIntegrationTests",
            dependencies: ["AutoscaledCore", "AutoscaledSystem", "AutoscaledTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

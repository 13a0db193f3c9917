// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "autoscaled",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "autoscaled", targets: ["autoscaled"]),
        .library(name: "AutoscaledCore", targets: ["AutoscaledCore"]),
    ],
    targets: [
        .target(name: "AutoscaledCore"),
        .executableTarget(name: "autoscaled", dependencies: ["AutoscaledCore"]),
        .testTarget(name: "AutoscaledCoreTests", dependencies: ["AutoscaledCore"]),
        .testTarget(name: "AutoscaledIntegrationTests", dependencies: ["AutoscaledCore"]),
    ],
    swiftLanguageModes: [.v6]
)

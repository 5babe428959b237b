// swift-tools-version: 6.1
// libFuzzer targets for PolicyLab's input parsers (CSV, formulas, YAML specs). A separate package: built only by
// scripts/fuzz with `-sanitize=fuzzer,address`, never by a tool that links PolicyLab.
import PackageDescription

let package = Package(
    name: "PolicyLabFuzz",
    dependencies: [.package(name: "PolicyLab", path: "../")],
    targets: [
        // The bridge from SwiftPM's renamed entry point to libFuzzer's driver.
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(
            name: "FuzzCSV",
            dependencies: ["FuzzSupport", .product(name: "Tabular", package: "PolicyLab")],
            path: "Sources/FuzzCSV"
        ),
        .executableTarget(
            name: "FuzzFormula",
            dependencies: ["FuzzSupport", .product(name: "Tabular", package: "PolicyLab")],
            path: "Sources/FuzzFormula"
        ),
        .executableTarget(
            name: "FuzzSpec",
            dependencies: ["FuzzSupport", .product(name: "PolicyLab", package: "PolicyLab"),
                           .product(name: "Tabular", package: "PolicyLab")],
            path: "Sources/FuzzSpec"
        ),
    ]
)

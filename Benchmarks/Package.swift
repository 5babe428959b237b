// swift-tools-version: 6.1
// PolicyLab's benchmarks (ordo-one/benchmark). A separate package so that a tool linking
// PolicyLab never builds the benchmark harness. Run: scripts/bench (see README).
import PackageDescription

let package = Package(
    name: "PolicyLabBenchmarks",
    dependencies: [
        .package(name: "PolicyLab", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The raw C BLAS, for measuring what the Swift wrapper costs.
        .systemLibrary(name: "CBLASBaseline", path: "Sources/CBLASBaseline", pkgConfig: "openblas"),
        .executableTarget(
            name: "LinearAlgebraBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LinearAlgebra", package: "PolicyLab"),
                "CBLASBaseline",
            ],
            path: "Benchmarks/LinearAlgebraBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Paired, interleaved timing of the gemm wrapper against raw cblas_dgemm.
        .executableTarget(
            name: "WrapperOverhead",
            dependencies: [.product(name: "LinearAlgebra", package: "PolicyLab"), "CBLASBaseline"],
            path: "Sources/WrapperOverhead"
        ),
    ]
)

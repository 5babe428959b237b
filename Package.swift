// swift-tools-version: 6.1
// PolicyLab: a numeric compute core for evidence-based public decisions.
// Layers and import rules: see ../shared/DESIGN.md. Only LinearAlgebra imports CLAPACK.
import PackageDescription

/// Code generation for the AVX2 build of a kernel module: the `haswell` processor (AVX2, FMA,
/// BMI2) on x86-64, nothing elsewhere (the module then equals the baseline one and is never
/// chosen). Callers must check `policylab_cpu_supports_haswell()` before entering it. Always
/// optimized (`-O`, also in debug builds): unoptimized code would carry weak copies of
/// standard-library functions compiled for AVX2 that the linker could pick for the whole
/// program (scripts/check-kernel-symbols verifies there are none).
#if arch(x86_64)
let haswellCodeGeneration: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-O"])]
#else
let haswellCodeGeneration: [SwiftSetting] = []
#endif

/// Code generation for the AVX-512 kernel module: `skylake-avx512` (AVX-512 F/CD/BW/DQ/VL on top
/// of haswell's set) on x86-64, nothing elsewhere (never chosen there). Callers must check
/// `policylab_cpu_supports_avx512()`; same `-O` and weak-symbol rules as above.
#if arch(x86_64)
let avx512CodeGeneration: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512", "-O"])]
#else
let avx512CodeGeneration: [SwiftSetting] = []
#endif

/// Code generation for the AVX-512 CSV kernel: `cannonlake` (skylake-avx512 plus AVX-512 VBMI,
/// IFMA and SHA) on x86-64, nothing elsewhere. Callers must check
/// `policylab_cpu_supports_avx512vbmi()`; same `-O` and weak-symbol rules as above.
#if arch(x86_64)
let avx512VBMICodeGeneration: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "cannonlake", "-O"])]
#else
let avx512VBMICodeGeneration: [SwiftSetting] = []
#endif

let package = Package(
    name: "PolicyLab",
    products: [
        .library(name: "PolicyLab", targets: ["PolicyLab"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "Tabular", targets: ["Tabular"]),
        .library(name: "MonteCarlo", targets: ["MonteCarlo"]),
        .library(name: "Optimization", targets: ["Optimization"]),
        .library(name: "Regression", targets: ["Regression"]),
        .executable(name: "policylab", targets: ["policylab"]),
        // The C ABI (include/policylab.h) as a shared library. SwiftPM names the file after the
        // product, libCPolicyLab.so; scripts/build-c-library links it as libPolicyLab.so.
        .library(name: "CPolicyLab", type: .dynamic, targets: ["CPolicyLab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System library: cblas.h + lapacke.h from Debian's libopenblas-dev and liblapacke-dev.
        .systemLibrary(
            name: "CLAPACK",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(
            name: "LinearAlgebra",
            dependencies: ["CLAPACK", "CPUFeatures", "GramKernelsAVX512"]
        ),
        // The Gram kernels for narrow X (Sources/GramKernelsAVX512/LowerGram.swift), chosen at
        // run time by LinearAlgebra's `GramKernelDispatch`.
        .target(
            name: "GramKernelsAVX512",
            dependencies: ["CPUFeatures"],
            swiftSettings: avx512CodeGeneration
        ),
        .target(
            name: "Tabular",
            dependencies: ["LinearAlgebra", "CPUFeatures", "CSVKernelsAVX512"]
        ),
        // The CSV reader's AVX-512 VBMI kernels: the all-double row loop and pass 1's quote and
        // line-feed count (Sources/CSVKernelsAVX512), chosen at run time by `CSVKernelDispatch`.
        .target(
            name: "CSVKernelsAVX512",
            swiftSettings: avx512VBMICodeGeneration
        ),
        // Philox and Box–Muller lane kernels, built twice from the same files: for the baseline
        // target and, where the processor has AVX2 (chosen at run time by MonteCarlo), for
        // `haswell`. See Sources/RandomKernels/Lanes.swift.
        .target(name: "RandomKernels"),
        .target(
            name: "RandomKernelsAVX2",
            swiftSettings: haswellCodeGeneration
        ),
        // cpuid: whether the AVX2 or AVX-512 builds may run here; a prefetch hint.
        .target(name: "CPUFeatures"),
        .target(
            name: "MonteCarlo",
            dependencies: ["LinearAlgebra", "Tabular", "RandomKernels", "RandomKernelsAVX2", "CPUFeatures"]
        ),
        .target(
            name: "Optimization",
            dependencies: ["LinearAlgebra", "Tabular"]
        ),
        .target(
            name: "Regression",
            dependencies: ["LinearAlgebra", "Tabular"]
        ),
        .target(
            name: "PolicyLab",
            dependencies: ["LinearAlgebra", "Tabular", "Regression", "MonteCarlo", "Optimization",
                           .product(name: "Yams", package: "Yams")]
        ),
        // The hand-written C ABI header as a module, so that CPolicyLab's `@c @implementation`
        // functions are checked against it.
        .systemLibrary(
            name: "CPolicyLabHeader",
            path: "include"
        ),
        // The C ABI: thin `@c` functions over PolicyLab calls (no numeric logic).
        .target(
            name: "CPolicyLab",
            dependencies: ["PolicyLab", "CPolicyLabHeader"]
        ),
        .executableTarget(
            name: "policylab",
            dependencies: [
                "PolicyLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LinearAlgebraTests",
            dependencies: ["LinearAlgebra", "GramKernelsAVX512", "CPUFeatures"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TabularTests",
            dependencies: ["Tabular", "CSVKernelsAVX512", "CPUFeatures"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MonteCarloTests",
            dependencies: ["MonteCarlo", "RandomKernels", "RandomKernelsAVX2", "CPUFeatures"]
        ),
        .testTarget(
            name: "OptimizationTests",
            dependencies: ["Optimization"]
        ),
        .testTarget(
            name: "RegressionTests",
            dependencies: ["Regression"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PolicyLabTests",
            dependencies: ["PolicyLab"],
            exclude: ["Fixtures"]
        ),
    ]
)

// The lane types of the random-number kernels.
//
// This module is compiled twice from the same files: as `RandomKernels` for the baseline
// x86-64 target (SSE2) and as `RandomKernelsAVX2` (Sources/RandomKernelsAVX2 holds symbolic
// links to these files) with `-target-cpu haswell`, so that the same Swift source runs on
// 256-bit registers where the processor has them. MonteCarlo picks one at run time
// (`RandomKernelDispatch`). Both builds perform the same IEEE operations in the same order
// (Swift never fuses a multiply and an add on its own), so they give identical bits — which
// `Tests/MonteCarloTests/KernelDispatchTests.swift` checks.
//
// The module declares no types (only free functions, constants and type aliases of standard
// library types). A type would bring value-witness helpers such as `__swift_memcpy16_8`,
// which every Swift module emits as weak definitions: the linker keeps one copy for the whole
// program, and if it kept this module's AVX2 copy, baseline code elsewhere would run AVX2
// instructions. scripts/check-kernel-symbols verifies that the AVX2 objects define no weak
// code symbols.

/// The lane type of the Box–Muller kernels: eight doubles per value (four SSE2 registers,
/// two AVX2 ones); the transform measured 14 % faster than with four lanes on SSE2 (more
/// independent work in flight).
public typealias DoubleLanes = SIMD8<Double>
/// Same-width 64-bit integer lanes.
public typealias WordLanes = SIMD8<UInt64>

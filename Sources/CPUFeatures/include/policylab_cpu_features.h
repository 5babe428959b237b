// Which optional instruction sets this processor and operating system support, for the
// run-time choice between builds of the same Swift kernels (see Sources/RandomKernels/Lanes.swift).
#ifndef POLICYLAB_CPU_FEATURES_H
#define POLICYLAB_CPU_FEATURES_H

/// 1 when the processor runs AVX2 code (AVX2, FMA, BMI2 and OS support for the 256-bit
/// registers: the `haswell` target the AVX2 kernels are compiled for), else 0. Always 0 on
/// processors other than x86-64. Cost: a few cpuid instructions; thread-safe.
int policylab_cpu_supports_haswell(void);

/// 1 when the processor runs the `skylake-avx512` code of the AVX-512 kernels (AVX-512 F, CD,
/// BW, DQ and VL with OS support for the 512-bit and mask registers, plus everything
/// `policylab_cpu_supports_haswell` needs), else 0. Always 0 off x86-64. Cost: a few cpuid
/// instructions; thread-safe.
int policylab_cpu_supports_avx512(void);

/// 1 when the processor runs the `cannonlake` code of the AVX-512 CSV kernel: everything
/// `policylab_cpu_supports_avx512` needs plus AVX-512 VBMI (byte permutes) and IFMA, and SHA
/// (the rest of what that target may emit), else 0. Intel Ice Lake and later, AMD Zen 4 and later.
/// Always 0 off x86-64. Cost: a few cpuid instructions; thread-safe.
int policylab_cpu_supports_avx512vbmi(void);

/// Asks the processor to bring the cache line holding `address` into L2 (moderate temporal
/// locality: `prefetcht1` on x86-64). A hint: it never faults and never changes a result. For the
/// Gram kernels, which Swift cannot express otherwise.
__attribute__((always_inline)) static inline void policylab_prefetch(const void *address) {
#if defined(__clang__) || defined(__GNUC__)
    __builtin_prefetch(address, 0, 2);
#else
    (void)address;
#endif
}

#endif

// Which optional instruction sets this processor and operating system support, for the
// run-time choice between builds of the same Swift kernels (see Sources/RandomKernels/Lanes.swift).
#ifndef POLICYLAB_CPU_FEATURES_H
#define POLICYLAB_CPU_FEATURES_H

/// 1 when the processor runs AVX2 code (AVX2, FMA, BMI2 and OS support for the 256-bit
/// registers: the `haswell` target the AVX2 kernels are compiled for), else 0. Always 0 on
/// processors other than x86-64. Cost: a few cpuid instructions; thread-safe.
int policylab_cpu_supports_haswell(void);

#endif

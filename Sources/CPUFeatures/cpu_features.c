#include "policylab_cpu_features.h"

int policylab_cpu_supports_haswell(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    // __builtin_cpu_supports reads cpuid and xgetbv (so "avx2" also means the OS saves the
    // 256-bit registers). __builtin_cpu_init makes it safe to call before constructors run.
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2")
        && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("avx") && __builtin_cpu_supports("popcnt")
        && __builtin_cpu_supports("sse4.2");
#else
    return 0;
#endif
}

int policylab_cpu_supports_avx512(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    // As above, __builtin_cpu_supports("avx512f") also checks that the OS saves the opmask and
    // 512-bit register state (xgetbv).
    __builtin_cpu_init();
    return policylab_cpu_supports_haswell() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

int policylab_cpu_supports_avx512vbmi(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    __builtin_cpu_init();
    return policylab_cpu_supports_avx512() && __builtin_cpu_supports("avx512vbmi")
        && __builtin_cpu_supports("avx512ifma") && __builtin_cpu_supports("sha");
#else
    return 0;
#endif
}

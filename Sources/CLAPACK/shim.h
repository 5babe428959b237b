// CLAPACK: the one door to C BLAS/LAPACK. No stable API; only LinearAlgebra imports it.
// cblas.h comes from Debian's libopenblas-dev (pkg-config "openblas" adds its include path),
// lapacke.h from liblapacke-dev. lapack_int is a macro Swift cannot see: Swift uses Int32.
#ifndef POLICYLAB_CLAPACK_SHIM_H
#define POLICYLAB_CLAPACK_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif

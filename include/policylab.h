/*
 * policylab.h — the stable C ABI of PolicyLab (libPolicyLab.so).
 *
 * Hand-written, and checked by the Swift compiler: every function below is implemented in
 * Sources/CPolicyLab with `@c @implementation`, which fails to compile unless the Swift
 * signature matches this declaration exactly.
 *
 * Conventions
 *   - Plain C types only. Arrays are caller-owned buffers of `double`; matrices are
 *     column-major (Fortran order), n rows by k columns, leading dimension n.
 *   - Every entry point that can fail returns an int32_t status: POLICYLAB_OK (0) or one of the
 *     POLICYLAB_ERROR_* codes below. On failure, policylab_last_error() gives the message
 *     (what and where: the argument, row, column, file:line or spec key at fault) on the
 *     calling thread. Output buffers are written only on success.
 *   - Every argument is checked (null pointers, sizes, names, NaN and infinities in data); no
 *     input makes the library abort the process. A caller that passes a buffer shorter than
 *     the sizes it states is outside the contract (as with memcpy).
 *   - Strings returned through a `char **` out-parameter are allocated by the library and
 *     released with policylab_free(). Strings returned as `const char *` are owned by the
 *     library (see each function).
 *   - Thread safety: every function may be called from several threads at once. Results never
 *     depend on the number of threads (see policylab_set_threads).
 *
 * Compile and link (see README.md, "Calling PolicyLab from C, Python and R"):
 *   cc -I include prog.c -L <dir of libPolicyLab.so> -lPolicyLab -Wl,-rpath,<that dir>
 */
#ifndef POLICYLAB_H
#define POLICYLAB_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------------------------ */

/** Success. */
#define POLICYLAB_OK 0
/** The call is malformed: a null pointer, a size <= 0 or too large, an unknown name (variance
 *  type, method, distribution), or an option outside its domain. */
#define POLICYLAB_ERROR_ARGUMENT 1
/** The data cannot be used: NaN or infinity in the data, a negative weight, fewer observations
 *  than parameters, every regressor aliased, a variance that cannot be computed, a spec or a
 *  CSV file whose content is invalid. */
#define POLICYLAB_ERROR_DATA 2
/** A file cannot be opened or read. */
#define POLICYLAB_ERROR_FILE 3
/** The function exists in the ABI but not in this build (see the message). */
#define POLICYLAB_ERROR_NOT_AVAILABLE 4
/** An unexpected failure inside the library (a bug: please report the message). */
#define POLICYLAB_ERROR_INTERNAL 5

/* ---- Library ----------------------------------------------------------------------------- */

/** The library version, e.g. "0.1.0". Static storage; never NULL; do not free. */
const char *policylab_version(void);

/** The message of the last call on this thread that failed, or "" when the last call
 *  succeeded. Owned by the library; valid until the next PolicyLab call on the same thread. */
const char *policylab_last_error(void);

/** Releases a string the library returned through a `char **` out-parameter. NULL is a no-op. */
void policylab_free(void *pointer);

/** Threads used by every later call, on every thread: 0 (the default) means one per core.
 *  Results do not depend on it. Returns POLICYLAB_ERROR_ARGUMENT for a negative value. */
int32_t policylab_set_threads(int32_t threads);

/* ---- Estimation -------------------------------------------------------------------------- */

/**
 * Ordinary (or weighted) least squares of y on the k columns of X.
 *
 *   n, k           rows and columns of X (n > k >= 1 for a fit with residual degrees of freedom)
 *   x_colmajor     n*k values, column-major; include a column of ones for an intercept
 *   y              n values
 *   weights_or_null  n non-negative weights (weighted least squares), or NULL
 *   vcov           "iid", "hc0", "hc1", "hc2", "hc3", "nw:L" (Newey-West, lag L) or "nw:auto"
 *                  (case-insensitive; "robust" = "hc1"). Cluster variances need cluster codes:
 *                  use policylab_estimate_csv with "cluster:V".
 *   coef_out       k estimates
 *   stderr_out     k standard errors
 *   vcov_out_or_null  k*k covariance (column-major; symmetric), or NULL
 *
 * A column that is a linear combination of earlier ones is dropped as R's lm does: its
 * estimate, standard error and covariance row and column are NaN. Rows with weight 0 are left
 * out. Least squares by pivoted QR or a proven-accurate Cholesky; same results as
 * `policylab estimate`.
 */
int32_t policylab_ols(int64_t n, int64_t k, const double *x_colmajor, const double *y,
                      const double *weights_or_null, const char *vcov, double *coef_out,
                      double *stderr_out, double *vcov_out_or_null);

/**
 * Reads a CSV file and fits the linear model of `formula` on it, as
 * `policylab estimate PATH --formula F --vcov V [--weights W] --format json` does.
 *
 *   csv_path       the file (RFC 4180, header row; missing values "", NA, NaN, ".")
 *   formula        R/fixest style: "y ~ x1 + log(x2) + factor(g) | fe1 + fe2 | d ~ z1 + z2"
 *   weights_column_or_null  a column of non-negative weights, or NULL
 *   vcov           as policylab_ols, plus "cluster:V" and "cluster:V1,V2" (column names)
 *   json_out       receives the JSON result (coefficients, std errors, vcov_matrix, fit
 *                  statistics); release it with policylab_free. Set to NULL on failure.
 */
int32_t policylab_estimate_csv(const char *csv_path, const char *formula,
                               const char *weights_column_or_null, const char *vcov,
                               char **json_out);

/* ---- Simulation -------------------------------------------------------------------------- */

/**
 * Runs the simulation a YAML (or JSON) spec describes, as `policylab simulate SPEC --format
 * json` does: the spec's draws and seed, on policylab_set_threads threads (the result does not
 * depend on them; only its "run" entry records them). See README.md for the spec's keys.
 *
 *   spec_yaml      the spec's text
 *   spec_directory_or_null  the folder that relative paths in the spec (model and population
 *                  files) are read from; NULL for the current directory
 *   json_out       receives the JSON result (per scenario and group: point estimate, mean,
 *                  sd, Monte Carlo SE and interval of every measure); release it with
 *                  policylab_free. Set to NULL on failure.
 *
 * A spec that does not parse or has invalid values is POLICYLAB_ERROR_DATA (the message names
 * the line, column and key); a model or population file that cannot be read is
 * POLICYLAB_ERROR_FILE.
 */
int32_t policylab_simulate(const char *spec_yaml, const char *spec_directory_or_null, char **json_out);

/* ---- Random numbers ---------------------------------------------------------------------- */

/**
 * Variates offset, offset+1, ..., offset+count-1 of the Philox4x32-10 stream (seed,
 * replicate): bit for bit the values `policylab random normal --seed SEED --replicate
 * REPLICATE --count N --raw FILE` writes at those positions (N > offset+count-1). Variate i
 * lives at address (seed, replicate, unit i / 2^32, slot i mod 2^32).
 *
 *   count >= 1; offset >= 0; offset + count <= 2^62.
 */
int32_t policylab_random_normal(uint64_t seed, uint32_t replicate, int64_t offset, int64_t count,
                                double *out);

/** As policylab_random_normal, for uniforms on [0, 1) (`policylab random uniform`). */
int32_t policylab_random_uniform(uint64_t seed, uint32_t replicate, int64_t offset, int64_t count,
                                 double *out);

/* ---- Optimization ------------------------------------------------------------------------ */

/** An objective f(x) for x of length n. May return NaN or +-infinity to reject a point (not
 *  at the start point of local methods). */
typedef double (*policylab_objective)(const double *x, int64_t n, void *user_data);

/** An objective with its gradient: returns f(x) and writes the n partial derivatives to
 *  gradient_out. */
typedef double (*policylab_objective_gradient)(const double *x, int64_t n, double *gradient_out,
                                               void *user_data);

/**
 * Minimizes f over n parameters, within bounds.
 *
 *   f              the objective (required)
 *   gradient_or_null  f and its gradient, or NULL for parallel central differences
 *   user_data      passed unchanged to every call of f and gradient
 *   thread_safe    nonzero when f and gradient may run on several threads at once: batches of
 *                  points (finite differences, populations) are then evaluated in parallel on
 *                  policylab_set_threads threads. 0: every call happens on the calling thread,
 *                  one at a time.
 *   n              parameters (>= 1)
 *   x0             the start point (n values, inside the bounds); global methods ignore it and
 *                  accept NULL
 *   lower_or_null, upper_or_null  n bounds each, or NULL for none on that side (-inf / +inf)
 *   method_or_null "lbfgsb" (default, for NULL), "nelder-mead", "de" (differential
 *                  evolution), "cmaes", "multistart"; the global methods need finite bounds
 *   seed           the global methods' random draws
 *   max_evaluations  evaluation budget, or 0 for the method's default
 *   x_out          n values: the best point found
 *   value_out      f at x_out
 *   report_json_out_or_null  receives a JSON report (method, value, iterations, evaluations,
 *                  converged, message); release it with policylab_free. Or NULL.
 *
 * Not converging within the budget is not an error: the status is POLICYLAB_OK and the report
 * says "converged": false.
 */
int32_t policylab_minimize(policylab_objective f, policylab_objective_gradient gradient_or_null,
                           void *user_data, int32_t thread_safe, int64_t n, const double *x0,
                           const double *lower_or_null, const double *upper_or_null,
                           const char *method_or_null, uint64_t seed, int64_t max_evaluations,
                           double *x_out, double *value_out, char **report_json_out_or_null);

/* ---- R's .C convention ------------------------------------------------------------------- */

/**
 * policylab_ols for R's `.C()`, which passes every argument by pointer:
 *   .C("policylab_r_ols", n, k, x, y, weights, has_weights, vcov, coef = double(k),
 *      stderr = double(k), vcov_matrix = double(k * k), status = integer(1))
 * `weights` is ignored unless *has_weights is nonzero; *status receives the status code.
 */
int32_t policylab_r_ols(const int32_t *n, const int32_t *k, const double *x_colmajor,
                        const double *y, const double *weights, const int32_t *has_weights,
                        char **vcov, double *coef_out, double *stderr_out, double *vcov_out,
                        int32_t *status);

/** Copies policylab_last_error() into *buffer, at most strlen(*buffer) bytes (R passes a
 *  string of blanks: `.C("policylab_r_last_error", message = strrep(" ", 1000))`). */
int32_t policylab_r_last_error(char **buffer);

#ifdef __cplusplus
}
#endif

#endif /* POLICYLAB_H */

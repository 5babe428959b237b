/*
 * The C ABI test: every function of include/policylab.h and each of its error paths, against
 * the built libPolicyLab.so. Run by scripts/test-c-abi, plain and under AddressSanitizer.
 *
 *   cc -std=c11 -Wall -Wextra -Werror -I include Tests/CABI/test_policylab.c \
 *      -L DIR -lPolicyLab -Wl,-rpath,DIR -lpthread -lm -o test_policylab
 *   ./test_policylab [RAW.f64]
 *
 * RAW.f64, when given, is `policylab random normal --seed 20240611 --replicate 3 --count 1000
 * --raw RAW.f64`: policylab_random_normal must reproduce it bit for bit.
 * Ends with the line "N passed, N failed"; exits 1 on any failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "policylab.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed = 0, failed = 0;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fprintf(stderr, "\n");                                         \
        }                                                                  \
    } while (0)

/* A call that must fail with `status` and a message containing `fragment`. */
#define EXPECT_ERROR(call, status, fragment)                                                  \
    do {                                                                                      \
        int32_t s_ = (call);                                                                  \
        const char *m_ = policylab_last_error();                                              \
        CHECK(s_ == (status) && m_ != NULL && strstr(m_, (fragment)) != NULL,                 \
              "%s -> status %d, message '%s' (want %d, '%s')", #call, s_, m_ ? m_ : "(null)", \
              (status), (fragment));                                                          \
    } while (0)

#define EXPECT_OK(call)                                                                        \
    do {                                                                                       \
        int32_t s_ = (call);                                                                   \
        const char *m_ = policylab_last_error();                                               \
        CHECK(s_ == POLICYLAB_OK && m_ != NULL && m_[0] == '\0', "%s -> status %d, '%s'", #call, \
              s_, m_ ? m_ : "(null)");                                                         \
    } while (0)

static int close_to(double a, double b, double rel) {
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) || a == b;
}

/* ---- Data: y on an intercept and one regressor, with a closed-form fit ---- */

enum { N = 8, K = 2 };
static const double xs[N] = {1, 2, 3, 4, 5, 6, 7, 9};
static const double ys[N] = {2.1, 3.9, 6.2, 7.8, 10.1, 12.5, 13.4, 18.9};

static void design(double *x) { /* column-major [1, x] */
    for (int i = 0; i < N; i++) { x[i] = 1; x[N + i] = xs[i]; }
}

/* OLS by hand: coefficients, iid and HC1 covariance (2x2, row-major). */
static void closed_form(double coef[2], double iid[4], double hc1[4]) {
    double sx = 0, sy = 0;
    for (int i = 0; i < N; i++) { sx += xs[i]; sy += ys[i]; }
    double mx = sx / N, my = sy / N, sxx = 0, sxy = 0;
    for (int i = 0; i < N; i++) { sxx += (xs[i] - mx) * (xs[i] - mx); sxy += (xs[i] - mx) * (ys[i] - my); }
    coef[1] = sxy / sxx;
    coef[0] = my - coef[1] * mx;
    /* (X'X)^-1 */
    double a = N, b = sx, d = 0;
    for (int i = 0; i < N; i++) d += xs[i] * xs[i];
    double det = a * d - b * b, inv[4] = {d / det, -b / det, -b / det, a / det};
    double rss = 0, meat[4] = {0, 0, 0, 0};
    for (int i = 0; i < N; i++) {
        double e = ys[i] - coef[0] - coef[1] * xs[i];
        rss += e * e;
        meat[0] += e * e; meat[1] += e * e * xs[i]; meat[2] += e * e * xs[i]; meat[3] += e * e * xs[i] * xs[i];
    }
    double s2 = rss / (N - K);
    for (int j = 0; j < 4; j++) iid[j] = s2 * inv[j];
    double t[4]; /* inv * meat * inv */
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++) t[2 * r + c] = inv[2 * r] * meat[c] + inv[2 * r + 1] * meat[2 + c];
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++)
            hc1[2 * r + c] = (t[2 * r] * inv[c] + t[2 * r + 1] * inv[2 + c]) * N / (double)(N - K);
}

static void test_library(void) {
    const char *v = policylab_version();
    CHECK(v != NULL && strlen(v) >= 5 && strchr(v, '.') != NULL, "version '%s'", v ? v : "(null)");
    CHECK(policylab_last_error() != NULL && policylab_last_error()[0] == '\0', "no error yet");
    policylab_free(NULL);
    EXPECT_ERROR(policylab_set_threads(-1), POLICYLAB_ERROR_ARGUMENT, "threads");
    EXPECT_OK(policylab_set_threads(2));
    EXPECT_OK(policylab_set_threads(0));
}

static void test_ols(void) {
    double x[N * K], coef[K], se[K], vc[K * K], want[2], iid[4], hc1[4];
    design(x);
    closed_form(want, iid, hc1);

    EXPECT_OK(policylab_ols(N, K, x, ys, NULL, "iid", coef, se, vc));
    for (int j = 0; j < K; j++) {
        CHECK(close_to(coef[j], want[j], 1e-12), "iid coef %d: %.17g vs %.17g", j, coef[j], want[j]);
        CHECK(close_to(se[j], sqrt(iid[3 * j]), 1e-12), "iid se %d: %.17g vs %.17g", j, se[j], sqrt(iid[3 * j]));
    }
    CHECK(close_to(vc[1], iid[1], 1e-12) && vc[1] == vc[2], "iid covariance %.17g %.17g", vc[1], vc[2]);

    EXPECT_OK(policylab_ols(N, K, x, ys, NULL, "HC1", coef, se, vc));
    for (int j = 0; j < K; j++) {
        CHECK(close_to(se[j], sqrt(hc1[3 * j]), 1e-12), "hc1 se %d: %.17g vs %.17g", j, se[j], sqrt(hc1[3 * j]));
        CHECK(close_to(vc[3 * j], se[j] * se[j], 1e-14), "vcov diagonal %d", j);
    }
    CHECK(close_to(vc[1], hc1[1], 1e-12), "hc1 covariance %.17g vs %.17g", vc[1], hc1[1]);
    EXPECT_OK(policylab_ols(N, K, x, ys, NULL, "hc3", coef, se, NULL)); /* vcov_out may be NULL */
    EXPECT_OK(policylab_ols(N, K, x, ys, NULL, "nw:2", coef, se, NULL));

    /* Weight 2 on a row = that row twice (coefficients). */
    double w[N], coef_w[K], x2[(N + 1) * K], y2[N + 1], coef_dup[K];
    for (int i = 0; i < N; i++) w[i] = 1;
    w[3] = 2;
    EXPECT_OK(policylab_ols(N, K, x, ys, w, "iid", coef_w, se, NULL));
    for (int i = 0; i <= N; i++) {
        int src = i < N ? i : 3;
        x2[i] = 1; x2[N + 1 + i] = xs[src]; y2[i] = ys[src];
    }
    EXPECT_OK(policylab_ols(N + 1, K, x2, y2, NULL, "iid", coef_dup, se, NULL));
    for (int j = 0; j < K; j++) CHECK(close_to(coef_w[j], coef_dup[j], 1e-12), "wls coef %d", j);

    /* An aliased column (twice x) is dropped: NaN, as R's NA. */
    double xa[N * 3], ca[3], sa[3], va[9];
    design(xa);
    for (int i = 0; i < N; i++) xa[2 * N + i] = 2 * xs[i];
    EXPECT_OK(policylab_ols(N, 3, xa, ys, NULL, "hc1", ca, sa, va));
    CHECK(close_to(ca[1], want[1], 1e-10) && isnan(ca[2]) && isnan(sa[2]) && isnan(va[8]) && isnan(va[2]) && !isnan(va[4]),
          "aliased: %g %g %g", ca[0], ca[1], ca[2]);

    /* Error paths: nothing is written, each names its cause. */
    EXPECT_ERROR(policylab_ols(0, K, x, ys, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "n must be at least 1");
    EXPECT_ERROR(policylab_ols(-5, K, x, ys, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "got -5");
    EXPECT_ERROR(policylab_ols(N, 0, x, ys, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "k must be at least 1");
    EXPECT_ERROR(policylab_ols(INT64_MAX / 2, 4, x, ys, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "too large");
    EXPECT_ERROR(policylab_ols(N, K, NULL, ys, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "x_colmajor is NULL");
    EXPECT_ERROR(policylab_ols(N, K, x, NULL, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "y is NULL");
    EXPECT_ERROR(policylab_ols(N, K, x, ys, NULL, NULL, coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "vcov is NULL");
    EXPECT_ERROR(policylab_ols(N, K, x, ys, NULL, "iid", NULL, se, NULL), POLICYLAB_ERROR_ARGUMENT, "coef_out is NULL");
    EXPECT_ERROR(policylab_ols(N, K, x, ys, NULL, "iid", coef, NULL, NULL), POLICYLAB_ERROR_ARGUMENT, "stderr_out is NULL");
    EXPECT_ERROR(policylab_ols(N, K, x, ys, NULL, "hc9", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "hc9");
    EXPECT_ERROR(policylab_ols(N, K, x, ys, NULL, "cluster:g", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "cluster");
    EXPECT_ERROR(policylab_ols(N, K, x, ys, NULL, "\xff\xfe", coef, se, NULL), POLICYLAB_ERROR_ARGUMENT, "UTF-8");
    const double x22[4] = {1, 1, 1, 2}, y2s[2] = {1, 3}; /* two rows, two coefficients: no residual df */
    EXPECT_ERROR(policylab_ols(2, K, x22, y2s, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_DATA, "not estimable");

    double ybad[N], xbad[N * K], wbad[N];
    memcpy(ybad, ys, sizeof ybad);
    ybad[4] = NAN;
    EXPECT_ERROR(policylab_ols(N, K, x, ybad, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_DATA, "row 5");
    design(xbad);
    xbad[N + 2] = INFINITY;
    EXPECT_ERROR(policylab_ols(N, K, xbad, ys, NULL, "iid", coef, se, NULL), POLICYLAB_ERROR_DATA, "column 2");
    memcpy(wbad, w, sizeof wbad);
    wbad[1] = -1;
    EXPECT_ERROR(policylab_ols(N, K, x, ys, wbad, "iid", coef, se, NULL), POLICYLAB_ERROR_DATA, "weight");
    wbad[1] = NAN;
    EXPECT_ERROR(policylab_ols(N, K, x, ys, wbad, "iid", coef, se, NULL), POLICYLAB_ERROR_DATA, "weight");

    /* A success clears the message. */
    EXPECT_OK(policylab_ols(N, K, x, ys, NULL, "iid", coef, se, NULL));
}

static char csv_path[64] = "";

static void write_csv(void) {
    strcpy(csv_path, "/tmp/policylab_cabi_XXXXXX");
    int fd = mkstemp(csv_path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) { fprintf(stderr, "cannot write a temporary CSV\n"); exit(2); }
    fprintf(f, "y,x,g,w\n");
    for (int i = 0; i < N; i++) fprintf(f, "%.17g,%.17g,%d,%d\n", ys[i], xs[i], i % 4, 1 + i % 2);
    fclose(f);
}

static void test_estimate_csv(void) {
    char *json = NULL;
    EXPECT_OK(policylab_estimate_csv(csv_path, "y ~ x", NULL, "hc1", &json));
    CHECK(json != NULL && strstr(json, "\"std_error\"") && strstr(json, "\"vcov\" : \"hc1\""), "json: %.200s", json ? json : "(null)");
    policylab_free(json);
    json = NULL;
    EXPECT_OK(policylab_estimate_csv(csv_path, "y ~ x", "w", "cluster:g", &json));
    CHECK(json != NULL && strstr(json, "\"cluster_counts\"") && strstr(json, "\"wls\""), "json: %.200s", json ? json : "(null)");
    policylab_free(json);

    json = (char *)1; /* set to NULL on failure */
    EXPECT_ERROR(policylab_estimate_csv("/nonexistent/data.csv", "y ~ x", NULL, "iid", &json), POLICYLAB_ERROR_FILE, "/nonexistent/data.csv");
    CHECK(json == NULL, "json_out reset on failure");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, "y ~ ", NULL, "iid", &json), POLICYLAB_ERROR_ARGUMENT, "formula");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, "y ~ xx", NULL, "iid", &json), POLICYLAB_ERROR_ARGUMENT, "xx");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, "y ~ x", "nope", "iid", &json), POLICYLAB_ERROR_ARGUMENT, "nope");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, "y ~ x", NULL, "hc7", &json), POLICYLAB_ERROR_ARGUMENT, "hc7");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, "y ~ x", NULL, "cluster:h", &json), POLICYLAB_ERROR_ARGUMENT, "h");
    EXPECT_ERROR(policylab_estimate_csv(NULL, "y ~ x", NULL, "iid", &json), POLICYLAB_ERROR_ARGUMENT, "csv_path is NULL");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, NULL, NULL, "iid", &json), POLICYLAB_ERROR_ARGUMENT, "formula is NULL");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, "y ~ x", NULL, NULL, &json), POLICYLAB_ERROR_ARGUMENT, "vcov is NULL");
    EXPECT_ERROR(policylab_estimate_csv(csv_path, "y ~ x", NULL, "iid", NULL), POLICYLAB_ERROR_ARGUMENT, "json_out is NULL");
    CHECK(json == NULL, "json_out stays NULL");
}

static void test_random(const char *raw_path) {
    enum { M = 1000 };
    double a[M], b[M], c[M];
    EXPECT_OK(policylab_random_normal(20240611, 3, 0, M, a));
    EXPECT_OK(policylab_random_normal(20240611, 3, 400, 100, b));
    CHECK(memcmp(a + 400, b, 100 * sizeof(double)) == 0, "a window of the stream is the stream");
    EXPECT_OK(policylab_random_normal(20240611, 4, 0, M, c));
    CHECK(memcmp(a, c, sizeof a) != 0, "another replicate is another stream");
    double sum = 0;
    for (int i = 0; i < M; i++) sum += a[i];
    CHECK(fabs(sum / M) < 0.15, "normal mean %g", sum / M);
    EXPECT_OK(policylab_random_uniform(7, 0, 0, M, c));
    int inside = 1;
    for (int i = 0; i < M; i++) inside &= c[i] >= 0 && c[i] < 1;
    CHECK(inside, "uniforms in [0, 1)");

    if (raw_path) {
        FILE *f = fopen(raw_path, "rb");
        size_t got = f ? fread(c, sizeof(double), M, f) : 0;
        if (f) fclose(f);
        CHECK(got == M && memcmp(a, c, sizeof a) == 0, "policylab random normal --raw %s: %zu values, same bits", raw_path, got);
    }

    EXPECT_ERROR(policylab_random_normal(1, 0, 0, 0, a), POLICYLAB_ERROR_ARGUMENT, "count must be at least 1");
    EXPECT_ERROR(policylab_random_normal(1, 0, 0, -3, a), POLICYLAB_ERROR_ARGUMENT, "count");
    EXPECT_ERROR(policylab_random_normal(1, 0, -1, 10, a), POLICYLAB_ERROR_ARGUMENT, "offset");
    EXPECT_ERROR(policylab_random_normal(1, 0, 0, 10, NULL), POLICYLAB_ERROR_ARGUMENT, "out is NULL");
    EXPECT_ERROR(policylab_random_uniform(1, 0, INT64_MAX, 2, a), POLICYLAB_ERROR_ARGUMENT, "offset + count");
    EXPECT_ERROR(policylab_random_normal(1, 0, INT64_MAX - 20, 10, a), POLICYLAB_ERROR_ARGUMENT, "2^62");
    EXPECT_OK(policylab_random_normal(UINT64_MAX, UINT32_MAX, ((int64_t)1 << 62) - 37, 37, a)); /* the last window */
    EXPECT_OK(policylab_random_uniform(UINT64_MAX, UINT32_MAX, ((int64_t)1 << 62) - 37, 37, a));
}

/* ---- Optimization: Rosenbrock with a call counter in user_data ---- */

typedef struct {
    atomic_long calls;
    pthread_t caller;
    atomic_int other_thread; /* set when a call came from a thread other than `caller` */
} counter;

static double rosenbrock(const double *x, int64_t n, void *user_data) {
    counter *c = user_data;
    atomic_fetch_add(&c->calls, 1);
    if (!pthread_equal(pthread_self(), c->caller)) atomic_store(&c->other_thread, 1);
    double f = 0;
    for (int64_t i = 0; i + 1 < n; i++) f += 100 * pow(x[i + 1] - x[i] * x[i], 2) + pow(1 - x[i], 2);
    return f;
}

static double rosenbrock_gradient(const double *x, int64_t n, double *g, void *user_data) {
    for (int64_t i = 0; i < n; i++) g[i] = 0;
    for (int64_t i = 0; i + 1 < n; i++) {
        double t = x[i + 1] - x[i] * x[i];
        g[i] += -400 * x[i] * t - 2 * (1 - x[i]);
        g[i + 1] += 200 * t;
    }
    return rosenbrock(x, n, user_data);
}

static double nan_objective(const double *x, int64_t n, void *user_data) {
    (void)x; (void)n; (void)user_data;
    return NAN;
}

static void test_minimize(void) {
    enum { D = 3 };
    double x0[D] = {-1.2, 1, 0.5}, x[D], value, lo[D] = {-2, -2, -2}, hi[D] = {2, 2, 2};
    counter c;
    char *report = NULL;

    /* Not thread-safe: every call on this thread. */
    atomic_init(&c.calls, 0); atomic_init(&c.other_thread, 0); c.caller = pthread_self();
    EXPECT_OK(policylab_minimize(rosenbrock, NULL, &c, 0, D, x0, NULL, NULL, NULL, 0, 0, x, &value, &report));
    CHECK(fabs(x[0] - 1) < 1e-4 && fabs(x[2] - 1) < 1e-4 && value < 1e-8, "lbfgsb x = %g %g %g, f = %g", x[0], x[1], x[2], value);
    CHECK(atomic_load(&c.calls) > 10 && atomic_load(&c.other_thread) == 0, "%ld calls; serial on the caller's thread", atomic_load(&c.calls));
    CHECK(report && strstr(report, "\"converged\":true") && strstr(report, "\"evaluations\""), "report %s", report ? report : "(null)");
    policylab_free(report);

    /* Thread-safe, with the exact gradient. */
    atomic_store(&c.calls, 0);
    EXPECT_OK(policylab_minimize(rosenbrock, rosenbrock_gradient, &c, 1, D, x0, lo, hi, "lbfgsb", 0, 0, x, &value, NULL));
    CHECK(fabs(x[1] - 1) < 1e-5 && value < 1e-10, "lbfgsb+gradient x = %g %g %g, f = %g", x[0], x[1], x[2], value);

    atomic_store(&c.calls, 0);
    EXPECT_OK(policylab_minimize(rosenbrock, NULL, &c, 1, D, x0, NULL, NULL, "nelder-mead", 0, 4000, x, &value, NULL));
    CHECK(value < 1e-3 && atomic_load(&c.calls) <= 4100, "nelder-mead f = %g after %ld calls", value, atomic_load(&c.calls));

    /* A global method, parallel on two threads: deterministic for a seed. */
    double xa[D], xb[D], va, vb;
    EXPECT_OK(policylab_set_threads(2));
    EXPECT_OK(policylab_minimize(rosenbrock, NULL, &c, 1, D, NULL, lo, hi, "de", 11, 3000, xa, &va, NULL));
    EXPECT_OK(policylab_set_threads(1));
    EXPECT_OK(policylab_minimize(rosenbrock, NULL, &c, 1, D, NULL, lo, hi, "de", 11, 3000, xb, &vb, NULL));
    EXPECT_OK(policylab_set_threads(0));
    CHECK(memcmp(xa, xb, sizeof xa) == 0 && va == vb, "de: same result on 2 threads and 1: %g vs %g", va, vb);

    double lbad[D] = {-2, 3, -2}, far[D] = {5, 0, 0};
    EXPECT_ERROR(policylab_minimize(NULL, NULL, &c, 0, D, x0, NULL, NULL, NULL, 0, 0, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "f is NULL");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, 0, x0, NULL, NULL, NULL, 0, 0, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "n must be at least 1");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, NULL, NULL, NULL, NULL, 0, 0, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "x0 is NULL");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, x0, NULL, NULL, "bfgs", 0, 0, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "bfgs");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, x0, lbad, hi, NULL, 0, 0, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "lower bound");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, far, lo, hi, NULL, 0, 0, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "outside its bounds");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, x0, NULL, NULL, "de", 0, 0, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "finite");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, x0, NULL, NULL, NULL, 0, -1, x, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "max_evaluations");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, x0, NULL, NULL, NULL, 0, 0, NULL, &value, NULL), POLICYLAB_ERROR_ARGUMENT, "x_out is NULL");
    EXPECT_ERROR(policylab_minimize(rosenbrock, NULL, &c, 0, D, x0, NULL, NULL, NULL, 0, 0, x, NULL, NULL), POLICYLAB_ERROR_ARGUMENT, "value_out is NULL");
    EXPECT_ERROR(policylab_minimize(nan_objective, NULL, NULL, 0, D, x0, NULL, NULL, NULL, 0, 0, x, &value, NULL), POLICYLAB_ERROR_DATA, "start point");
}

static void test_simulate(void) {
    /* The model is estimated on the test CSV, then simulated on the same rows. */
    const char *name = strrchr(csv_path, '/') + 1;
    char spec[1024];
    snprintf(spec, sizeof spec,
             "model: {data: %s, formula: 'y ~ x', vcov: hc1}\n"
             "population: {data: %s, min_cell: 1}\n"
             "simulation: {draws: 40, seed: 5}\n"
             "outcome: {poverty_line: 8}\n"
             "scenarios:\n"
             "  - name: baseline\n"
             "  - name: more_x\n"
             "    changes: [{column: x, add: 1}]\n",
             name, name);
    char *json = NULL, *again = NULL;
    EXPECT_OK(policylab_set_threads(2));
    EXPECT_OK(policylab_simulate(spec, "/tmp", &json));
    EXPECT_OK(policylab_set_threads(1));
    EXPECT_OK(policylab_simulate(spec, "/tmp/", &again));
    EXPECT_OK(policylab_set_threads(0));
    CHECK(json && strstr(json, "\"more_x\"") && strstr(json, "\"draws_completed\" : 40"), "simulate json: %.300s", json ? json : "(null)");
    /* Identical for 1 and 2 threads except the "run" entry that records them. */
    const char *cut_a = json ? strstr(json, "\"run\"") : NULL, *cut_b = again ? strstr(again, "\"run\"") : NULL;
    CHECK(cut_a && cut_b && cut_a - json == cut_b - again && strncmp(json, again, (size_t)(cut_a - json)) == 0,
          "simulate: same result on 1 and 2 threads");
    policylab_free(json);
    policylab_free(again);

    json = (char *)1;
    EXPECT_ERROR(policylab_simulate(NULL, NULL, &json), POLICYLAB_ERROR_ARGUMENT, "spec_yaml is NULL");
    CHECK(json == NULL, "json_out reset");
    EXPECT_ERROR(policylab_simulate(spec, "/tmp", NULL), POLICYLAB_ERROR_ARGUMENT, "json_out is NULL");
    EXPECT_ERROR(policylab_simulate(spec, "/nonexistent", &json), POLICYLAB_ERROR_FILE, "/nonexistent");
    EXPECT_ERROR(policylab_simulate("model: [1, 2\n", NULL, &json), POLICYLAB_ERROR_DATA, "spec_yaml");
    EXPECT_ERROR(policylab_simulate("scenarios: [{name: a}]\n", NULL, &json), POLICYLAB_ERROR_DATA, "model");
    CHECK(json == NULL, "json_out stays NULL");
}

static void test_r_convention(void) {
    double x[N * K], coef[K], se[K], vc[K * K], coef_c[K], se_c[K], w[N];
    int32_t n = N, k = K, no = 0, yes = 1, status = -1;
    char vcov[] = "hc1", *vcov_arg = vcov;
    design(x);
    EXPECT_OK(policylab_r_ols(&n, &k, x, ys, NULL, &no, &vcov_arg, coef, se, vc, &status));
    EXPECT_OK(policylab_ols(N, K, x, ys, NULL, "hc1", coef_c, se_c, NULL));
    CHECK(status == 0 && memcmp(coef, coef_c, sizeof coef) == 0 && memcmp(se, se_c, sizeof se) == 0, "r_ols = ols");
    for (int i = 0; i < N; i++) w[i] = 1;
    EXPECT_OK(policylab_r_ols(&n, &k, x, ys, w, &yes, &vcov_arg, coef, se, vc, &status));
    EXPECT_ERROR(policylab_r_ols(&n, &k, x, ys, NULL, &yes, &vcov_arg, coef, se, vc, &status), POLICYLAB_ERROR_ARGUMENT, "weights is NULL");
    CHECK(status == POLICYLAB_ERROR_ARGUMENT, "status out %d", status);
    EXPECT_ERROR(policylab_r_ols(NULL, &k, x, ys, NULL, &no, &vcov_arg, coef, se, vc, &status), POLICYLAB_ERROR_ARGUMENT, "n is NULL");
    int32_t zero = 0;
    EXPECT_ERROR(policylab_r_ols(&zero, &k, x, ys, NULL, &no, &vcov_arg, coef, se, vc, &status), POLICYLAB_ERROR_ARGUMENT, "n must be");

    char blanks[16], *buffer = blanks;
    memset(blanks, ' ', 15);
    blanks[15] = '\0';
    CHECK(policylab_r_last_error(&buffer) == POLICYLAB_OK && strcmp(blanks, "n must be at le") == 0, "truncated copy '%s'", blanks);
    CHECK(policylab_r_last_error(NULL) == POLICYLAB_ERROR_ARGUMENT, "r_last_error(NULL)");
}

/* ---- Thread-local messages: each thread sees its own last error ---- */

static void *thread_body(void *arg) {
    long id = (long)arg;
    double x[N * K], coef[K], se[K];
    design(x);
    int ok = 1;
    for (int round = 0; round < 200; round++) {
        if (id % 2 == 0) {
            ok &= policylab_ols(-id - 1, K, x, ys, NULL, "iid", coef, se, NULL) == POLICYLAB_ERROR_ARGUMENT;
            char want[64];
            snprintf(want, sizeof want, "got %ld", -id - 1);
            ok &= strstr(policylab_last_error(), want) != NULL;
        } else {
            ok &= policylab_ols(N, K, x, ys, NULL, "iid", coef, se, NULL) == POLICYLAB_OK;
            ok &= policylab_last_error()[0] == '\0';
        }
    }
    return (void *)(long)ok;
}

static void test_threads(void) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, thread_body, (void *)i);
    for (int i = 0; i < 4; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        CHECK((long)ok == 1, "thread %d saw another thread's error", i);
    }
}

int main(int argc, char **argv) {
    test_library();
    test_ols();
    write_csv();
    test_estimate_csv();
    test_random(argc > 1 ? argv[1] : NULL);
    test_minimize();
    test_simulate();
    unlink(csv_path);
    test_r_convention();
    test_threads();
    printf("policylab C ABI %s: %d passed, %d failed\n", policylab_version(), passed, failed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

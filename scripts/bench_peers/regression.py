"""Regression benchmarks (issue 4): PolicyLab's Regression target against statsmodels,
pyfixest, linearmodels and numpy's normal-equations route.

Tasks (appended to :data:`tasks.TASKS`):

* ``ols-hc1`` / ``ols-hc1-pyfixest`` / ``ols-hc1-numpy`` (group ``ols``) -- OLS with HC1
  standard errors on an in-memory X (n x k, first column the intercept, the rest standard
  normal) and y = X beta + heteroskedastic noise. PolicyLab: ``bench-task ols-hc1``
  (``RegressionData(x:y:)`` + ``LinearRegression.fit``, vcov .hc1; it also reports the dgemm
  rate of its BLAS measured in the same process, the 2 n k^2 flop bound at that rate, its
  peak RSS and a breakdown of the passes). Peers: ``statsmodels OLS(y, X).fit(cov_type="HC1")``;
  ``pyfixest.feols("y ~ x1 + ... ", df, vcov="hetero")``; numpy's X'X-Cholesky route (X.T @ X,
  cho_solve, residuals, HC1 meat (X*u).T @ (X*u)).
* ``ols-hc1-memory`` -- PolicyLab alone on a large X (5e6 x 100, 4 GB): time and peak RSS / bytes
  of X. No peer runs at that size (see BENCHMARKS.md).
* ``csv-ols`` -- end to end from a CSV file (header y,x1..x_{k-1}): the whole
  ``policylab estimate FILE --formula 'y ~ x1 + ...' --vcov hc1 --format json`` process against
  one Python process doing ``pandas.read_csv`` + ``statsmodels OLS(...).fit(cov_type="HC1")``;
  wall time of each process (start-up and imports included), peak RSS of each (wait4).
* ``fe2`` / ``fe2-tight`` (group ``fe2``) -- two-way fixed effects (f1 with rows/50 levels, f2
  with min(1000, rows/5000) levels: 100,000 x 1,000 at 5e6 rows), p regressors, clustered by
  f1. PolicyLab: ``LinearRegression.fit(table:formula:)`` on ``y ~ x1 + ... | f1 + f2`` with
  cluster:f1. Peer: ``pyfixest.feols(..., vcov={"CRV1": "f1"})`` with its default demeaner
  (MAP, rust, tolerance 1e-6) and, in ``fe2-tight``, with ``MapDemeaner(fixef_tol=1e-10)`` --
  PolicyLab's default tolerance.
* ``iv`` -- 2SLS, one endogenous d, instruments z1..z3, m exogenous x (plus the intercept),
  HC1. Peer: ``linearmodels IV2SLS(y, [const, x], d, z).fit(cov_type="robust", debiased=True)``
  (linearmodels' robust is HC0; debiased=True applies n/(n-k), i.e. HC1).

Every row checks that the coefficients agree (``beta###`` in PolicyLab's and the peer's extras,
relative difference < 1e-8) and reports the largest relative difference of the standard
errors; a disagreement marks the row as failed, whatever the timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import peers
from .data import DTYPE, DataStore, load_matrix, rng_for

COEF_RTOL = 1e-8


def _write_atomic(path: Path, columns) -> None:
    """Write an iterable of float64 columns (column-major) to ``path`` via a temporary name."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        for column in columns:
            np.asarray(column, dtype=DTYPE).tofile(f)
    os.replace(tmp, path)


def ols_beta(k: int) -> np.ndarray:
    """True coefficients: 1 for the intercept, then (-1)^j (0.2 + 0.1 (j mod 5))."""
    return np.array([1.0] + [(-1) ** j * (0.2 + 0.1 * (j % 5)) for j in range(1, k)])


# ---------------------------------------------------------------- OLS + HC1 (in memory)
def _ols_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    """ols_X_{n}x{k}.f64 (ones, then standard normal columns) and ols_y_{n}x{k}.f64."""
    size = f"{rows}x{cols}"
    x_path = store.directory / f"ols_X_{size}.f64"
    y_path = store.directory / f"ols_y_{size}.f64"
    if (x_path.exists() and x_path.stat().st_size == rows * cols * 8
            and y_path.exists() and y_path.stat().st_size == rows * 8):
        return [x_path, y_path]
    store.log(f"generating {x_path} and {y_path} ({size}, {rows * cols * 8 / 2**20:.0f} MiB)")
    rng = rng_for(x_path.name)
    beta = ols_beta(cols)
    y = np.full(rows, beta[0])
    first = None

    def columns():
        nonlocal first
        yield np.ones(rows)
        for j in range(1, cols):
            column = rng.standard_normal(rows)
            y.__iadd__(beta[j] * column)
            if j == 1:
                first = column.copy()
            yield column

    _write_atomic(x_path, columns())
    scale = 0.5 + np.abs(first) if first is not None else 1.0  # heteroskedastic noise
    y += scale * rng_for(y_path.name).standard_normal(rows)
    _write_atomic(y_path, [y])
    return [x_path, y_path]


def _ols_args(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
    return ["bench-task", "ols-hc1", "--input", str(paths[0]), "--input", str(paths[1]),
            "--rows", str(rows), "--cols", str(cols)]


def _load_ols(paths: Sequence[Path], rows: int, cols: int):
    x = load_matrix(paths[0], rows, cols)
    y = load_matrix(paths[1], rows, 1)[:, 0].copy()
    return x, y


def _estimates_extra(params, se, **more) -> dict[str, Any]:
    extra: dict[str, Any] = {f"beta{j:03d}": float(b) for j, b in enumerate(params)}
    extra.update({f"se{j:03d}": float(s) for j, s in enumerate(se)})
    extra["coefficients"] = len(params)
    extra.update(more)
    return extra


def _statsmodels_ols(state):
    import statsmodels.api as sm

    x, y = state
    result = sm.OLS(y, x).fit(cov_type="HC1")
    return np.asarray(result.params), np.asarray(result.bse)  # bse computes the HC1 covariance


def _load_ols_frame(paths: Sequence[Path], rows: int, cols: int):
    import pandas as pd

    x, y = _load_ols(paths, rows, cols)
    frame = pd.DataFrame({f"x{j}": x[:, j] for j in range(1, cols)})
    frame.insert(0, "y", y)
    del x
    formula = "y ~ " + " + ".join(f"x{j}" for j in range(1, cols))
    _pyfixest_warm_up()
    return frame, formula


def _pyfixest_warm_up() -> None:
    """One tiny fit, so that import and JIT/first-call costs are not timed."""
    import pandas as pd
    import pyfixest as pf

    rng = np.random.default_rng(1)
    df = pd.DataFrame({"y": rng.standard_normal(200), "x1": rng.standard_normal(200),
                       "f1": rng.integers(0, 10, 200), "f2": rng.integers(0, 5, 200)})
    pf.feols("y ~ x1", data=df, vcov="hetero")
    pf.feols("y ~ x1 | f1 + f2", data=df, vcov={"CRV1": "f1"})


def _pyfixest_ols(state):
    import pyfixest as pf

    frame, formula = state
    fit = pf.feols(formula, data=frame, vcov="hetero")
    return np.asarray(fit.coef()), np.asarray(fit.se())


def _load_ols_numpy(paths: Sequence[Path], rows: int, cols: int):
    x, y = _load_ols(paths, rows, cols)
    return x, y, _numpy_dgemm_gflops()


def _numpy_dgemm_gflops(size: int = 3000) -> float:
    """numpy's dgemm rate (its bundled OpenBLAS, threadpoolctl limit in force): best of 3."""
    rng = np.random.default_rng(2)
    a, b = rng.random((size, size)), rng.random((size, size))
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(3))
    return 2 * size**3 / best / 1e9


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _numpy_cholesky_ols(state):
    from scipy.linalg import cho_factor, cho_solve

    x, y, _ = state
    n, k = x.shape
    gram = x.T @ x                         # syrk (x is Fortran-ordered: x.T shares its buffer)
    factor = cho_factor(gram)
    beta = cho_solve(factor, x.T @ y)
    u = y - x @ beta
    xu = x * u[:, None]                    # one n x k temporary
    meat = xu.T @ xu                       # syrk again
    del xu
    bread = cho_solve(factor, np.eye(k))
    vcov = bread @ meat @ bread * (n / (n - k))
    return beta, np.sqrt(np.diag(vcov))


def _ols_peer(name: str, load, run, extra=None) -> peers.Peer:
    return peers.Peer(name=name, load=load, run=run, checksum=lambda r: float(np.sum(r[0])),
                      extra=extra or (lambda r: _estimates_extra(*r)))


STATSMODELS_OLS = _ols_peer('statsmodels OLS(y, X).fit(cov_type="HC1")', _load_ols, _statsmodels_ols)
PYFIXEST_OLS = _ols_peer('pyfixest feols("y ~ x1+...", vcov="hetero")', _load_ols_frame, _pyfixest_ols)
# The numpy route returns its dgemm rate with the estimates (measured once at load).
NUMPY_OLS = _ols_peer("numpy X'X Cholesky + HC1 meat",
                      _load_ols_numpy, lambda s: (*_numpy_cholesky_ols(s), s[2]),
                      extra=lambda r: _estimates_extra(r[0], r[1], numpy_dgemm_gflops=r[2]))


# ---------------------------------------------------------------- CSV -> results, whole processes
def _csv_ols_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    """csv_ols_{n}x{k}.csv: header y,x1..x_{k-1}; x standard normal, y = 1 + x beta + noise; repr text."""
    path = store.directory / f"csv_ols_{rows}x{cols}.csv"
    if path.exists():
        return [path]
    store.log(f"generating {path} ({rows}x{cols}, Python repr text; this takes a while)")
    rng = rng_for(path.name)
    beta = ols_beta(cols)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        f.write(",".join(["y"] + [f"x{j}" for j in range(1, cols)]) + "\n")
        block = 50_000
        for start in range(0, rows, block):
            m = min(block, rows - start)
            x = rng.standard_normal((m, cols - 1))
            y = beta[0] + x @ beta[1:] + (0.5 + np.abs(x[:, 0])) * rng.standard_normal(m)
            values = np.column_stack([y, x]).tolist()
            f.write("\n".join(",".join(map(repr, row)) for row in values) + "\n")
    os.replace(tmp, path)
    return [path]


def csv_formula(cols: int) -> str:
    return "y ~ " + " + ".join(f"x{j}" for j in range(1, cols))


def _csv_ols_args(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
    return ["estimate", str(paths[0]), "--formula", csv_formula(cols), "--vcov", "hc1", "--format", "json"]


def estimate_output(out: dict[str, Any], rows: int, cols: int) -> dict[str, Any]:
    """``policylab estimate --format json`` -> extras with beta### / se### (the runner adds timings)."""
    coefficients = out["coefficients"]
    return _estimates_extra([c["estimate"] for c in coefficients], [c["std_error"] for c in coefficients],
                            nobs=int(out["nobs"]))


_CSV_PEER_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy as np, pandas as pd, statsmodels.api as sm
t1 = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
t2 = time.perf_counter()
y = frame["y"].to_numpy()
x = sm.add_constant(frame.drop(columns="y").to_numpy(), prepend=True)
result = sm.OLS(y, x).fit(cov_type="HC1")
params, bse = np.asarray(result.params), np.asarray(result.bse)
t3 = time.perf_counter()
print(json.dumps({"params": params.tolist(), "bse": bse.tolist(), "seconds_import": t1 - t0,
                  "seconds_read_csv": t2 - t1, "seconds_fit": t3 - t2}))
"""


def run_process_rusage(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str, str]:
    """Run ``cmd``; returns (wall seconds, peak RSS bytes, stdout, stderr).

    The command runs under ``/usr/bin/time -f %M``: getrusage/wait4 on a child forked straight
    from this (large) process would report at least this process's own RSS, since Linux carries
    ru_maxrss across fork + execve; ``time``'s own child starts from ``time``'s small address space.
    The wall time is the harness's clock around the whole thing (``time`` adds about a millisecond).
    """
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        t0 = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *cmd],
                              capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[0]} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
        lines = [line for line in open(rss_file.name).read().split() if line.isdigit()]
        peak = int(lines[-1]) * 1024 if lines else 0
    return seconds, peak, proc.stdout, proc.stderr


def _load_csv_ols(paths: Sequence[Path], rows: int, cols: int):
    env = {k: v for k, v in os.environ.items()}
    threads = str(peers.PEER_THREADS)
    env.update(OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
    return [sys.executable, "-c", _CSV_PEER_SCRIPT, str(paths[0])], env


def _csv_ols_peer(state):
    cmd, env = state
    seconds, rss, stdout, _ = run_process_rusage(cmd, env)
    out = json.loads(stdout)
    return out, rss, seconds


def _csv_ols_extra(result) -> dict[str, Any]:
    out, rss, seconds = result
    return _estimates_extra(out["params"], out["bse"], peak_rss_bytes=rss, process_wall_seconds=seconds,
                            seconds_import=out["seconds_import"], seconds_read_csv=out["seconds_read_csv"],
                            seconds_fit=out["seconds_fit"])


PANDAS_STATSMODELS_PROCESS = peers.Peer(
    name='python: pandas.read_csv + statsmodels OLS HC1 (whole process)', load=_load_csv_ols, run=_csv_ols_peer,
    checksum=lambda r: float(np.sum(r[0]["params"])), extra=_csv_ols_extra)


# ---------------------------------------------------------------- two-way fixed effects
def fe_levels(rows: int) -> tuple[int, int]:
    """(f1 levels, f2 levels): 100,000 x 1,000 at 5e6 rows, scaled down for smaller runs."""
    return max(2, rows // 50), max(2, min(1000, rows // 5000))


def _fe2_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    """fe2_{n}x{c}.f64: columns y, x1..x_p, f1, f2 (codes as doubles), p = c - 3."""
    path = store.directory / f"fe2_{rows}x{cols}.f64"
    if path.exists() and path.stat().st_size == rows * cols * 8:
        return [path]
    p = cols - 3
    g1, g2 = fe_levels(rows)
    store.log(f"generating {path} ({rows} rows, {p} regressors, {g1} x {g2} levels)")
    rng = rng_for(path.name)
    f1 = rng.integers(0, g1, rows)
    f2 = rng.integers(0, g2, rows)
    alpha, gamma = rng.standard_normal(g1), rng.standard_normal(g2)
    y = alpha[f1] + gamma[f2] + rng.standard_normal(rows)
    xs = []
    for j in range(1, p + 1):
        a, b = rng.standard_normal(g1), rng.standard_normal(g2)
        x = rng.standard_normal(rows) + 0.5 * a[f1] + 0.5 * b[f2]
        y += (-1) ** j * (0.2 + 0.1 * j) * x
        xs.append(x)
    _write_atomic(path, [y, *xs, f1.astype(DTYPE), f2.astype(DTYPE)])
    return [path]


def _fe2_args(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
    return ["bench-task", "fe2", "--input", str(paths[0]), "--rows", str(rows), "--cols", str(cols)]


def _load_fe2(tolerance: float | None):
    def load(paths: Sequence[Path], rows: int, cols: int):
        import pandas as pd

        data = load_matrix(paths[0], rows, cols)
        p = cols - 3
        frame = pd.DataFrame({"y": data[:, 0].copy(),
                              **{f"x{j}": data[:, j].copy() for j in range(1, p + 1)},
                              "f1": data[:, p + 1].astype(np.int64), "f2": data[:, p + 2].astype(np.int64)})
        del data
        _pyfixest_warm_up()
        formula = "y ~ " + " + ".join(f"x{j}" for j in range(1, p + 1)) + " | f1 + f2"
        return frame, formula, tolerance

    return load


def _pyfixest_fe2(state):
    import pyfixest as pf

    frame, formula, tolerance = state
    kwargs: dict[str, Any] = {}
    if tolerance is not None:
        from pyfixest.demeaners import MapDemeaner

        kwargs["demeaner"] = MapDemeaner(fixef_tol=tolerance)
    fit = pf.feols(formula, data=frame, vcov={"CRV1": "f1"}, **kwargs)
    return np.asarray(fit.coef()), np.asarray(fit.se())


PYFIXEST_FE2 = _ols_peer('pyfixest feols("y ~ x1+...+x5 | f1 + f2", vcov={"CRV1": "f1"}) (default MAP, tol 1e-6)',
                         _load_fe2(None), _pyfixest_fe2)
PYFIXEST_FE2_TIGHT = _ols_peer("pyfixest feols(..., demeaner=MapDemeaner(fixef_tol=1e-10))",
                               _load_fe2(1e-10), _pyfixest_fe2)


# ---------------------------------------------------------------- IV / 2SLS
def _iv_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    """iv_{n}x{c}.f64: columns y, d, z1, z2, z3, x1..x_m (m = c - 5); u and v correlated."""
    path = store.directory / f"iv_{rows}x{cols}.f64"
    if path.exists() and path.stat().st_size == rows * cols * 8:
        return [path]
    m = cols - 5
    store.log(f"generating {path} ({rows} rows, 1 endogenous, 3 instruments, {m} exogenous)")
    rng = rng_for(path.name)
    z = rng.standard_normal((rows, 3))
    x = rng.standard_normal((rows, m))
    v = rng.standard_normal(rows)
    d = z @ np.array([0.5, 0.4, 0.3]) + 0.1 * x.sum(axis=1) + v
    u = 0.5 * v + (0.5 + np.abs(x[:, 0])) * rng.standard_normal(rows)
    y = 1.0 + x @ ols_beta(m + 1)[1:] + 1.5 * d + u
    _write_atomic(path, [y, d, *z.T, *x.T])
    return [path]


def _iv_args(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
    return ["bench-task", "iv", "--input", str(paths[0]), "--rows", str(rows), "--cols", str(cols)]


def _load_iv(paths: Sequence[Path], rows: int, cols: int):
    import pandas as pd

    data = load_matrix(paths[0], rows, cols)
    m = cols - 5
    exog = pd.DataFrame({"const": np.ones(rows), **{f"x{j}": data[:, 4 + j].copy() for j in range(1, m + 1)}})
    return (pd.Series(data[:, 0].copy(), name="y"), exog, pd.Series(data[:, 1].copy(), name="d"),
            pd.DataFrame({f"z{j}": data[:, 1 + j].copy() for j in range(1, 4)}))


def _linearmodels_iv(state):
    from linearmodels.iv import IV2SLS

    y, exog, endog, instruments = state
    result = IV2SLS(y, exog, endog, instruments).fit(cov_type="robust", debiased=True)
    return np.asarray(result.params), np.asarray(result.std_errors)


LINEARMODELS_IV = _ols_peer('linearmodels IV2SLS(...).fit(cov_type="robust", debiased=True)', _load_iv, _linearmodels_iv)


# ---------------------------------------------------------------- the task rows
_OLS_NOTES = ("X n x k: column 1 ones, the rest standard normal; y = X beta + (0.5 + |x1|) e; "
              "beta = 1, then (-1)^j (0.2 + 0.1 (j mod 5)). PolicyLab times RegressionData(x:y:) (finite "
              "checks) + LinearRegression.fit(vcov: .hc1); its extras hold the dgemm rate of its BLAS measured "
              "in the same process (3000^3, --threads threads), 2 n k^2 / that rate (flop_bound_seconds), "
              "best / bound, peak RSS / bytes of X, and the time of each pass alone")


def tasks(task_type):
    """The regression tasks as :class:`tasks.Task` rows."""
    ols_sizes = [(1_000_000, 100), (5_000_000, 20)]
    ols_quick = [(100_000, 100), (200_000, 20)]
    common = dict(coef_rtol=COEF_RTOL, compare_checksum=False)
    return [
        task_type(name="ols-hc1", group="ols", sizes=ols_sizes, quick_sizes=ols_quick, data=_ols_data,
                  peer=STATSMODELS_OLS, policylab_args=_ols_args, requires=("statsmodels",),
                  notes=(_OLS_NOTES,), **common),
        task_type(name="ols-hc1-pyfixest", group="ols", policylab_task="ols-hc1", sizes=ols_sizes,
                  quick_sizes=ols_quick, data=_ols_data, peer=PYFIXEST_OLS, policylab_args=_ols_args,
                  requires=("pyfixest",), notes=(_OLS_NOTES, "peer gets a DataFrame y, x1..x_{k-1} (built untimed)"),
                  **common),
        task_type(name="ols-hc1-numpy", group="ols", policylab_task="ols-hc1", sizes=ols_sizes,
                  quick_sizes=ols_quick, data=_ols_data, peer=NUMPY_OLS, policylab_args=_ols_args,
                  requires=("scipy",), notes=(_OLS_NOTES, "peer: X.T@X, cho_factor/cho_solve, u = y - X b, "
                                              "(X*u).T@(X*u), bread meat bread n/(n-k); not rank-revealing"),
                  **common),
        task_type(name="ols-hc1-memory", group="ols-memory", policylab_task="ols-hc1", sizes=[(5_000_000, 100)],
                  quick_sizes=[(200_000, 100)], data=_ols_data, peer=None, policylab_args=_ols_args,
                  compare_checksum=False,
                  notes=(_OLS_NOTES, "PolicyLab alone (no peer at this size): time and peak RSS / bytes of X; "
                                     "run with --rounds 1 --repeat 1"),),
        task_type(name="csv-ols", sizes=[(1_000_000, 20)], quick_sizes=[(100_000, 20)], data=_csv_ols_data,
                  peer=PANDAS_STATSMODELS_PROCESS, policylab_args=_csv_ols_args, requires=("pandas", "statsmodels"),
                  process_wall=True, output_adapter=estimate_output,
                  notes=("CSV with header y,x1..x_{k-1} (repr text); wall time of the whole `policylab estimate "
                         "--format json` process vs one `python -c` process (imports, pandas.read_csv, "
                         "statsmodels OLS(y, add_constant(X)).fit(cov_type='HC1'), params and bse to JSON), "
                         "OPENBLAS_NUM_THREADS = --threads for the peer; peak RSS of each from wait4",),
                  **common),
        task_type(name="fe2", group="fe2", sizes=[(5_000_000, 8)], quick_sizes=[(200_000, 8)], data=_fe2_data,
                  peer=PYFIXEST_FE2, policylab_args=_fe2_args, requires=("pyfixest",),
                  notes=("y, x1..x5, f1, f2; f1 rows/50 levels, f2 min(1000, rows/5000) levels, uniform; "
                         "x correlated with both effects; PolicyLab: fit(table:formula:) incl. the design, "
                         "cluster:f1, default tolerance 1e-10; peer pyfixest with its defaults",),
                  **common),
        task_type(name="fe2-tight", group="fe2", policylab_task="fe2", sizes=[(5_000_000, 8)],
                  quick_sizes=[(200_000, 8)], data=_fe2_data, peer=PYFIXEST_FE2_TIGHT, policylab_args=_fe2_args,
                  requires=("pyfixest",), notes=("as fe2; pyfixest at PolicyLab's tolerance 1e-10",), **common),
        task_type(name="iv", sizes=[(1_000_000, 15)], quick_sizes=[(100_000, 15)], data=_iv_data,
                  peer=LINEARMODELS_IV, policylab_args=_iv_args, requires=("linearmodels",),
                  notes=("y, d, z1..z3, x1..x10; d = z (0.5, 0.4, 0.3) + 0.1 sum x + v, u = 0.5 v + hetero noise; "
                         "PolicyLab: fit(table:formula: 'y ~ x1 + ... + x10 | d ~ z1 + z2 + z3') with hc1, incl. "
                         "the design, first stage and Kleibergen-Paap F; peer: IV2SLS on pandas objects built "
                         "untimed, robust + debiased (= HC1)",),
                  **common),
    ]

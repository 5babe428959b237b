"""Model-based simulation benchmark (issue 5): expected values over coefficient draws.

Task ``ev-draws`` (rows = units n, cols = coefficients k, draws R = n / 10: 10,000 draws of
k = 20 coefficients over 100,000 units at the full size): draw beta_r ~ MVN(beta_hat, V_hat)
for r = 1..R, form X B (n x k times k x R, one dgemm) and the mean over units of each column.

* PolicyLab: ``bench-task ev-draws`` (``ExpectedValueDraws.means``: draws in fixed blocks of
  128, each block's product in 128-row tiles that stay in the core's cache, summed as it
  goes). The same process also times the one dgemm of the same shapes (C = X B, C of
  n x R allocated and touched before timing, OpenBLAS on --threads threads), alternating
  with the task run for run, and reports both in its extras (``dgemm_best``,
  ``best_over_dgemm_best``).
* ``ev-draws`` peer: numpy ``rng.multivariate_normal(mean, cov, size=R)`` then
  ``(X @ B.T).mean(axis=0)`` -- the numpy version of the same computation.
* ``ev-draws-dgemm`` peer: numpy's pure ``X @ B.T`` of the same shapes (B drawn untimed),
  i.e. what the product alone costs numpy (fresh n x R result each run).

Inputs: X has an intercept column then k - 1 standard normal columns; beta_hat_j =
(-1)^j 0.1 (1 + j mod 5) plus 9 for the intercept; V_hat = 0.25 (X'X)^-1 (the OLS variance with
sigma = 0.5). The generators differ (Philox + Box-Muller vs PCG64), so there is no checksum
comparison; both sides report the mean of the R expected values (``ev_mean_over_draws``), which
must agree with x_bar' beta_hat to Monte Carlo error.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import peers
from .data import SEED, DataStore, load_matrix, rng_for


def draws_for(rows: int) -> int:
    """R for n units: n / 10 (10,000 draws at the full size of 100,000 units)."""
    return max(1, rows // 10)


def ev_beta(k: int) -> np.ndarray:
    """beta_hat: 9 for the intercept, then (-1)^j 0.1 (1 + j mod 5)."""
    beta = np.array([(-1) ** j * 0.1 * (1 + j % 5) for j in range(k)])
    beta[0] = 9.0
    return beta


def _write(path: Path, values: np.ndarray) -> None:
    tmp = path.with_suffix(".tmp")
    np.asarray(values, dtype="<f8").ravel(order="F").tofile(tmp)
    os.replace(tmp, path)


def _ev_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    size = f"{rows}x{cols}"
    x_path = store.directory / f"ev_X_{size}.f64"
    mean_path = store.directory / f"ev_beta_{size}.f64"
    cov_path = store.directory / f"ev_vcov_{size}.f64"
    if not (x_path.exists() and x_path.stat().st_size == rows * cols * 8
            and mean_path.exists() and cov_path.exists()):
        store.log(f"generating {x_path} and its beta_hat / V_hat ({rows}x{cols})")
        rng = rng_for(x_path.name)
        x = np.empty((rows, cols), order="F")
        x[:, 0] = 1.0
        for j in range(1, cols):
            x[:, j] = rng.standard_normal(rows)
        _write(x_path, x)
        _write(mean_path, ev_beta(cols))
        cov = 0.25 * np.linalg.inv(x.T @ x)
        _write(cov_path, (cov + cov.T) / 2)
    return [x_path, mean_path, cov_path]


def _ev_args(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
    args = ["bench-task", "ev-draws"]
    for p in paths:
        args += ["--input", str(p)]
    return args + ["--rows", str(rows), "--cols", str(cols), "--draws", str(draws_for(rows))]


def _load_ev(paths: Sequence[Path], rows: int, cols: int):
    x = load_matrix(paths[0], rows, cols)
    mean = load_matrix(paths[1], cols, 1)[:, 0].copy()
    cov = load_matrix(paths[2], cols, cols)
    return {"x": x, "mean": mean, "cov": np.ascontiguousarray(cov), "draws": draws_for(rows),
            "rng": np.random.default_rng(SEED)}


def _numpy_ev(state) -> np.ndarray:
    b = state["rng"].multivariate_normal(state["mean"], state["cov"], size=state["draws"])
    return (state["x"] @ b.T).mean(axis=0)


def _load_dgemm(paths: Sequence[Path], rows: int, cols: int):
    state = _load_ev(paths, rows, cols)
    state["b"] = state["rng"].multivariate_normal(state["mean"], state["cov"], size=state["draws"])
    return state


def _numpy_dgemm(state) -> np.ndarray:
    return state["x"] @ state["b"].T


def _ev_extra(result: np.ndarray) -> dict[str, Any]:
    return {"ev_mean_over_draws": float(np.mean(result)), "draws": int(result.size)}


NUMPY_EV = peers.Peer(name="numpy multivariate_normal + (X @ B.T).mean(axis=0)", load=_load_ev, run=_numpy_ev,
                      extra=_ev_extra)
NUMPY_EV_DGEMM = peers.Peer(name="numpy X @ B.T (the product alone)", load=_load_dgemm, run=_numpy_dgemm,
                            checksum=lambda r: float(np.sum(r[:, :1])), extra=lambda r: {"product_shape": list(r.shape)})


def tasks(task_type):
    """The model-based simulation tasks as :class:`tasks.Task` rows."""
    notes = ("rows = units n, cols = coefficients k (intercept + k-1 standard normals), R = n/10 draws of "
             "beta ~ MVN(beta_hat, 0.25 (X'X)^-1); ev_r = mean over units of X beta_r. PolicyLab's extras hold "
             "the one dgemm of the same shapes timed in the same process (dgemm_best, best_over_dgemm_best); "
             "different generators, so no checksum comparison (ev_mean_over_draws of both sides and "
             "ev_at_mean_beta = x_bar' beta_hat must agree to Monte Carlo error)",)
    sizes, quick = [(100_000, 20)], [(20_000, 20)]
    return [
        task_type(name="ev-draws", group="ev-draws", sizes=sizes, quick_sizes=quick, data=_ev_data, peer=NUMPY_EV,
                  policylab_args=_ev_args, compare_checksum=False,
                  notes=notes + ("peer: the whole numpy computation, draws included",)),
        task_type(name="ev-draws-dgemm", group="ev-draws", policylab_task="ev-draws", sizes=sizes, quick_sizes=quick,
                  data=_ev_data, peer=NUMPY_EV_DGEMM, policylab_args=_ev_args, compare_checksum=False,
                  notes=notes + ("peer: numpy's X @ B.T alone (B drawn untimed), a fresh n x R array each run",)),
    ]

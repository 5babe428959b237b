"""Optimizer benchmarks (issue 6): PolicyLab's Optimization target against scipy and statsmodels.

Tasks (appended to :data:`tasks.TASKS`):

* ``lbfgsb-rosenbrock``  -- L-BFGS-B on the n-dimensional Rosenbrock function from
  (-1.2, 1, -1.2, 1, ...) with the exact gradient; peer ``scipy.optimize.minimize(rosen, x0,
  jac=rosen_der, method="L-BFGS-B")``. Evaluations are reported beside the time.
* ``logit-mle``          -- logit MLE with standard errors, n x k standard-normal X, y drawn
  from the model; PolicyLab: L-BFGS-B with the analytic gradient, SEs from the analytic
  Hessian; peer ``statsmodels Logit(y, X).fit(disp=0)`` and ``.bse``.
* ``de-busy`` / ``de-busy-2t`` -- differential evolution with an objective that costs >= 1 ms
  (Rastrigin plus a spin on the clock), PolicyLab on 1 and 2 threads; the 1 -> 2 thread
  speed-up is de-busy best / de-busy-2t best, and the two checksums (best value) must be
  identical. Peer: scipy differential_evolution with the same population, generations and
  a 1 ms Python objective (``updating="deferred"``, ``workers=1``).
* ``de-success`` / ``da-success`` -- success counts (|f - f*| < 1e-5) over seeds 1..20 on the
  six test functions (rows = dimension, cols = seeds); PolicyLab's DE with default settings
  against scipy's differential_evolution and dual_annealing with default settings. Run with
  ``--rounds 1 --repeat 1``: one sweep is minutes long.

Rows of these tasks carry ``policylab_extra`` / ``peer_extra`` with the evaluation counts,
success counts and estimates; the harness prints them below the table.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import peers
from .data import DataStore, load_matrix, rng_for

# ---------------------------------------------------------------- test functions (as in Swift)
SCHWEFEL_CONSTANT = 418.98288727243369
STYBLINSKI_MIN = -39.16616570377142
BOXES = {"rosenbrock": (-5.0, 10.0), "rastrigin": (-5.12, 5.12), "ackley": (-32.768, 32.768),
         "griewank": (-600.0, 600.0), "schwefel": (-500.0, 500.0), "styblinski-tang": (-5.0, 5.0)}
FUNCTIONS = list(BOXES)


def test_function(name: str):
    """f(x) of Sources/Optimization/TestFunctions/TestFunction.swift (numpy, unshifted)."""
    if name == "rosenbrock":
        return lambda x: float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))
    if name == "rastrigin":
        return lambda x: float(10 * x.size + np.sum(x * x - 10 * np.cos(2 * np.pi * x)))
    if name == "ackley":
        return lambda x: float(-20 * np.exp(-0.2 * np.sqrt(np.sum(x * x) / x.size))
                               - np.exp(np.sum(np.cos(2 * np.pi * x)) / x.size) + 20 + math.e)
    if name == "griewank":
        return lambda x: float(1 + np.sum(x * x) / 4000 - np.prod(np.cos(x / np.sqrt(np.arange(1, x.size + 1)))))
    if name == "schwefel":
        return lambda x: float(SCHWEFEL_CONSTANT * x.size - np.sum(x * np.sin(np.sqrt(np.abs(x)))))
    if name == "styblinski-tang":
        return lambda x: float(0.5 * np.sum(x ** 4 - 16 * x * x + 5 * x))
    raise ValueError(name)


def known_minimum(name: str, dim: int) -> float:
    return STYBLINSKI_MIN * dim if name == "styblinski-tang" else 0.0


# ---------------------------------------------------------------- (a) L-BFGS-B, Rosenbrock
def _no_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    return []


def _load_rosenbrock(paths: Sequence[Path], rows: int, cols: int):
    return np.array([-1.2 if i % 2 == 0 else 1.0 for i in range(rows)])


def _scipy_lbfgsb(x0):
    from scipy.optimize import minimize, rosen, rosen_der

    return minimize(rosen, x0, jac=rosen_der, method="L-BFGS-B")


SCIPY_LBFGSB = peers.Peer(name='scipy minimize(rosen, jac=rosen_der, method="L-BFGS-B")', load=_load_rosenbrock,
                          run=_scipy_lbfgsb, checksum=lambda r: float(r.fun),
                          extra=lambda r: {"evaluations": int(r.nfev), "iterations": int(r.nit), "value": float(r.fun)})


# ---------------------------------------------------------------- (b) logit MLE
def logit_beta(k: int) -> np.ndarray:
    """The true coefficients: (-1)^j * 0.1 * (1 + j mod 5)."""
    return np.array([(-1) ** j * 0.1 * (1 + j % 5) for j in range(k)])


def _logit_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    x_path = store.matrix("logit_X", rows, cols, "normal")
    name = f"logit_y_{rows}x{cols}.f64"
    y_path = store.directory / name
    if not (y_path.exists() and y_path.stat().st_size == rows * 8):
        store.log(f"generating {y_path} (logit responses)")
        x = load_matrix(x_path, rows, cols)
        u = rng_for(name).random(rows)
        y = (u < 1 / (1 + np.exp(-(x @ logit_beta(cols))))).astype("<f8")
        tmp = y_path.with_suffix(".tmp")
        y.tofile(tmp)
        os.replace(tmp, y_path)
    return [x_path, y_path]


def _logit_args(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
    return ["bench-task", "logit-mle", "--input", str(paths[0]), "--input", str(paths[1]),
            "--rows", str(rows), "--cols", str(cols)]


def _load_logit(paths: Sequence[Path], rows: int, cols: int):
    return load_matrix(paths[1], rows, 1)[:, 0].copy(), load_matrix(paths[0], rows, cols)


def _statsmodels_logit(state):
    import statsmodels.api as sm

    y, x = state
    result = sm.Logit(y, x).fit(disp=0)
    return np.asarray(result.params), np.asarray(result.bse), result


def _logit_extra(result) -> dict[str, Any]:
    params, bse, fitted = result
    extra: dict[str, Any] = {"iterations": int(fitted.mle_retvals.get("iterations", -1)),
                             "log_likelihood": float(fitted.llf)}
    extra.update({f"beta{j:02d}": float(b) for j, b in enumerate(params)})
    extra.update({f"se{j:02d}": float(s) for j, s in enumerate(bse)})
    return extra


STATSMODELS_LOGIT = peers.Peer(name="statsmodels Logit(y, X).fit() + .bse", load=_load_logit, run=_statsmodels_logit,
                               checksum=lambda r: float(np.sum(r[0])), extra=_logit_extra)


# ---------------------------------------------------------------- (c) parallel speed-up
def _busy_rastrigin(x):
    start = time.perf_counter()
    value = test_function("rastrigin")(x)
    while time.perf_counter() - start < 1e-3:
        pass
    return value


def _scipy_de_busy(dim: int):
    from scipy.optimize import differential_evolution

    lo, hi = BOXES["rastrigin"]
    # 20 members = popsize 4 in 5 dimensions; 25 generations; no polish, no early stop.
    return differential_evolution(_busy_rastrigin, [(lo, hi)] * dim, popsize=20 // dim, maxiter=25, tol=0,
                                  polish=False, updating="deferred", workers=1, rng=1)


SCIPY_DE_BUSY = peers.Peer(name="scipy differential_evolution, 1 ms objective, workers=1", load=lambda p, r, c: r,
                           run=_scipy_de_busy, checksum=lambda r: float(r.fun),
                           extra=lambda r: {"evaluations": int(r.nfev), "value": float(r.fun)})


# ---------------------------------------------------------------- (d) success rates
def _success_sweep(solver: str):
    def run(state):
        dim, seeds = state
        from scipy.optimize import differential_evolution, dual_annealing

        extra: dict[str, Any] = {}
        for name in FUNCTIONS:
            f, (lo, hi) = test_function(name), BOXES[name]
            wins, evaluations = 0, 0
            for seed in range(1, seeds + 1):
                if solver == "de":
                    r = differential_evolution(f, [(lo, hi)] * dim, rng=seed)
                else:
                    r = dual_annealing(f, [(lo, hi)] * dim, rng=seed)
                wins += int(abs(float(r.fun) - known_minimum(name, dim)) < 1e-5)
                evaluations += int(r.nfev)
            extra[f"success_{name}"] = wins
            extra[f"evaluations_{name}"] = evaluations / seeds
        return extra

    return run


SCIPY_DE_SUCCESS = peers.Peer(name="scipy differential_evolution (defaults), 20 seeds", load=lambda p, r, c: (r, c),
                              run=_success_sweep("de"),
                              checksum=lambda e: float(sum(v for k, v in e.items() if k.startswith("success_"))),
                              extra=lambda e: e)
SCIPY_DA_SUCCESS = peers.Peer(name="scipy dual_annealing (defaults), 20 seeds", load=lambda p, r, c: (r, c),
                              run=_success_sweep("da"),
                              checksum=lambda e: float(sum(v for k, v in e.items() if k.startswith("success_"))),
                              extra=lambda e: e)


def _task_args(task: str):
    def build(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
        return ["bench-task", task, "--rows", str(rows), "--cols", str(cols)]

    return build


def tasks(task_type):
    """The optimizer tasks as :class:`tasks.Task` rows."""
    success_notes = ("rows = dimension, cols = seeds (1..cols); functions rosenbrock, rastrigin, ackley, griewank, "
                     "schwefel, styblinski-tang on their standard boxes; success = |f - f*| < 1e-5; "
                     "ratio = peer time / PolicyLab time for the whole sweep (PolicyLab on --threads)",)
    return [
        task_type(name="lbfgsb-rosenbrock", sizes=[(100, 1)], quick_sizes=[(100, 1)], data=_no_data,
                  peer=SCIPY_LBFGSB, policylab_args=_task_args("lbfgsb-rosenbrock"), requires=("scipy",),
                  compare_checksum=False, threads=1,
                  notes=("n-dimensional Rosenbrock (rows = n) from (-1.2, 1, ...), exact gradient, memory 10, "
                         "scipy's default tolerances on both sides; extra = evaluations, iterations, final f",)),
        task_type(name="logit-mle", sizes=[(1_000_000, 20)], quick_sizes=[(100_000, 20)], data=_logit_data,
                  peer=STATSMODELS_LOGIT, policylab_args=_logit_args, requires=("statsmodels",),
                  compare_checksum=False,
                  notes=("X n x k standard normal, y ~ Bernoulli(logistic(X beta)), beta_j = (-1)^j 0.1 (1 + j mod 5), "
                         "no intercept; both sides return estimates and standard errors (inverse Hessian); "
                         "extra = estimates, SEs, iterations",)),
        task_type(name="de-busy", group="de-busy", sizes=[(5, 1)], quick_sizes=[(5, 1)], data=_no_data,
                  peer=SCIPY_DE_BUSY, policylab_args=_task_args("de-busy"), requires=("scipy",),
                  compare_checksum=False, threads=1,
                  notes=("DE, 20 members x 25 generations + initial population, Rastrigin in 5 dimensions, each "
                         "evaluation spinning >= 1 ms; PolicyLab on 1 thread",)),
        task_type(name="de-busy-2t", group="de-busy", policylab_task="de-busy", sizes=[(5, 1)], quick_sizes=[(5, 1)],
                  data=_no_data, peer=SCIPY_DE_BUSY, policylab_args=_task_args("de-busy"), requires=("scipy",),
                  compare_checksum=False, threads=2,
                  notes=("as de-busy, PolicyLab on 2 threads: speed-up = de-busy best / de-busy-2t best; the "
                         "checksums (best value) of the two rows must be identical",)),
        task_type(name="de-success", group="success", sizes=[(2, 20), (10, 20)], quick_sizes=[(2, 3)],
                  data=_no_data, peer=SCIPY_DE_SUCCESS, policylab_args=_task_args("de-success"),
                  requires=("scipy",), compare_checksum=False, notes=success_notes),
        task_type(name="da-success", group="success", policylab_task="de-success", sizes=[(2, 20), (10, 20)],
                  quick_sizes=[(2, 3)], data=_no_data, peer=SCIPY_DA_SUCCESS, policylab_args=_task_args("de-success"),
                  requires=("scipy",), compare_checksum=False, notes=success_notes),
    ]

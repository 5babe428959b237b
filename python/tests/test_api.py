"""The rest of the Python surface: errors, random numbers, minimization, simulation."""

import os
import subprocess
import threading

import numpy as np
import pytest

import policylab


def test_version():
    assert policylab.library_version().count(".") == 2


def test_aliased_column_is_nan(dataset):
    X, y, _ = dataset
    fit = policylab.ols(np.column_stack([X, 2 * X[:, 1]]), y, vcov="hc1")
    assert np.isnan(fit.coef[-1]) and np.isnan(fit.stderr[-1]) and np.isnan(fit.vcov[-1]).all()
    assert np.isfinite(fit.coef[:-1]).all()


def test_ols_errors(dataset):
    X, y, w = dataset
    with pytest.raises(ValueError, match="rows"):
        policylab.ols(X, y[:-1])
    with pytest.raises(ValueError, match="weights"):
        policylab.ols(X, y, weights=w[:3])
    with pytest.raises(ValueError, match="dimensions"):
        policylab.ols(np.zeros((2, 2, 2)), y)
    with pytest.raises(policylab.ArgumentError, match="hc9") as info:
        policylab.ols(X, y, vcov="hc9")
    assert info.value.status == 1
    with pytest.raises(policylab.ArgumentError, match="cluster"):
        policylab.ols(X, y, vcov="cluster:g")
    with pytest.raises(policylab.ArgumentError, match="n must be at least 1"):
        policylab.ols(np.empty((0, 2)), np.empty(0))
    bad = y.copy()
    bad[7] = np.nan
    with pytest.raises(policylab.DataError, match="row 8"):
        policylab.ols(X, bad)
    negative = w.copy()
    negative[0] = -1
    with pytest.raises(policylab.DataError, match="weight"):
        policylab.ols(X, y, weights=negative)
    with pytest.raises(policylab.DataError, match="not estimable"):
        policylab.ols(X[:5], y[:5])


def test_estimate_csv_errors(csv_path, tmp_path):
    with pytest.raises(policylab.FileError):
        policylab.estimate_csv(tmp_path / "missing.csv", "y ~ x")
    with pytest.raises(policylab.ArgumentError, match="educ"):
        policylab.estimate_csv(csv_path, "log_consumption ~ edu")
    with pytest.raises(policylab.ArgumentError, match="formula"):
        policylab.estimate_csv(csv_path, "log_consumption ~ (educ")
    result = policylab.estimate_csv(csv_path, "log_consumption ~ educ + factor(urban)", vcov="cluster:household")
    assert result["cluster_counts"] == [10]


def test_random_streams():
    a = policylab.random_normal(1000, seed=20240611, replicate=3)
    assert np.array_equal(a[400:500], policylab.random_normal(100, seed=20240611, replicate=3, offset=400))
    assert not np.array_equal(a, policylab.random_normal(1000, seed=20240611, replicate=4))
    assert abs(a.mean()) < 0.15 and 0.8 < a.var() < 1.2
    u = policylab.random_uniform(1000, seed=1)
    assert ((u >= 0) & (u < 1)).all()
    with pytest.raises(policylab.ArgumentError, match="count"):
        policylab.random_normal(0, seed=1)
    with pytest.raises(policylab.ArgumentError, match="offset"):
        policylab.random_normal(5, seed=1, offset=-1)
    with pytest.raises(ValueError, match="seed"):
        policylab.random_normal(5, seed=-1)
    with pytest.raises(policylab.ArgumentError, match="2\\^62"):
        policylab.random_normal(10, seed=1, offset=2**63 - 11)
    last = policylab.random_normal(37, seed=2**64 - 1, replicate=2**32 - 1, offset=2**62 - 37)
    assert np.isfinite(last).all()


@pytest.mark.skipif(not os.environ.get("POLICYLAB_CLI"), reason="POLICYLAB_CLI (the policylab binary) not set")
def test_random_matches_the_command_line(tmp_path):
    raw = tmp_path / "draws.f64"
    subprocess.run([os.environ["POLICYLAB_CLI"], "random", "normal", "--seed", "99", "--replicate", "2", "--count", "5000",
                    "--raw", str(raw)], check=True, capture_output=True)
    assert np.array_equal(np.fromfile(raw, dtype="<f8"), policylab.random_normal(5000, seed=99, replicate=2))


def rosenbrock(x):
    return float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))


def rosenbrock_gradient(x):
    g = np.zeros_like(x)
    t = x[1:] - x[:-1] ** 2
    g[:-1] += -400 * x[:-1] * t - 2 * (1 - x[:-1])
    g[1:] += 200 * t
    return g


def test_minimize_local_and_global():
    x0 = np.array([-1.2, 1.0, 0.5])
    fit = policylab.minimize(rosenbrock, x0)
    assert fit.converged and np.allclose(fit.x, 1, atol=1e-4) and fit.report["evaluations"] > 0
    exact = policylab.minimize(rosenbrock, x0, jac=rosenbrock_gradient, bounds=[(-2, 2)] * 3)
    assert np.allclose(exact.x, 1, atol=1e-5) and exact.report["gradient_evaluations"] > 0
    both = policylab.minimize(lambda x: (rosenbrock(x), rosenbrock_gradient(x)), x0, jac=True)
    assert np.allclose(both.x, 1, atol=1e-5)
    threads = set()

    def recording(x):
        threads.add(threading.get_ident())
        return rosenbrock(x)

    policylab.set_threads(2)
    try:
        a = policylab.minimize(recording, bounds=[(-2, 2)] * 3, method="de", seed=5, thread_safe=True, max_evaluations=2000)
        policylab.set_threads(1)
        b = policylab.minimize(rosenbrock, bounds=[(-2, 2)] * 3, method="de", seed=5, thread_safe=True, max_evaluations=2000)
    finally:
        policylab.set_threads(0)
    assert np.array_equal(a.x, b.x) and a.fun == b.fun


def test_minimize_serial_callbacks_stay_on_the_calling_thread():
    threads = set()

    def recording(x):
        threads.add(threading.get_ident())
        return rosenbrock(x)

    policylab.minimize(recording, [0.0, 0.0], thread_safe=False)
    assert threads == {threading.get_ident()}


def test_minimize_errors():
    with pytest.raises(ZeroDivisionError):
        policylab.minimize(lambda x: 1 / 0, [1.0, 2.0])
    with pytest.raises(policylab.ArgumentError, match="bfgs"):
        policylab.minimize(rosenbrock, [0.0, 0.0], method="bfgs")
    with pytest.raises(policylab.ArgumentError, match="outside"):
        policylab.minimize(rosenbrock, [5.0, 0.0], bounds=[(-1, 1), (-1, 1)])
    with pytest.raises(policylab.ArgumentError, match="finite"):
        policylab.minimize(rosenbrock, [0.0, 0.0], method="de")
    with pytest.raises(policylab.DataError, match="start point"):
        policylab.minimize(lambda x: float("nan"), [0.0, 0.0])
    with pytest.raises(ValueError, match="pairs"):
        policylab.minimize(rosenbrock, [0.0, 0.0], bounds=[(0, 1)])


SPEC = """
model:
  data: ols_data.csv
  formula: log_consumption ~ educ + urban + log_land + household
  vcov: hc1
population: {data: ols_data.csv, groups: [urban], min_cell: 10}
simulation: {draws: 100, seed: 7}
outcome: {scale: exp, poverty_line: 1500}
scenarios:
  - name: baseline
  - name: schooling
    changes: [{column: educ, add: 2, where: "urban == 0"}]
"""


def test_simulate(csv_path):
    policylab.set_threads(2)
    try:
        result = policylab.simulate(SPEC, directory=csv_path.parent)
        policylab.set_threads(1)
        again = policylab.simulate(SPEC, directory=csv_path.parent)
    finally:
        policylab.set_threads(0)
    assert [s["name"] for s in result["scenarios"]] == ["baseline", "schooling"]
    assert result["draws_completed"] == 100 and result["units"] == 400
    result.pop("run"), again.pop("run")
    assert result == again  # the same for any thread count


def test_simulate_errors(csv_path, tmp_path):
    with pytest.raises(policylab.DataError, match="spec_yaml"):
        policylab.simulate("model: [1, 2\n")
    with pytest.raises(policylab.DataError, match="model"):
        policylab.simulate("scenarios: [{name: a}]\n")
    with pytest.raises(policylab.FileError):
        policylab.simulate(SPEC, directory=tmp_path)


def test_set_threads_rejects_negative():
    with pytest.raises(policylab.ArgumentError, match="threads"):
        policylab.set_threads(-2)

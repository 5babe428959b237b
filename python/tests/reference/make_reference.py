"""Makes the OLS/WLS reference data and the values statsmodels computes on it.

Writes tests/data/ols_data.csv (the data, every value with 17 significant digits so it reads
back exactly) and tests/data/ols_reference.json (estimates, standard errors and covariance
matrices from statsmodels, fitted on the values read back from that CSV).

Run it in a separate virtual environment (the package's tests need only numpy and pytest):

    python3 -m venv .venv-reference
    .venv-reference/bin/pip install numpy statsmodels
    .venv-reference/bin/python python/tests/reference/make_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import statsmodels
import statsmodels.api as sm

DATA = Path(__file__).resolve().parent.parent / "data"


def make_data(path: Path) -> None:
    rng = np.random.default_rng(20240611)
    n = 400
    educ = rng.integers(0, 17, n).astype(float)
    urban = (rng.random(n) < 0.4).astype(float)
    log_land = rng.normal(1.0, 0.8, n)
    household = rng.integers(1, 11, n).astype(float)
    weight = rng.uniform(0.5, 3.0, n)
    # Heteroskedastic: the error's scale grows with education and household size.
    noise = rng.normal(0.0, 1.0, n) * (0.2 + 0.04 * educ + 0.03 * household)
    log_consumption = 7.5 + 0.06 * educ + 0.25 * urban + 0.12 * log_land - 0.05 * household + noise
    with path.open("w") as f:
        f.write("log_consumption,educ,urban,log_land,household,weight\n")
        for row in zip(log_consumption, educ, urban, log_land, household, weight):
            f.write(",".join(f"{v:.17g}" for v in row) + "\n")


def summary(fit) -> dict:
    return {
        "coef": [float(v) for v in fit.params],
        "stderr": [float(v) for v in fit.bse],
        "vcov": [[float(v) for v in row] for row in np.asarray(fit.cov_params())],
    }


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    csv = DATA / "ols_data.csv"
    make_data(csv)
    data = np.loadtxt(csv, delimiter=",", skiprows=1)
    y = data[:, 0]
    X = np.column_stack([np.ones(len(y)), data[:, 1:5]])
    w = data[:, 5]
    ols = sm.OLS(y, X)
    wls = sm.WLS(y, X, weights=w)
    cases = {}
    for name in ("nonrobust", "HC0", "HC1", "HC2", "HC3"):
        cases[f"ols_{name.lower()}"] = summary(ols.fit(cov_type=name))
    for name in ("nonrobust", "HC1"):
        cases[f"wls_{name.lower()}"] = summary(wls.fit(cov_type=name))
    reference = {
        "source": f"statsmodels {statsmodels.__version__}, numpy {np.__version__}; python/tests/reference/make_reference.py",
        "data": "ols_data.csv",
        "columns": ["(Intercept)", "educ", "urban", "log_land", "household"],
        "response": "log_consumption",
        "weights": "weight",
        "cases": cases,
    }
    (DATA / "ols_reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    print(f"wrote {csv} and {DATA / 'ols_reference.json'} ({len(y)} rows, {len(cases)} cases)")


if __name__ == "__main__":
    main()

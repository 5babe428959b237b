"""OLS and WLS with iid and HC0–HC3 variances against statsmodels (tests/data/ols_reference.json),
to 1e-10 relative."""

import numpy as np
import pytest

import policylab

RTOL = 1e-10
CASES = [
    ("ols_nonrobust", "iid", False), ("ols_hc0", "hc0", False), ("ols_hc1", "hc1", False),
    ("ols_hc2", "hc2", False), ("ols_hc3", "hc3", False), ("wls_nonrobust", "iid", True), ("wls_hc1", "hc1", True),
]


@pytest.mark.parametrize("case,vcov,weighted", CASES)
def test_matches_statsmodels(reference, dataset, case, vcov, weighted):
    X, y, w = dataset
    expected = reference["cases"][case]
    fit = policylab.ols(X, y, weights=w if weighted else None, vcov=vcov)
    np.testing.assert_allclose(fit.coef, expected["coef"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(fit.stderr, expected["stderr"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(fit.vcov, expected["vcov"], rtol=RTOL, atol=0)


def test_fortran_and_c_order_give_the_same_bits(dataset):
    X, y, _ = dataset
    c_order = np.ascontiguousarray(X)
    f_order = np.asfortranarray(X)
    assert c_order.flags.c_contiguous and f_order.flags.f_contiguous
    a = policylab.ols(c_order, y, vcov="hc1")
    b = policylab.ols(f_order, y, vcov="hc1")
    c = policylab.ols(X.tolist(), list(y), vcov="hc1")
    strided = np.repeat(X, 2, axis=1)[:, ::2]  # a non-contiguous view of the same columns
    d = policylab.ols(strided, y.reshape(-1, 1), vcov="hc1")
    for other in (b, c, d):
        assert np.array_equal(a.coef, other.coef) and np.array_equal(a.stderr, other.stderr)
        assert np.array_equal(a.vcov, other.vcov)


def test_csv_and_formula_match_the_arrays(reference, csv_path, dataset):
    X, y, w = dataset
    result = policylab.estimate_csv(csv_path, "log_consumption ~ educ + urban + log_land + household",
                                    weights="weight", vcov="hc1")
    terms = [row["term"] for row in result["coefficients"]]
    assert terms == reference["columns"]
    expected = reference["cases"]["wls_hc1"]
    np.testing.assert_allclose([row["estimate"] for row in result["coefficients"]], expected["coef"], rtol=RTOL, atol=0)
    np.testing.assert_allclose([row["std_error"] for row in result["coefficients"]], expected["stderr"], rtol=RTOL, atol=0)
    np.testing.assert_allclose(result["vcov_matrix"], expected["vcov"], rtol=RTOL, atol=0)
    assert result["nobs"] == len(y) and result["vcov"] == "hc1"

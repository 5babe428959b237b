"""Linear models: OLS/WLS from arrays, and any model from a CSV file and a formula."""

from __future__ import annotations

import ctypes
import json
import os
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from . import _library as native
from .errors import check

_DOUBLES = ctypes.POINTER(ctypes.c_double)


def _pointer(array: Optional[np.ndarray]):
    return None if array is None else array.ctypes.data_as(_DOUBLES)


@dataclass(frozen=True)
class OLSResult:
    """Estimates, standard errors and covariance of an OLS/WLS fit.

    A column that is a linear combination of earlier ones is dropped (as R's ``lm`` does): its
    entries are NaN.
    """

    coef: np.ndarray
    stderr: np.ndarray
    vcov: np.ndarray
    vcov_type: str


def ols(X, y, weights=None, vcov: str = "iid") -> OLSResult:
    """Least squares of ``y`` on the columns of ``X`` (add a column of ones for an intercept).

    ``X`` is an n×k array in either memory order (C-order arrays are copied once to the
    column-major layout the library reads; Fortran-order arrays are passed as they are); a
    1-D ``X`` is one column. ``weights`` (n non-negative values) gives weighted least squares.
    ``vcov``: ``"iid"``, ``"hc0"``–``"hc3"``, ``"nw:L"`` or ``"nw:auto"``.

    Raises ``ValueError`` for shapes that do not match, ``ArgumentError`` for an unknown
    variance type, ``DataError`` for NaN/infinite data, negative weights or too few rows.
    """
    x = np.asarray(X, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2:
        raise ValueError(f"X must be 1-D or 2-D, got {x.ndim} dimensions")
    x = np.asfortranarray(x)
    n, k = x.shape
    response = np.ascontiguousarray(np.asarray(y, dtype=np.float64))
    if response.ndim == 2 and 1 in response.shape:
        response = np.ascontiguousarray(response.reshape(-1))
    if response.shape != (n,):
        raise ValueError(f"y has shape {np.shape(y)}; X has {n} rows")
    w = None
    if weights is not None:
        w = np.ascontiguousarray(np.asarray(weights, dtype=np.float64).reshape(-1))
        if w.shape != (n,):
            raise ValueError(f"weights has shape {np.shape(weights)}; X has {n} rows")
    if not isinstance(vcov, str):
        raise TypeError("vcov must be a string such as 'hc1'")
    coef = np.empty(k)
    stderr = np.empty(k)
    covariance = np.empty((k, k), order="F")
    status = native.library().policylab_ols(
        n, k, _pointer(x), _pointer(response), _pointer(w), vcov.encode("utf-8"),
        _pointer(coef), _pointer(stderr), _pointer(covariance))
    check(status)
    return OLSResult(coef=coef, stderr=stderr, vcov=np.ascontiguousarray(covariance), vcov_type=vcov)


def estimate_csv(path, formula: str, weights: Optional[str] = None, vcov: str = "iid") -> dict[str, Any]:
    """Fits ``formula`` on the CSV file at ``path`` as ``policylab estimate … --format json``.

    Returns the parsed JSON result: ``coefficients`` (term, estimate, std_error, …),
    ``vcov_matrix``, ``nobs``, ``r_squared`` and the rest. ``vcov`` also accepts
    ``"cluster:V"`` and ``"cluster:V1,V2"``. Raises ``FileError`` for an unreadable or
    malformed file, ``ArgumentError`` for a formula that does not parse or names a missing
    column.
    """
    out = ctypes.c_void_p()
    status = native.library().policylab_estimate_csv(
        os.fsencode(path), formula.encode("utf-8"), None if weights is None else weights.encode("utf-8"),
        vcov.encode("utf-8"), ctypes.byref(out))
    check(status)
    return json.loads(native.take_string(out))

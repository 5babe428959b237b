"""PolicyLab from Python: ctypes bindings over the C ABI of libPolicyLab.so.

>>> import numpy as np, policylab
>>> X = np.column_stack([np.ones(5), [1.0, 2, 3, 4, 5]])
>>> fit = policylab.ols(X, [2.1, 3.9, 6.2, 7.8, 10.1], vcov="hc1")
>>> fit.coef, fit.stderr

The library is found through ``POLICYLAB_LIBRARY`` (see ``policylab._library``).
"""

from __future__ import annotations

from . import _library as native
from .errors import ArgumentError, DataError, FileError, NotAvailableError, PolicyLabError, check
from .estimation import OLSResult, estimate_csv, ols
from .optimize import MinimizeResult, minimize
from .simulation import simulate
from .variates import random_normal, random_uniform

__all__ = [
    "ArgumentError", "DataError", "FileError", "MinimizeResult", "NotAvailableError", "OLSResult", "PolicyLabError",
    "estimate_csv", "library_version", "minimize", "ols", "random_normal", "random_uniform", "set_threads", "simulate",
]
__version__ = "0.1.0"


def library_version() -> str:
    """The version of the loaded libPolicyLab.so."""
    return native.library().policylab_version().decode("utf-8")


def set_threads(threads: int) -> None:
    """Threads for every later call (0: one per core, the default). Results do not depend on it."""
    check(native.library().policylab_set_threads(int(threads)))

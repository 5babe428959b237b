"""Minimizing a Python function with PolicyLab's optimizers."""

from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from . import _library as native
from .errors import check

_DOUBLES = ctypes.POINTER(ctypes.c_double)


@dataclass(frozen=True)
class MinimizeResult:
    """The best point, its value, and the optimizer's report (iterations, evaluations, …)."""

    x: np.ndarray
    fun: float
    converged: bool
    message: str
    report: dict[str, Any] = field(repr=False)


def minimize(fun: Callable[[np.ndarray], float], x0=None, *, jac=None,
             bounds: Optional[Sequence[tuple]] = None, method: str = "lbfgsb", thread_safe: bool = False,
             seed: int = 0, max_evaluations: int = 0) -> MinimizeResult:
    """Minimizes ``fun(x)`` over x (a 1-D float array).

    ``jac``: a function returning the gradient, or ``True`` when ``fun`` returns
    ``(value, gradient)``; None uses parallel central differences. ``bounds``: a sequence of
    ``(low, high)`` pairs (None for no bound on that side). ``method``: ``"lbfgsb"``,
    ``"nelder-mead"``, ``"de"``, ``"cmaes"`` or ``"multistart"`` (the last three search the
    box and need finite bounds; they ignore ``x0``). ``thread_safe=True`` lets the library call
    ``fun`` from several threads at once (each call still holds the GIL). An exception raised
    by ``fun`` stops the search and is re-raised here.
    """
    if x0 is None:
        if bounds is None:
            raise ValueError("give x0, or bounds for a global method")
        n = len(bounds)
        start = None
    else:
        start = np.ascontiguousarray(np.asarray(x0, dtype=np.float64).reshape(-1))
        n = start.shape[0]
    lower = upper = None
    if bounds is not None:
        if len(bounds) != n:
            raise ValueError(f"bounds has {len(bounds)} pairs for {n} parameters")
        lower = np.array([-np.inf if b[0] is None else b[0] for b in bounds], dtype=np.float64)
        upper = np.array([np.inf if b[1] is None else b[1] for b in bounds], dtype=np.float64)

    failure: list[BaseException] = []

    def point(x_pointer, count):
        return np.ctypeslib.as_array(x_pointer, shape=(count,)).copy()

    def value(x_pointer, count, _user_data):
        if failure:
            return float("nan")
        try:
            result = fun(point(x_pointer, count))
            return float(result[0] if jac is True else result)
        except BaseException as error:  # re-raised after the search
            failure.append(error)
            return float("nan")

    def value_and_gradient(x_pointer, count, gradient_pointer, _user_data):
        if failure:
            return float("nan")
        try:
            x = point(x_pointer, count)
            if jac is True:
                f, g = fun(x)
            else:
                f, g = fun(x), jac(x)
            g = np.asarray(g, dtype=np.float64).reshape(-1)
            if g.shape != (count,):
                raise ValueError(f"the gradient has {g.size} values for {count} parameters")
            np.ctypeslib.as_array(gradient_pointer, shape=(count,))[:] = g
            return float(f)
        except BaseException as error:
            failure.append(error)
            return float("nan")

    value_callback = native.OBJECTIVE(value)
    gradient_callback = native.OBJECTIVE_GRADIENT(value_and_gradient) if jac is not None else native.OBJECTIVE_GRADIENT()
    x_out = np.empty(n)
    f_out = ctypes.c_double()
    report = ctypes.c_void_p()

    def pointer(a):
        return None if a is None else a.ctypes.data_as(_DOUBLES)

    status = native.library().policylab_minimize(
        value_callback, gradient_callback, None, 1 if thread_safe else 0, n, pointer(start), pointer(lower),
        pointer(upper), method.encode("utf-8"), int(seed), int(max_evaluations), pointer(x_out), ctypes.byref(f_out),
        ctypes.byref(report))
    if failure:
        native.take_string(report)
        raise failure[0]
    check(status)
    details = json.loads(native.take_string(report))
    return MinimizeResult(x=x_out, fun=f_out.value, converged=bool(details.get("converged")),
                          message=str(details.get("message", "")), report=details)

"""Python peers: what PolicyLab is compared against.

A :class:`Peer` separates untimed loading (``load``) from the timed operation
(``run``) and says how to reduce the result to the checksum PolicyLab reports.
Peers needing other libraries (pandas, statsmodels, pyfixest, ...) import them
inside their own functions, so a missing optional package only affects its task.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .data import load_matrix


@dataclass(frozen=True)
class Peer:
    """A peer implementation of one task.

    name      -- shown in the table, e.g. ``"numpy A @ B"``.
    load      -- (input paths, rows, cols) -> state; not timed.
    run       -- state -> result; this is what is timed.
    checksum  -- result -> float, comparable with PolicyLab's ``checksum``.
    extra     -- result -> dict of task-specific figures (evaluations, estimates), or None.
    """

    name: str
    load: Callable[[Sequence[Path], int, int], Any]
    run: Callable[[Any], Any]
    checksum: Callable[[Any], float] = lambda result: float(np.sum(result))
    extra: Callable[[Any], dict[str, Any]] | None = None


def _load_square_pair(paths: Sequence[Path], rows: int, cols: int):
    a_path, b_path = paths
    return load_matrix(a_path, rows, cols), load_matrix(b_path, cols, cols)


def _gemm(state):
    a, b = state
    return a @ b


def _load_single(paths: Sequence[Path], rows: int, cols: int):
    (x_path,) = paths
    return load_matrix(x_path, rows, cols)


def _gram(x: np.ndarray) -> np.ndarray:
    # x is Fortran-ordered, so x.T is C-contiguous and shares x's buffer;
    # numpy's matmul sees one buffer with swapped strides (the ``A.T @ A``
    # pattern) and calls BLAS syrk, then mirrors the triangle, giving the full
    # symmetric k x k matrix. Copying either operand would turn this into gemm.
    return x.T @ x


# Threads the peers may use (set by ``main`` from ``--threads``): pyarrow's CPU pool.
PEER_THREADS = 2


def _load_csv_path(paths: Sequence[Path], rows: int, cols: int):
    (path,) = paths
    return path


def _pandas_read_csv(path: Path):
    import pandas as pd

    return pd.read_csv(path, engine="c")


def _pandas_checksum(frame) -> float:
    return float(np.sum(frame.to_numpy(dtype=np.float64)))


def _load_csv_for_pyarrow(paths: Sequence[Path], rows: int, cols: int):
    import pyarrow

    pyarrow.set_cpu_count(PEER_THREADS)
    return _load_csv_path(paths, rows, cols)


def _pyarrow_read_csv(path: Path):
    import pyarrow.csv as pacsv

    return pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=True))


def _pyarrow_checksum(table) -> float:
    import pyarrow.compute as pc

    return float(sum(pc.sum(column).as_py() for column in table.columns))


NUMPY_GEMM = Peer(name="numpy A @ B", load=_load_square_pair, run=_gemm)
NUMPY_GRAM = Peer(name="numpy X.T @ X", load=_load_single, run=_gram)
PANDAS_READ_CSV = Peer(name='pandas.read_csv(engine="c")', load=_load_csv_path, run=_pandas_read_csv,
                       checksum=_pandas_checksum)
PYARROW_READ_CSV = Peer(name="pyarrow.csv.read_csv(use_threads)", load=_load_csv_for_pyarrow,
                        run=_pyarrow_read_csv, checksum=_pyarrow_checksum)


def _load_normals(paths: Sequence[Path], rows: int, cols: int):
    from .data import SEED

    return np.random.default_rng(SEED), rows


def _normals(state):
    rng, count = state
    return rng.standard_normal(count)


NUMPY_NORMALS = Peer(name="numpy default_rng().standard_normal(N)", load=_load_normals, run=_normals)

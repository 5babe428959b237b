"""The task table.

Each :class:`Task` bundles, for one benchmark:

* ``data``            -- generator: (DataStore, rows, cols) -> input paths;
* ``peer``            -- the Python peer (see :mod:`peers`);
* ``policylab_args``  -- builder: (input paths, rows, cols) -> the PolicyLab
                         arguments (the runner appends ``--repeat R --threads T``);
* ``sizes`` / ``quick_sizes`` -- (rows, cols) pairs for a normal / ``--quick`` run.

To add a task (CSV reading, OLS, fixed effects, ...), write its generator and
peer and append a row to :data:`TASKS`. ``requires`` lists Python modules the
peer needs; if one is missing the task is reported as skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import peers
from .data import DataStore

Size = tuple[int, int]


@dataclass(frozen=True)
class Task:
    """One benchmark task: data, peer and PolicyLab command."""

    name: str
    sizes: Sequence[Size]
    quick_sizes: Sequence[Size]
    data: Callable[[DataStore, int, int], list[Path]]
    peer: peers.Peer
    policylab_args: Callable[[Sequence[Path], int, int], list[str]]
    requires: Sequence[str] = ()
    notes: Sequence[str] = field(default_factory=tuple)

    def size_label(self, rows: int, cols: int) -> str:
        """``1000`` for square problems, ``1000000x20`` otherwise."""
        return f"{rows}" if rows == cols else f"{rows}x{cols}"


def _matrix_args(task: str) -> Callable[[Sequence[Path], int, int], list[str]]:
    """``bench-task TASK --input P... --rows N --cols K``."""

    def build(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
        args = ["bench-task", task]
        for p in paths:
            args += ["--input", str(p)]
        return args + ["--rows", str(rows), "--cols", str(cols)]

    return build


def _gemm_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    # Uniform [0, 1) entries make every entry of C positive, so the checksum
    # (sum of C) has no cancellation and a 1e-9 relative check is meaningful.
    return [store.matrix("gemm_A", rows, cols, "uniform"),
            store.matrix("gemm_B", cols, cols, "uniform")]


def _gram_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    # sum of X'X = |X 1|^2 >= 0, well conditioned with normal data.
    return [store.matrix("gram_X", rows, cols, "normal")]


TASKS: list[Task] = [
    Task(
        name="gemm",
        sizes=[(500, 500), (1000, 1000), (4000, 4000)],
        quick_sizes=[(500, 500)],
        data=_gemm_data,
        peer=peers.NUMPY_GEMM,
        policylab_args=_matrix_args("gemm"),
        notes=("C = A B, n x n, A and B uniform [0,1); checksum = sum of C",),
    ),
    Task(
        name="gram",
        sizes=[(1_000_000, 20), (1_000_000, 100)],
        quick_sizes=[(200_000, 20), (200_000, 100)],
        data=_gram_data,
        peer=peers.NUMPY_GRAM,
        policylab_args=_matrix_args("gram"),
        notes=(
            "X'X for X n x k standard normal; checksum = sum of the full symmetric k x k result",
            "numpy loads X as a Fortran-ordered (column-major) array from the same bytes "
            "PolicyLab reads, so X.T is C-contiguous over the same buffer. numpy's matmul "
            "calls BLAS syrk (one triangle, then mirrored) only when both operands share the "
            "buffer with swapped strides and are BLAS-able with opposite transposes: true for "
            "X.T @ X with X Fortran- or C-ordered, lost if X.T or X is copied. With X "
            "Fortran-ordered (as here) syrk gets X.T as the row-major NoTrans operand",
        ),
    ),
]


def select(only: str | None) -> list[Task]:
    """Tasks named in a comma-separated ``--only`` value, or all of them."""
    if not only:
        return list(TASKS)
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    known = {t.name: t for t in TASKS}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise SystemExit(f"unknown task(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[w] for w in wanted]

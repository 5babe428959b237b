"""The task table.

Each :class:`Task` bundles, for one benchmark:

* ``data``            -- generator: (DataStore, rows, cols) -> input paths;
* ``peer``            -- the Python peer (see :mod:`peers`);
* ``policylab_args``  -- builder: (input paths, rows, cols) -> the PolicyLab
                         arguments (the runner appends ``--repeat R --threads T``);
* ``sizes`` / ``quick_sizes`` -- (rows, cols) pairs for a normal / ``--quick`` run.

To add a task (OLS, fixed effects, ...), write its generator and peer and
append a row to :data:`TASKS`. A task with several peers is one row per peer
sharing a ``group`` (``csv`` runs pandas and pyarrow). ``requires`` lists Python modules the
peer needs; if one is missing the task is reported as skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import peers
from .data import DataStore, write_csv

Size = tuple[int, int]


@dataclass(frozen=True)
class Task:
    """One benchmark task: data, peer and PolicyLab command."""

    name: str
    sizes: Sequence[Size]
    quick_sizes: Sequence[Size]
    data: Callable[[DataStore, int, int], list[Path]]
    # ``None``: PolicyLab alone (e.g. a size no peer fits in memory); no ratio.
    peer: peers.Peer | None
    policylab_args: Callable[[Sequence[Path], int, int], list[str]]
    requires: Sequence[str] = ()
    notes: Sequence[str] = field(default_factory=tuple)
    # ``--only GROUP`` selects every task of a group (one task per peer, e.g. csv).
    group: str | None = None
    # The ``task`` PolicyLab reports in its JSON when it differs from ``name`` (a group's
    # tasks all run the same PolicyLab command).
    policylab_task: str | None = None
    # PolicyLab threads for this task (``None``: ``--threads``). The normals tasks pin 1 and
    # 2 so that one run reports the per-core ratio and the 1 -> 2 thread scaling.
    threads: int | None = None
    # Maps a command's own JSON onto the bench-task contract (``None``: it is bench-task).
    output_adapter: Callable[[dict[str, Any], int, int], dict[str, Any]] | None = None
    # False when PolicyLab and the peer cannot agree bit for bit (different random streams).
    compare_checksum: bool = True
    # When set, the ``beta###`` extras of PolicyLab and the peer must agree to this relative
    # tolerance (estimates); ``se###`` differences are reported beside them.
    coef_rtol: float | None = None
    # True: PolicyLab's command is timed as a whole process by the harness (wall clock, no
    # ``--repeat``; its JSON goes through ``output_adapter`` into ``policylab_extra``).
    process_wall: bool = False

    @property
    def reported_task(self) -> str:
        """The task name PolicyLab's ``bench-task`` JSON must carry."""
        return self.policylab_task or self.name

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


def _csv_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    # Standard normal draws written as Python repr (pandas to_csv's format), ~19.6 bytes a value.
    return [write_csv(store, "csv_X", rows, cols, "normal")]


_CSV_NOTES = (
    "CSV of rows x cols standard normal doubles with a header, each value written as Python "
    "repr (shortest round-trip text, up to 17 significant digits, as pandas.DataFrame.to_csv "
    "writes floats); fixed seed. Each timed run parses the whole file into memory (page cache "
    "warm). PolicyLab: CSVReader.read(path:) into a Table with --threads threads; "
    "checksum = sum of all values",
)


def _no_data(store: DataStore, rows: int, cols: int) -> list[Path]:
    return []


def _normals_args(paths: Sequence[Path], rows: int, cols: int) -> list[str]:
    """``random normal --count N --seed S`` (the runner adds --repeat and --threads)."""
    return ["random", "normal", "--count", str(rows), "--seed", "20261129"]


def _random_output(out: dict[str, Any], rows: int, cols: int) -> dict[str, Any]:
    """``policylab random`` JSON (timings under "run") -> the bench-task contract."""
    run = out["run"]
    seconds = [float(s) for s in run["all_seconds"]]
    ordered = sorted(seconds)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return {"task": "normals", "rows": int(out["count"]), "cols": 1, "threads": int(run["threads"]),
            "seconds": seconds, "best": float(run["seconds"]), "median": median,
            "checksum": float(out["mean"]) * int(out["count"])}


_NORMALS_NOTES = (
    "rows = N standard normal doubles into a fresh array; no input files. PolicyLab: "
    "`policylab random normal --count N` (Philox4x32-10, Box-Muller, SIMD; run.seconds = the "
    "fill); peer: numpy.random.default_rng(seed).standard_normal(N) (PCG64 + ziggurat, "
    "single-threaded whatever threadpoolctl says). The draws differ by design, so there is "
    "no checksum comparison (check column '-'); PolicyLab's mean and variance are in its JSON",
)

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
    Task(
        name="csv",
        group="csv",
        sizes=[(1_000_000, 20)],
        quick_sizes=[(100_000, 20)],
        data=_csv_data,
        peer=peers.PANDAS_READ_CSV,
        policylab_args=_matrix_args("csv"),
        requires=("pandas",),
        notes=_CSV_NOTES + ("peer: pandas.read_csv(path, engine='c') (its C parser)",),
    ),
    Task(
        name="csv-pyarrow",
        group="csv",
        sizes=[(1_000_000, 20)],
        quick_sizes=[(100_000, 20)],
        data=_csv_data,
        peer=peers.PYARROW_READ_CSV,
        policylab_args=_matrix_args("csv"),
        policylab_task="csv",
        requires=("pyarrow",),
        notes=_CSV_NOTES + ("peer: pyarrow.csv.read_csv(path, ReadOptions(use_threads=True)) "
                            "after pyarrow.set_cpu_count(--threads)",),
    ),
    Task(
        name="normals",
        group="normals",
        sizes=[(100_000_000, 1)],
        quick_sizes=[(10_000_000, 1)],
        data=_no_data,
        peer=peers.NUMPY_NORMALS,
        policylab_args=_normals_args,
        threads=1,
        output_adapter=_random_output,
        compare_checksum=False,
        notes=_NORMALS_NOTES + ("PolicyLab on 1 thread: the per-core ratio",),
    ),
    Task(
        name="normals-2t",
        group="normals",
        policylab_task="normals",
        sizes=[(100_000_000, 1)],
        quick_sizes=[(10_000_000, 1)],
        data=_no_data,
        peer=peers.NUMPY_NORMALS,
        policylab_args=_normals_args,
        threads=2,
        output_adapter=_random_output,
        compare_checksum=False,
        notes=_NORMALS_NOTES + ("PolicyLab on 2 threads against single-threaded numpy; "
                                "PolicyLab's 1 -> 2 thread scaling = normals best / normals-2t best",),
    ),
]


from . import optimization, regression  # noqa: E402  (need Task, defined above)

TASKS += optimization.tasks(Task)
TASKS += regression.tasks(Task)

from . import simulation  # noqa: E402  (needs Task)

TASKS += simulation.tasks(Task)


def select(only: str | None) -> list[Task]:
    """Tasks named (or whose group is named) in a comma-separated ``--only`` value, or all."""
    if not only:
        return list(TASKS)
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    known = {t.name for t in TASKS} | {t.group for t in TASKS if t.group}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise SystemExit(f"unknown task(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [t for t in TASKS if t.name in wanted or (t.group is not None and t.group in wanted)]

"""Deterministic benchmark inputs.

Matrices are written as raw little-endian float64 in column-major (Fortran)
order with no header, e.g. ``gemm_A_1000.f64`` or ``gram_X_1000000x20.f64``.
CSV inputs (``csv_X_1000000x20.csv``) hold the same kind of draws as text: a
header ``x1,...,xK`` and one row per line, each value written as Python's
``repr`` -- the shortest text that round-trips, up to 17 significant digits,
exactly as ``pandas.DataFrame.to_csv`` writes floats.
Every file gets its own random stream derived from the fixed seed and the file
name (``default_rng([SEED, crc32(name)])``), so a file's content does not depend
on which other files were generated before it. Existing files of the right
size are reused.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import numpy as np

SEED = 20261129
DTYPE = np.dtype("<f8")


def matrix_filename(prefix: str, rows: int, cols: int) -> str:
    """``gemm_A_1000.f64`` for square matrices, ``gram_X_1000000x20.f64`` otherwise."""
    size = f"{rows}" if rows == cols else f"{rows}x{cols}"
    return f"{prefix}_{size}.f64"


def rng_for(name: str) -> np.random.Generator:
    """The random stream of one data file: fixed seed plus a hash of its name."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


class DataStore:
    """Creates (or reuses) benchmark input files in one directory."""

    def __init__(self, directory: Path, log=print):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.log = log

    def matrix(self, prefix: str, rows: int, cols: int, dist: str = "normal") -> Path:
        """Path of a rows x cols float64 matrix file, generating it if needed.

        ``dist`` is ``"normal"`` (standard normal) or ``"uniform"`` ([0, 1)).
        Columns are drawn one after another, which is exactly column-major
        order on disk, so memory stays at one column.
        """
        name = matrix_filename(prefix, rows, cols)
        path = self.directory / name
        expected = rows * cols * DTYPE.itemsize
        if path.exists() and path.stat().st_size == expected:
            return path
        self.log(f"generating {path} ({rows}x{cols}, {dist}, {expected / 2**20:.0f} MiB)")
        rng = rng_for(name)
        draw = {"normal": rng.standard_normal, "uniform": rng.random}[dist]
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            for _ in range(cols):
                draw(rows).astype(DTYPE, copy=False).tofile(f)
        os.replace(tmp, path)
        return path


def csv_filename(prefix: str, rows: int, cols: int) -> str:
    """``csv_X_1000000x20.csv``."""
    return f"{prefix}_{rows}x{cols}.csv"


def write_csv(store: "DataStore", prefix: str, rows: int, cols: int, dist: str = "normal") -> Path:
    """Path of a rows x cols CSV of random doubles (see the module docstring), generated if needed.

    Rows are drawn in blocks of 50,000 from the file's own stream, so the content
    depends only on the seed, the name and the shape. The file is written to a
    temporary name and renamed, so an existing file is always complete.
    """
    name = csv_filename(prefix, rows, cols)
    path = store.directory / name
    if path.exists():
        return path
    store.log(f"generating {path} ({rows}x{cols}, {dist}, Python repr text; this takes a while)")
    rng = rng_for(name)
    draw = {"normal": rng.standard_normal, "uniform": rng.random}[dist]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        f.write(",".join(f"x{j + 1}" for j in range(cols)) + "\n")
        block = 50_000
        for start in range(0, rows, block):
            values = draw((min(block, rows - start), cols)).tolist()
            f.write("\n".join(",".join(map(repr, row)) for row in values) + "\n")
    os.replace(tmp, path)
    return path


def load_matrix(path: Path, rows: int, cols: int) -> np.ndarray:
    """Load a raw column-major float64 file as a Fortran-ordered (rows, cols) array."""
    flat = np.fromfile(path, dtype=DTYPE)
    if flat.size != rows * cols:
        raise ValueError(f"{path}: {flat.size} values, expected {rows}x{cols}")
    return flat.reshape((rows, cols), order="F")

"""Simulation from a ``policylab simulate`` spec."""

from __future__ import annotations

import ctypes
import json
import os
from typing import Any, Optional

from . import _library as native
from .errors import check


def simulate(spec_yaml: str, directory: Optional[os.PathLike | str] = None) -> dict[str, Any]:
    """Runs the simulation a YAML (or JSON) spec describes, as ``policylab simulate SPEC
    --format json``, and returns its result (per scenario and group: point, mean, sd, Monte
    Carlo SE and interval of every measure).

    Relative paths in the spec (model and population files) are read from ``directory``
    (default: the current directory). Raises ``DataError`` for a spec that does not parse or
    has invalid values (the message names line, column and key), ``FileError`` for a file that
    cannot be read.
    """
    out = ctypes.c_void_p()
    folder = None if directory is None else os.fsencode(directory)
    check(native.library().policylab_simulate(spec_yaml.encode("utf-8"), folder, ctypes.byref(out)))
    return json.loads(native.take_string(out))

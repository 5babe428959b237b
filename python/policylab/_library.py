"""Finding and loading libPolicyLab.so, and the ctypes prototypes of include/policylab.h.

The library is looked up, in order:

1. ``POLICYLAB_LIBRARY``: the path of libPolicyLab.so (or of the folder holding it);
2. the build folders of the repository, when this package runs from its source tree
   (``<repo>/.build/release``, then ``<repo>/.build/debug``);
3. the system loader (``LD_LIBRARY_PATH``, ldconfig's folders).

Build it with ``scripts/build-c-library`` (prints the folder).
"""

from __future__ import annotations

import ctypes
import os
import threading
from ctypes import POINTER, c_char_p, c_double, c_int32, c_int64, c_uint32, c_uint64, c_void_p
from pathlib import Path

LIBRARY_NAME = "libPolicyLab.so"

# Status codes (policylab.h).
OK = 0
ERROR_ARGUMENT = 1
ERROR_DATA = 2
ERROR_FILE = 3
ERROR_NOT_AVAILABLE = 4
ERROR_INTERNAL = 5

# Callback types (policylab_objective, policylab_objective_gradient).
OBJECTIVE = ctypes.CFUNCTYPE(c_double, POINTER(c_double), c_int64, c_void_p)
OBJECTIVE_GRADIENT = ctypes.CFUNCTYPE(c_double, POINTER(c_double), c_int64, POINTER(c_double), c_void_p)

_DOUBLES = POINTER(c_double)
_PROTOTYPES = {
    "policylab_version": (c_char_p, []),
    "policylab_last_error": (c_char_p, []),
    "policylab_free": (None, [c_void_p]),
    "policylab_set_threads": (c_int32, [c_int32]),
    "policylab_ols": (c_int32, [c_int64, c_int64, _DOUBLES, _DOUBLES, _DOUBLES, c_char_p, _DOUBLES, _DOUBLES, _DOUBLES]),
    "policylab_estimate_csv": (c_int32, [c_char_p, c_char_p, c_char_p, c_char_p, POINTER(c_void_p)]),
    "policylab_simulate": (c_int32, [c_char_p, c_char_p, POINTER(c_void_p)]),
    "policylab_random_normal": (c_int32, [c_uint64, c_uint32, c_int64, c_int64, _DOUBLES]),
    "policylab_random_uniform": (c_int32, [c_uint64, c_uint32, c_int64, c_int64, _DOUBLES]),
    "policylab_minimize": (c_int32, [OBJECTIVE, OBJECTIVE_GRADIENT, c_void_p, c_int32, c_int64, _DOUBLES, _DOUBLES,
                                     _DOUBLES, c_char_p, c_uint64, c_int64, _DOUBLES, _DOUBLES, POINTER(c_void_p)]),
}

_lock = threading.Lock()
_library: ctypes.CDLL | None = None


def _candidates() -> list[str]:
    found: list[str] = []
    configured = os.environ.get("POLICYLAB_LIBRARY")
    if configured:
        path = Path(configured)
        found.append(str(path / LIBRARY_NAME if path.is_dir() else path))
        return found  # an explicit setting is the only place looked at
    repo = Path(__file__).resolve().parent.parent.parent
    if (repo / "Package.swift").is_file() and (repo / "include" / "policylab.h").is_file():
        for configuration in ("release", "debug"):
            for name in (LIBRARY_NAME, "libCPolicyLab.so"):
                candidate = repo / ".build" / configuration / name
                if candidate.exists():
                    found.append(str(candidate))
    found.append(LIBRARY_NAME)  # the system loader's search path
    return found


def library() -> ctypes.CDLL:
    """The loaded library with its prototypes set (loaded on first use)."""
    global _library
    with _lock:
        if _library is not None:
            return _library
        errors = []
        for candidate in _candidates():
            try:
                lib = ctypes.CDLL(candidate)
            except OSError as error:
                errors.append(f"{candidate}: {error}")
                continue
            for name, (restype, argtypes) in _PROTOTYPES.items():
                function = getattr(lib, name)
                function.restype = restype
                function.argtypes = argtypes
            _library = lib
            return lib
        raise OSError(
            "libPolicyLab.so not found; build it with scripts/build-c-library and set POLICYLAB_LIBRARY "
            "to the library (or its folder). Tried: " + "; ".join(errors))


def take_string(pointer: c_void_p) -> str:
    """The library-allocated string at `pointer`, decoded, then freed."""
    if not pointer.value:
        return ""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        library().policylab_free(pointer)

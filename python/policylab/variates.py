"""Random variates of the counter-based generator, identical to ``policylab random``."""

from __future__ import annotations

import ctypes

import numpy as np

from . import _library as native
from .errors import check


def _fill(function, count: int, seed: int, replicate: int, offset: int) -> np.ndarray:
    count, seed, replicate, offset = int(count), int(seed), int(replicate), int(offset)
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed must be in [0, 2**64), got {seed}")
    if not 0 <= replicate < 2**32:
        raise ValueError(f"replicate must be in [0, 2**32), got {replicate}")
    if not -2**63 <= offset < 2**63 or not -2**63 <= count < 2**63:
        raise ValueError("offset and count must fit a signed 64-bit integer")
    out = np.empty(max(count, 0))
    status = function(seed, replicate, offset, count, out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
    check(status)
    return out


def random_normal(count: int, seed: int, replicate: int = 0, offset: int = 0) -> np.ndarray:
    """Standard normals ``offset … offset+count-1`` of the stream (seed, replicate): the same
    bits ``policylab random normal --seed SEED --replicate REPLICATE --raw FILE`` writes."""
    return _fill(native.library().policylab_random_normal, count, seed, replicate, offset)


def random_uniform(count: int, seed: int, replicate: int = 0, offset: int = 0) -> np.ndarray:
    """Uniforms on [0, 1) at the same addresses (``policylab random uniform``)."""
    return _fill(native.library().policylab_random_uniform, count, seed, replicate, offset)

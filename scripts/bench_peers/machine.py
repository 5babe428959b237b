"""Machine, package and BLAS facts recorded with every benchmark run."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import resource
import subprocess
import sys
import time
from typing import Any

PEER_PACKAGES = ("numpy", "scipy", "pandas", "pyarrow", "statsmodels", "linearmodels",
                 "pyfixest", "threadpoolctl")
OPENBLAS_ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
ORIG_PREFIX = "BENCH_PEERS_ORIG_"  # set by scripts/bench-peers for variables it unset


def cpu_model() -> str:
    """The first ``model name`` of /proc/cpuinfo (or platform.processor())."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    """uname -a, CPU model, core counts, Python version."""
    try:
        uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    except OSError:
        uname = " ".join(platform.uname())
    return {
        "uname": uname,
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "cores_available": len(os.sched_getaffinity(0)),
        "python": sys.version.split()[0],
    }


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (a busy machine makes timings noisy)."""
    return [round(x, 2) for x in os.getloadavg()]


class ForeignCpu:
    """Measures CPU time used by *other* processes over an interval.

    Machine-wide busy time from /proc/stat minus the CPU time of this process
    and its waited-for children (the PolicyLab runs). A concurrent build or
    test run shows up here and makes the interval's timings suspect.
    """

    def __init__(self):
        self._start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float, float]:
        tick = os.sysconf("SC_CLK_TCK")
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        busy = (sum(v) - v[3] - v[4]) / tick  # all but idle and iowait
        own = sum(getattr(resource.getrusage(who), attr)
                  for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                  for attr in ("ru_utime", "ru_stime"))
        return time.monotonic(), busy, own, v[7] / tick

    def result(self) -> dict[str, float]:
        """Wall seconds, other processes' CPU seconds and share of the machine, steal."""
        t1, busy1, own1, steal1 = self._sample()
        t0, busy0, own0, steal0 = self._start
        wall = t1 - t0
        other = max(0.0, (busy1 - busy0) - (own1 - own0))
        return {"wall_seconds": round(wall, 3), "other_cpu_seconds": round(other, 3),
                "other_share": round(other / (wall * (os.cpu_count() or 1)), 3) if wall else 0.0,
                "steal_seconds": round(steal1 - steal0, 3)}


def now() -> str:
    """Local date and time, ISO 8601 with offset."""
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def package_versions() -> dict[str, str | None]:
    """Installed versions of the peer packages (None if absent)."""
    versions = {}
    for name in PEER_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def openblas_environment() -> dict[str, Any]:
    """OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE as found, and what was done with them.

    ``scripts/bench-peers`` unsets them for the Python (peer) process before
    numpy loads OpenBLAS, passing the original values as BENCH_PEERS_ORIG_*.
    They are restored for the PolicyLab subprocess only.
    """
    original = {v: os.environ.get(ORIG_PREFIX + v) for v in OPENBLAS_ENV_VARS}
    still_set = {v: os.environ[v] for v in OPENBLAS_ENV_VARS if v in os.environ}
    unset = [v for v, val in original.items() if val is not None]
    return {
        "original": original,
        "unset_for_peer": unset,
        "set_in_peer_process": still_set,
        "note": ("unset for the numpy peer process only (they can force a slow OpenBLAS "
                 "kernel in current numpy); PolicyLab ran with the original values")
        if unset else "not set",
    }


def policylab_env() -> dict[str, str]:
    """Environment for the PolicyLab subprocess: ours plus the original OpenBLAS variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ORIG_PREFIX)}
    for var in OPENBLAS_ENV_VARS:
        value = os.environ.get(ORIG_PREFIX + var)
        if value is not None:
            env[var] = value
    return env


def linked_blas(binary: str) -> list[str]:
    """BLAS/LAPACK shared libraries the PolicyLab binary links (from ldd; [] if none)."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return []
    keys = ("blas", "lapack", "mkl", "blis", "accelerate")
    return [line.strip() for line in out.splitlines() if any(k in line.lower() for k in keys)]


def blas_info() -> dict[str, Any]:
    """threadpoolctl's threadpool_info() plus numpy's OpenBLAS kernel and build config.

    Call after numpy is imported and inside the threadpool_limits context, so
    num_threads shows the limit in force.
    """
    import numpy as np
    from threadpoolctl import threadpool_info

    pools = threadpool_info()
    numpy_dir = os.path.dirname(np.__file__)  # wheels keep OpenBLAS in numpy.libs/ beside it
    numpy_pools = [p for p in pools
                   if os.path.dirname(p.get("filepath", "")).startswith(numpy_dir)]
    numpy_pool = (numpy_pools or [p for p in pools if p.get("user_api") == "blas"] or [{}])[0]
    try:
        build_blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception:  # older numpy: no mode="dicts"
        build_blas = None
    return {
        "numpy_version": np.__version__,
        "numpy_blas": {k: numpy_pool.get(k) for k in
                       ("internal_api", "version", "architecture", "threading_layer",
                        "num_threads", "filepath")},
        "numpy_build_blas": build_blas,
        "threadpool_info": pools,
    }

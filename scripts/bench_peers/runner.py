"""Interleaved timing of PolicyLab and its peer on the same data.

For each (task, size): generate/reuse the inputs, load them for the peer
(untimed), then for each round run PolicyLab (a subprocess doing ``--repeat R``
timed repeats of its own, load excluded) followed by the peer (``R`` timed
repeats in this process, load excluded). All seconds of a side are pooled over
the rounds; best (min) and median are reported. Each PolicyLab checksum is
compared with the peer's result sum.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import math
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import machine
from .data import DataStore
from .tasks import Task

CHECKSUM_RTOL = 1e-9
CONTRACT_KEYS = {"task", "rows", "cols", "threads", "seconds", "best", "median", "checksum"}
BUSY_SHARE = 0.05  # other processes' share of all cores above which a case is flagged noisy


class PolicyLabError(RuntimeError):
    """PolicyLab failed or broke the ``bench-task`` output contract."""


@dataclass(frozen=True)
class Settings:
    """What every case is run with."""

    policylab: str
    rounds: int
    repeat: int
    threads: int
    policylab_env: dict[str, str]


def summarize(seconds: Sequence[float]) -> dict[str, Any]:
    """Best, median and all samples of one side."""
    return {"best": min(seconds), "median": statistics.median(seconds), "seconds": list(seconds)}


def relative_difference(value: float, reference: float) -> float:
    """|value - reference| / |reference| (absolute difference if reference is 0)."""
    if not math.isfinite(value) or not math.isfinite(reference):
        return math.inf
    scale = abs(reference) if reference != 0 else 1.0
    return abs(value - reference) / scale


def run_policylab(cmd: list[str], env: dict[str, str], task: str, rows: int, cols: int,
                  repeat: int, threads: int,
                  adapter: Callable[[dict[str, Any], int, int], dict[str, Any]] | None = None,
                  ) -> tuple[dict[str, Any], list[str]]:
    """Run one PolicyLab ``bench-task`` and validate its JSON; returns (output, warnings)."""
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise PolicyLabError(f"exit status {proc.returncode}: {tail}")
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise PolicyLabError(
            f"stdout is not one JSON object ({exc}): {proc.stdout[:500]!r}") from None
    if not isinstance(out, dict):
        raise PolicyLabError(f"stdout is not a JSON object: {proc.stdout[:500]!r}")
    if adapter is not None:  # a command with its own JSON (e.g. ``random``) -> the contract
        try:
            out = adapter(out, rows, cols)
        except (KeyError, TypeError, ValueError) as exc:
            raise PolicyLabError(f"unexpected JSON ({exc!r}): {proc.stdout[:500]!r}") from None
    missing = CONTRACT_KEYS - out.keys()
    if missing:
        raise PolicyLabError(f"JSON lacks {sorted(missing)}: {proc.stdout[:500]!r}")
    if (out["task"], out["rows"], out["cols"]) != (task, rows, cols):
        raise PolicyLabError(f"JSON is for {out['task']} {out['rows']}x{out['cols']}, "
                             f"asked for {task} {rows}x{cols}")
    seconds = out["seconds"]
    if not (isinstance(seconds, list) and len(seconds) == repeat
            and all(isinstance(s, (int, float)) and s >= 0 for s in seconds)):
        raise PolicyLabError(f"'seconds' should be {repeat} non-negative numbers: {seconds!r}")
    warnings = []
    if not math.isclose(out["best"], min(seconds), rel_tol=1e-6, abs_tol=1e-9):
        warnings.append(f"PolicyLab 'best' {out['best']} is not min(seconds) {min(seconds)}")
    if out["threads"] != threads:
        warnings.append(f"PolicyLab reports threads={out['threads']}, asked for {threads}")
    return out, warnings


def run_policylab_process(cmd: list[str], env: dict[str, str], task: Task, rows: int, cols: int,
                          repeat: int) -> tuple[dict[str, Any], list[str]]:
    """Run a whole PolicyLab command ``repeat`` times, timing each process (wall clock, start-up
    included); its JSON (the last run's) goes through ``task.output_adapter`` into ``extra``."""
    from .regression import run_process_rusage

    seconds, peaks, extra = [], [], {}
    for _ in range(repeat):
        try:
            wall, peak, stdout, _ = run_process_rusage(cmd, env)
        except RuntimeError as exc:
            raise PolicyLabError(str(exc)) from None
        seconds.append(wall)
        peaks.append(peak)
        try:
            out = json.loads(stdout)
            extra = task.output_adapter(out, rows, cols) if task.output_adapter else {}
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise PolicyLabError(f"unexpected output ({exc!r}): {stdout[:500]!r}") from None
    extra = dict(extra, peak_rss_bytes=max(peaks))
    checksum = sum(v for k, v in extra.items() if k.startswith("beta"))
    return ({"task": task.reported_task, "rows": rows, "cols": cols, "seconds": seconds, "best": min(seconds),
             "median": statistics.median(seconds), "checksum": checksum, "extra": extra}, [])


def coefficient_agreement(pl: dict[str, Any] | None, peer: dict[str, Any] | None, rtol: float) -> dict[str, Any]:
    """Largest relative differences of the ``beta###`` and ``se###`` extras (PolicyLab vs peer)."""
    pl, peer = pl or {}, peer or {}
    betas = sorted(k for k in pl if k.startswith("beta"))
    ses = sorted(k for k in pl if k.startswith("se") and k[2:].isdigit())
    same_terms = betas == sorted(k for k in peer if k.startswith("beta")) and bool(betas)
    beta_diff = max((relative_difference(float(pl[k]), float(peer[k])) for k in betas if k in peer), default=math.inf)
    se_diff = max((relative_difference(float(pl[k]), float(peer[k])) for k in ses if k in peer), default=math.inf)
    return {"count": len(betas), "same_terms": same_terms, "beta_max_relative_difference": beta_diff,
            "se_max_relative_difference": se_diff, "tolerance": rtol, "ok": same_terms and beta_diff < rtol}


def time_peer(task: Task, state: Any, repeat: int) -> tuple[list[float], float, dict[str, Any] | None]:
    """Time ``repeat`` runs of the peer; returns (seconds, checksum and extras of the last result)."""
    seconds, result = [], None
    for _ in range(repeat):
        result = None  # free the previous result before timing the next run
        # Untimed: peers (pyfixest's fit objects) can leave large arrays in reference cycles;
        # without a collection between runs they pile up (24 GB after a few 10^6 x 100 fits).
        gc.collect()
        t0 = time.perf_counter()
        result = task.peer.run(state)
        seconds.append(time.perf_counter() - t0)
    extra = task.peer.extra(result) if task.peer.extra is not None else None
    return seconds, task.peer.checksum(result), extra


def missing_requirements(task: Task) -> list[str]:
    """Python modules the task's peer needs but cannot import."""
    return [m for m in task.requires if importlib.util.find_spec(m) is None]


def run_case(task: Task, rows: int, cols: int, store: DataStore, settings: Settings,
             log: Callable[[str], None]) -> dict[str, Any]:
    """Benchmark one task at one size; returns a result row (never raises PolicyLabError)."""
    size = task.size_label(rows, cols)
    row: dict[str, Any] = {
        "task": task.name, "size": size, "rows": rows, "cols": cols,
        "threads": task.threads or settings.threads, "rounds": settings.rounds, "repeat": settings.repeat,
        "peer_name": task.peer.name if task.peer is not None else "-", "status": "ok", "warnings": [],
    }
    missing = missing_requirements(task)
    if missing:
        row.update(status="skipped", error=f"missing Python module(s): {', '.join(missing)}")
        log(f"{task.name} {size}: skipped ({row['error']})")
        return row

    paths = task.data(store, rows, cols)
    threads = task.threads or settings.threads
    cmd = [settings.policylab, *task.policylab_args(paths, rows, cols)]
    cmd += ["--threads", str(threads)] if task.process_wall else ["--repeat", str(settings.repeat), "--threads", str(threads)]
    row["command"] = cmd
    state = task.peer.load(paths, rows, cols) if task.peer is not None else None

    foreign = machine.ForeignCpu()
    pl_seconds: list[float] = []
    peer_seconds: list[float] = []
    pl_checksums: list[float] = []
    peer_checksum = math.nan
    try:
        for r in range(1, settings.rounds + 1):
            if task.process_wall:
                out, warnings = run_policylab_process(cmd, settings.policylab_env, task, rows, cols, settings.repeat)
            else:
                out, warnings = run_policylab(cmd, settings.policylab_env, task.reported_task, rows, cols,
                                              settings.repeat, threads, task.output_adapter)
            for w in warnings:
                if w not in row["warnings"]:
                    row["warnings"].append(w)
                    log(f"{task.name} {size}: WARNING {w}")
            pl_seconds += out["seconds"]
            pl_checksums.append(float(out["checksum"]))
            if out.get("extra") is not None:
                row["policylab_extra"] = out["extra"]
            message = f"{task.name} {size} round {r}/{settings.rounds}: PolicyLab best {min(out['seconds']):.4f}s"
            if task.peer is not None:
                seconds, peer_checksum, peer_extra = time_peer(task, state, settings.repeat)
                if peer_extra is not None:
                    row["peer_extra"] = peer_extra
                peer_seconds += seconds
                message += f", peer best {min(seconds):.4f}s"
            log(message + f" (load {machine.load_average()[0]:.2f})")
    except PolicyLabError as exc:
        row.update(status="error", error=f"PolicyLab: {exc}")
        log(f"{task.name} {size}: ERROR {row['error']}")
    finally:
        del state
        gc.collect()

    row["machine_noise"] = foreign.result()
    row["noisy"] = row["machine_noise"]["other_share"] > BUSY_SHARE
    if row["noisy"]:
        note = (f"other processes used {row['machine_noise']['other_cpu_seconds']:.1f} CPU s "
                f"({100 * row['machine_noise']['other_share']:.0f}% of the machine) during "
                "this case: timings are noisy")
        row["warnings"].append(note)
        log(f"{task.name} {size}: WARNING {note}")
    if pl_seconds:
        row["policylab"] = summarize(pl_seconds)
    if peer_seconds:
        row["peer"] = summarize(peer_seconds)
    if pl_seconds and peer_seconds:
        row["ratio"] = row["peer"]["best"] / row["policylab"]["best"]
        row["ratio_median"] = row["peer"]["median"] / row["policylab"]["median"]
    if task.coef_rtol is not None and row["status"] == "ok" and task.peer is not None:
        agreement = coefficient_agreement(row.get("policylab_extra"), row.get("peer_extra"), task.coef_rtol)
        row["coefficients"] = agreement
        if not agreement["ok"]:
            row["status"] = "coefficient-mismatch"
            log(f"!!! {task.name} {size}: COEFFICIENTS DISAGREE: {agreement}")
        else:
            log(f"{task.name} {size}: {agreement['count']} coefficients agree to "
                f"{agreement['beta_max_relative_difference']:.2e} (SEs {agreement['se_max_relative_difference']:.2e})")
    if pl_checksums and task.compare_checksum:
        diff = max(relative_difference(c, peer_checksum) for c in pl_checksums)
        ok = diff < CHECKSUM_RTOL
        row["checksum"] = {"policylab": pl_checksums, "peer": peer_checksum,
                           "max_relative_difference": diff, "tolerance": CHECKSUM_RTOL, "ok": ok}
        if not ok and row["status"] == "ok":
            row["status"] = "checksum-mismatch"
            log(f"!!! {task.name} {size}: CHECKSUM MISMATCH: PolicyLab {pl_checksums} vs "
                f"peer {peer_checksum!r} (relative difference {diff:.3e} >= {CHECKSUM_RTOL:g})")
    return row

"""Streaming OLS on a CSV file larger than the memory the process may use (issue 4).

    PYTHONPATH=scripts .venv-bench/bin/python -m bench_peers.streaming --policylab BIN \\
        [--copies 13] [--limit-bytes 1073741824] [--threads 2] [--chunk-rows 100000] [--keep]

Builds BIG.csv under /tmp from ``copies`` copies of the body of the 10^6 x 20 file of the
``csv-ols`` task (bench-out/data/csv_ols_1000000x20.csv, generated if missing; 392.6 MB each,
so 13 copies are 5.1 GB), then runs

    /usr/bin/time -v prlimit --as=LIMIT -- policylab estimate BIG.csv --formula 'y ~ x1 + ... + x19'
        --stream --chunk-rows R --vcov hc1 --format json --threads T

and reports wall time, peak RSS (``Maximum resident set size``) and the exit status. Check of
the result, subset-free: the big file is the small one repeated, so its X'X and X'y are
``copies`` times the small file's and the OLS coefficients are identical; they are compared
(1e-10 relative) with the in-memory ``policylab estimate`` of the small file. The HC1 standard
errors must equal the small file's times sqrt((1/copies) (N/(N-k)) / (n/(n-k))).

Why ``prlimit --as`` and not ``systemd-run --scope -p MemoryMax=1G``: this machine's PID 1 is
not systemd (systemd-run fails: "System has not been booted with systemd"), and its memory
cgroup belongs to the sandbox. RLIMIT_AS caps *virtual* address space, which is stricter than
a resident-memory cap: thread stacks, glibc's per-thread malloc arenas (64 MiB reserved each)
and OpenBLAS's buffers count in full although little of them is ever resident.
The big file is deleted at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import machine
from .data import DataStore
from .regression import _csv_ols_data, csv_formula


def log(message: str) -> None:
    print(f"[bench-streaming] {message}", file=sys.stderr, flush=True)


def build_big_file(source: Path, target: Path, copies: int) -> int:
    """Header once, then ``copies`` copies of ``source``'s body; returns the byte count."""
    with open(source, "rb") as f:
        header = f.readline()
        body_start = f.tell()
    with open(target, "wb") as out:
        out.write(header)
        for _ in range(copies):
            with open(source, "rb") as f:
                f.seek(body_start)
                shutil.copyfileobj(f, out, 1 << 24)
    return target.stat().st_size


def time_verbose(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``/usr/bin/time -v cmd``; wall seconds, peak RSS, exit status, stdout, stderr tail."""
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return {"wall_seconds": wall, "peak_rss_bytes": int(peak.group(1)) * 1024 if peak else None,
            "exit_status": proc.returncode, "stdout": proc.stdout,
            "stderr_tail": "\n".join(line for line in proc.stderr.splitlines()
                                     if not line.startswith("\t"))[-2000:]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--policylab", required=True)
    p.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[2])
    p.add_argument("--copies", type=int, default=13)
    p.add_argument("--limit-bytes", type=int, default=1 << 30)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--chunk-rows", type=int, default=100_000)
    p.add_argument("--big", type=Path, default=Path("/tmp/policylab-stream-big.csv"))
    p.add_argument("--keep", action="store_true")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)

    rows, cols = 1_000_000, 20
    store = DataStore(args.repo / "bench-out" / "data", log=log)
    (small,) = _csv_ols_data(store, rows, cols)
    formula = csv_formula(cols)
    env = machine.policylab_env()
    report: dict = {"date": machine.now(), "machine": machine.machine_info(), "copies": args.copies,
                    "limit_bytes": args.limit_bytes, "threads": args.threads, "chunk_rows": args.chunk_rows,
                    "formula": formula, "load_average_start": machine.load_average()}

    log(f"in-memory reference: policylab estimate {small.name}")
    reference = time_verbose([args.policylab, "estimate", str(small), "--formula", formula, "--vcov", "hc1",
                              "--format", "json", "--threads", str(args.threads)], env)
    if reference["exit_status"] != 0:
        log(f"reference failed: {reference['stderr_tail']}")
        return 1
    ref = json.loads(reference["stdout"])
    report["reference"] = {k: v for k, v in reference.items() if k != "stdout"}

    log(f"building {args.big} from {args.copies} copies of {small.name}")
    t0 = time.perf_counter()
    size = build_big_file(small, args.big, args.copies)
    report["big_file_bytes"] = size
    report["big_file_rows"] = rows * args.copies
    log(f"{size / 1e9:.2f} GB in {time.perf_counter() - t0:.0f} s")
    try:
        cmd = ["prlimit", f"--as={args.limit_bytes}", "--", args.policylab, "estimate", str(args.big),
               "--formula", formula, "--stream", "--chunk-rows", str(args.chunk_rows), "--vcov", "hc1",
               "--format", "json", "--threads", str(args.threads)]
        report["command"] = ["/usr/bin/time", "-v", *cmd]
        report["load_average_before_stream"] = machine.load_average()
        log("streaming: " + " ".join(cmd))
        run = time_verbose(cmd, env)
        report["load_average_after_stream"] = machine.load_average()
        report["stream"] = {k: v for k, v in run.items() if k != "stdout"}
        log(f"exit {run['exit_status']}, {run['wall_seconds']:.1f} s, peak RSS "
            f"{(run['peak_rss_bytes'] or 0) / 2**20:.1f} MiB")
        if run["exit_status"] != 0:
            log(run["stderr_tail"])
        else:
            big = json.loads(run["stdout"])
            n, N = ref["nobs"], big["nobs"]
            k = len(ref["coefficients"])
            se_factor = math.sqrt((1 / args.copies) * (N / (N - k)) / (n / (n - k)))
            beta_diff = max(abs(b["estimate"] - a["estimate"]) / abs(a["estimate"])
                            for a, b in zip(ref["coefficients"], big["coefficients"], strict=True))
            se_diff = max(abs(b["std_error"] - a["std_error"] * se_factor) / (a["std_error"] * se_factor)
                          for a, b in zip(ref["coefficients"], big["coefficients"], strict=True))
            report["check"] = {"nobs": N, "expected_nobs": rows * args.copies,
                               "beta_max_relative_difference": beta_diff, "se_max_relative_difference": se_diff,
                               "ok": N == rows * args.copies and beta_diff < 1e-10 and se_diff < 1e-10}
            report["throughput_bytes_per_second"] = size / run["wall_seconds"]
            log(f"check: {report['check']}")
    finally:
        if not args.keep:
            args.big.unlink(missing_ok=True)
            log(f"deleted {args.big}")
    out = args.out or args.repo / "bench-out" / "bench-streaming.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k not in ("machine",)}, indent=2))
    return 0 if report.get("check", {}).get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())

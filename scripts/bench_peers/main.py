"""Command line entry point: ``python -m bench_peers`` (normally via scripts/bench-peers)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from . import machine, peers, report, runner, tasks
from .data import SEED, DataStore


def log(message: str) -> None:
    """Progress messages go to stderr; the table goes to stdout."""
    print(f"[bench-peers] {message}", file=sys.stderr, flush=True)


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench-peers", description=__doc__)
    p.add_argument("--repo", type=Path, required=True, help="repository root")
    p.add_argument("--policylab", required=True, help="PolicyLab executable")
    p.add_argument("--quick", action="store_true", help="small sizes only")
    p.add_argument("--rounds", type=positive_int, default=3,
                   help="interleaved PolicyLab/peer rounds (default 3)")
    p.add_argument("--repeat", type=positive_int, default=3,
                   help="timed repeats per side per round (default 3)")
    p.add_argument("--threads", type=positive_int, default=2,
                   help="threads for PolicyLab and numpy (default 2)")
    p.add_argument("--only", help="comma-separated task names")
    p.add_argument("--data-dir", type=Path, help="default: REPO/bench-out/data")
    p.add_argument("--out", type=Path, help="default: REPO/bench-out/bench-peers.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the selected tasks; returns 1 if any checksum failed or PolicyLab errored."""
    args = parse_args(argv)
    selected = tasks.select(args.only)
    peers.PEER_THREADS = args.threads  # e.g. pyarrow's CPU pool for the csv task
    data_dir = args.data_dir or args.repo / "bench-out" / "data"
    out_path = args.out or args.repo / "bench-out" / "bench-peers.json"

    openblas_env = machine.openblas_environment()
    if openblas_env["set_in_peer_process"]:
        log(f"WARNING: {openblas_env['set_in_peer_process']} set in the numpy process "
            "(run via scripts/bench-peers to have them unset for the peer)")

    settings = runner.Settings(policylab=args.policylab, rounds=args.rounds, repeat=args.repeat,
                               threads=args.threads, policylab_env=machine.policylab_env())
    store = DataStore(data_dir, log=log)
    result: dict[str, Any] = {
        "date": machine.now(),
        "machine": machine.machine_info(),
        "load_average_start": machine.load_average(),
        "settings": {
            "policylab": args.policylab, "threads": args.threads, "rounds": args.rounds,
            "repeat": args.repeat, "quick": args.quick, "only": args.only,
            "data_dir": str(data_dir), "seed": SEED,
            "data_format": "raw little-endian float64, column-major, no header; per-file "
                           "stream numpy default_rng([seed, zlib.crc32(file name)])",
            "timing": "rounds alternate PolicyLab (a fresh process per round, --repeat R) "
                      "and the peer (R repeats in the long-lived harness process); per side "
                      "all rounds x repeat samples are pooled; load time excluded; "
                      "ratio = peer best / PolicyLab best (>1: PolicyLab faster), "
                      "ratio_median likewise with medians",
        },
        "packages": machine.package_versions(),
        "policylab_blas_libraries": machine.linked_blas(args.policylab),
        "openblas_env": openblas_env,
        "tasks": {t.name: {"peer": t.peer.name if t.peer else None, "notes": list(t.notes)} for t in selected},
        "rows": [],
    }

    with threadpool_limits(limits=args.threads):
        result["blas"] = machine.blas_info()
        nb = result["blas"]["numpy_blas"]
        log(f"numpy {result['blas']['numpy_version']}: {nb['internal_api']} {nb['version']}, "
            f"kernel {nb['architecture']}, {nb['num_threads']} thread(s)")
        log(f"PolicyLab: {args.policylab}; threads {args.threads}, rounds {args.rounds}, "
            f"repeat {args.repeat}")
        for task in selected:
            for rows, cols in (task.quick_sizes if args.quick else task.sizes):
                result["rows"].append(runner.run_case(task, rows, cols, store, settings, log))
                report.write_json(out_path, result)  # keep partial results of long runs

    result["load_average_end"] = machine.load_average()
    report.write_json(out_path, result)
    print("\n".join(report.table_lines(result["rows"])))
    for line in report.extra_lines(result["rows"]):
        print(line)
    print(f"ratio = peer best / PolicyLab best (>1: PolicyLab faster); "
          f"numpy OpenBLAS kernel {result['blas']['numpy_blas']['architecture']}; JSON: {out_path}")

    noisy = [f"{r['task']} {r['size']}" for r in result["rows"] if r.get("noisy")]
    if noisy:
        print(f"WARNING: other processes were busy during {', '.join(noisy)}; "
              "rerun on a quiet machine before drawing conclusions", file=sys.stderr)
    bad = [r for r in result["rows"] if r["status"] in ("error", "checksum-mismatch", "coefficient-mismatch")]
    if bad:
        print("!" * 72, file=sys.stderr)
        for r in bad:
            detail = r.get("error") or (f"coefficients {r['coefficients']}" if "coefficients" in r else None) or (
                f"PolicyLab {r['checksum']['policylab']} vs peer {r['checksum']['peer']}, "
                f"max relative difference {r['checksum']['max_relative_difference']:.3e}")
            print(f"!!! FAILED {r['task']} {r['size']}: {r['status']}: {detail}", file=sys.stderr)
        print("!" * 72, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Turns a package-benchmark JMH export into the ratio table of BENCHMARKS.md.

Usage: bench_ratios.py JMH.json [WRAPPER_OVERHEAD.txt]

Reads the wall-clock percentiles of each benchmark (and, optionally, the paired
wrapper/raw rounds of Benchmarks' WrapperOverhead tool) and prints, in Markdown:
the wrapper overhead of LinearAlgebra's gemm over raw cblas_dgemm at each size, and
the bandwidth of the SIMD sum and dot relative to a large memory copy (bytes read / time).
Standard library only, so it runs without the peer virtual environment.
"""
import json
import platform
import re
import subprocess
import sys
from datetime import date


def percentile(path, key):
    """Benchmark name -> wall-clock seconds at percentile `key` ("0.0" = fastest, "50.0" = median)."""
    with open(path) as f:
        runs = json.load(f)
    result = {}
    for run in runs:
        name = run["benchmark"].split(".")[-1]
        wall = run["secondaryMetrics"].get("Time (wall clock)") or run["primaryMetric"]
        unit = wall["scoreUnit"]
        scale = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
        result[name] = wall["scorePercentiles"][key] * scale
    return result


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{platform.node()} · {cpu} · {cores} cores · {platform.platform()}"


def main():
    m = percentile(sys.argv[1], "50.0")
    fastest = percentile(sys.argv[1], "0.0")
    print(f"### LinearAlgebra micro-benchmarks — {date.today().isoformat()}")
    print(f"Machine: {machine()}  ")
    print("Command: `scripts/bench` (package-benchmark). gemm pairs compare the fastest run of each side")
    print("(robust to other load on a shared machine); streams and XᵀX use the median.\n")
    rows = []
    for n in (500, 1000, 4000):
        w, r = fastest.get(f"gemm_wrapper_{n}"), fastest.get(f"gemm_raw_cblas_{n}")
        if w and r:
            rows.append((f"gemm {n}: wrapper vs raw cblas_dgemm", f"{w*1e3:.2f} ms", f"{r*1e3:.2f} ms",
                         f"{(w / r - 1) * 100:+.1f} % overhead", "< 3 %", abs(w / r - 1) < 0.03 or w < r,
                         f"{2 * n**3 / w / 1e9:.1f} GFLOP/s"))
    copy = m.get("stream_copy_1e8")
    nbytes = 8e8
    for name, label, read in (("stream_simd_sum_1e8", "SIMD sum 1e8", nbytes), ("stream_simd_dot_1e8", "SIMD dot 1e8", 2 * nbytes)):
        t = m.get(name)
        if t and copy:
            bw, cbw = read / t, nbytes / copy
            rows.append((f"{label} vs memcpy (bytes read/s)", f"{bw/1e9:.1f} GB/s", f"{cbw/1e9:.1f} GB/s",
                         f"{bw / cbw * 100:.0f} % of copy", "≥ 80 %", bw / cbw >= 0.8, ""))
    for k in (20, 100):
        t = m.get(f"gram_1000000x{k}_2_threads")
        if t:
            rows.append((f"XᵀX 1e6×{k}, 2 threads", f"{t*1e3:.1f} ms", "", "(peer ratio: scripts/bench-peers)", "", True,
                         f"{2e6 * k * k / t / 1e9:.1f} GFLOP/s (gemm-equivalent)"))
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            for line in f.read().splitlines()[1:]:
                n, count, wbest, rbest, med, p10, p90 = line.split()
                overhead = (float(med) - 1) * 100
                rows.append((f"gemm {n}: wrapper/raw, paired ({count} interleaved rounds)", f"{float(wbest):.2f} ms",
                             f"{float(rbest):.2f} ms", f"{overhead:+.2f} % (p10–p90 {(float(p10)-1)*100:+.1f}…{(float(p90)-1)*100:+.1f} %)",
                             "< 3 %", overhead < 3, "median of per-round ratios"))
    print("| measurement | PolicyLab | baseline | ratio | target | met | note |")
    print("|---|---|---|---|---|---|---|")
    for label, a, b, ratio, target, ok, note in rows:
        print(f"| {label} | {a} | {b} | {ratio} | {target} | {'yes' if ok else 'NO'} | {note} |")


if __name__ == "__main__":
    main()

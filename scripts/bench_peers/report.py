"""Console table and JSON report."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

COLUMNS = ("task", "size", "PolicyLab s", "(median)", "peer s", "(median)", "peer",
           "ratio", "check")


def _seconds(side: dict[str, Any] | None, key: str) -> str:
    return f"{side[key]:.4f}" if side else "-"


def _check(row: dict[str, Any]) -> str:
    if row["status"] in ("skipped", "error"):
        return row["status"].upper()
    checksum = row.get("checksum")
    text = "-" if not checksum else (
        "ok" if checksum["ok"] else f"FAIL {checksum['max_relative_difference']:.1e}")
    coefficients = row.get("coefficients")
    if coefficients:
        text = ("coef ok" if coefficients["ok"] else "coef FAIL") + f" {coefficients['beta_max_relative_difference']:.0e}"
    return text + (" noisy" if row.get("noisy") else "")


def table_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Rows as an aligned text table (ratio = peer best / PolicyLab best; >1: PolicyLab faster)."""
    cells = [COLUMNS]
    for r in rows:
        ratio = r.get("ratio")
        cells.append((
            r["task"], r["size"],
            _seconds(r.get("policylab"), "best"), _seconds(r.get("policylab"), "median"),
            _seconds(r.get("peer"), "best"), _seconds(r.get("peer"), "median"),
            r["peer_name"],
            f"{ratio:.2f}" if ratio is not None and math.isfinite(ratio) else "-",
            _check(r),
        ))
    widths = [max(len(str(c[i])) for c in cells) for i in range(len(COLUMNS))]
    right = {2, 3, 4, 5, 7}
    lines = []
    for n, c in enumerate(cells):
        lines.append("  ".join(str(v).rjust(w) if i in right else str(v).ljust(w)
                               for i, (v, w) in enumerate(zip(c, widths, strict=True))).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def extra_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Task-specific figures (evaluations, success counts, estimates) of the rows that have them."""
    lines = []
    for r in rows:
        pl, peer = r.get("policylab_extra"), r.get("peer_extra")
        if not pl and not peer:
            continue
        lines.append(f"{r['task']} {r['size']}:")
        keys = set(pl or {}) | set(peer or {})
        # Regression estimates (beta000, se000, ...: three digits) are compared in the table
        # ("coef ok") and kept in the JSON, not printed.
        keys = {k for k in keys if not ((k[:4] == "beta" and len(k) == 7 and k[4:].isdigit())
                                        or (k[:2] == "se" and len(k) == 5 and k[2:].isdigit()))}
        for key in sorted(keys):
            left = (pl or {}).get(key, "-")
            right = (peer or {}).get(key, "-")
            fmt = lambda v: f"{v:.10g}" if isinstance(v, float) else str(v)
            lines.append(f"  {key:<28} PolicyLab {fmt(left):>20}   peer {fmt(right):>20}")
    return lines


def _json_safe(value: Any) -> Any:
    """Replace NaN/inf (not valid JSON) by None, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def write_json(path: Path, report: dict[str, Any]) -> None:
    """Write the report (atomically) as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(_json_safe(report), indent=2) + "\n")
    tmp.replace(path)

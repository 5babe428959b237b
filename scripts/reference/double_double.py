#!/usr/bin/env python3
"""Reference values for LinearAlgebra's DoubleDouble (Tests/LinearAlgebraTests/DoubleDoubleTests.swift).

Writes Tests/LinearAlgebraTests/Fixtures/double_double.json: for each function a spread of
exact double-double arguments (hi, lo as shortest round-trip decimal strings) and the value
mpmath computes at 300 bits, split into the nearest double hi and the nearest double to the
remainder lo. Decimal-parsing cases give a text and the value of that text. Deterministic
(fixed seed). Run from the repository root:

    python3 -m venv /tmp/venv-mp && /tmp/venv-mp/bin/pip install mpmath
    /tmp/venv-mp/bin/python scripts/reference/double_double.py
"""
import json
import math
import random
import sys

import mpmath
from mpmath import mp, mpf

mp.prec = 300
rng = random.Random(20261129)


def split(v):
    """The double-double nearest v: hi = round(v), lo = round(v - hi) (both to nearest)."""
    hi = float(mpmath.nstr(v, 45, strip_zeros=False)) if v != 0 else 0.0
    if math.isinf(hi):
        return hi, 0.0
    rest = v - mpf(hi)
    lo = float(mpmath.nstr(rest, 45, strip_zeros=False)) if rest != 0 else 0.0
    return hi, lo


def dd_input(hi):
    """An exact double-double with leading part hi and a random trailing part."""
    lo = rng.uniform(-0.5, 0.5) * math.ulp(hi)
    return hi, lo


def exact(pair):
    return mpf(pair[0]) + mpf(pair[1])


def fmt(pair):
    return [repr(pair[0]), repr(pair[1])]


def magnitude(lo_exp, hi_exp, signed=True):
    v = 10 ** rng.uniform(lo_exp, hi_exp)
    return -v if signed and rng.random() < 0.5 else v


cases = []


def add_case(function, args, value):
    cases.append({"function": function, "arguments": [fmt(a) for a in args], "expected": fmt(split(value))})


for _ in range(40):
    a = dd_input(magnitude(-20, 20))
    b = dd_input(magnitude(-20, 20))
    near = dd_input(a[0] * (1 + rng.uniform(-1e-9, 1e-9)))   # cancellation in a - near
    for x, y in ((a, b), (a, near)):
        add_case("add", [x, y], exact(x) + exact(y))
        add_case("subtract", [x, y], exact(x) - exact(y))
        add_case("multiply", [x, y], exact(x) * exact(y))
        add_case("divide", [x, y], exact(x) / exact(y))
for _ in range(40):
    x = dd_input(magnitude(-30, 30, signed=False))
    add_case("sqrt", [x], mpmath.sqrt(exact(x)))
for _ in range(60):
    x = dd_input(rng.uniform(-700, 700) if rng.random() < 0.5 else magnitude(-12, 1))
    add_case("exp", [x], mpmath.exp(exact(x)))
for _ in range(60):
    r = rng.random()
    hi = magnitude(-300, 300, signed=False) if r < 0.4 else (1 + magnitude(-15, -0.7) if r < 0.8 else rng.uniform(0.05, 20))
    x = dd_input(hi)
    add_case("log", [x], mpmath.log(exact(x)))
for _ in range(60):
    x = dd_input(rng.uniform(-100, 100) if rng.random() < 0.6 else magnitude(-12, 6))
    add_case("sin", [x], mpmath.sin(exact(x)))
    add_case("cos", [x], mpmath.cos(exact(x)))
for _ in range(60):
    x = dd_input(magnitude(-20, 20))
    add_case("atan", [x], mpmath.atan(exact(x)))
for _ in range(40):
    x = dd_input(magnitude(-1, 1))
    n = rng.randint(-60, 60)
    cases.append({"function": "powerInt", "arguments": [fmt(x)], "exponent": n,
                  "expected": fmt(split(exact(x) ** n))})
for _ in range(60):
    x = dd_input(magnitude(-3, 3, signed=False))
    y = dd_input(rng.uniform(-20, 20))
    add_case("power", [x, y], mpmath.power(exact(x), exact(y)))

decimals = [
    "2.513400000000E+00", "2.044333373291E+00", "5.000000000000E-02", "-1.5e-3", "0.05", "0.1", ".5", "5.",
    "+3", "1e300", "1e-300", "1.4307867721E-25", "8.9156129349E-14", "123456789012345678901234567890123456789e-20",
    "0.000000000000000000000000000012345678901234567890123456789", "3.14159265358979323846264338327950288",
    "  42  ", "-0", "1e22", "1e23", "9007199254740993", "1.7976931348623157e308", "2.2250738585072014e-308",
]
for _ in range(60):
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 36)))
    point = rng.randint(0, len(digits))
    text = digits[:point] + "." + digits[point:] if rng.random() < 0.7 else digits
    if rng.random() < 0.6:
        text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 250))
    if rng.random() < 0.3:
        text = "-" + text
    decimals.append(text)
decimal_cases = [{"text": t, "expected": fmt(split(mpf(t.strip())))} for t in decimals]
invalid = ["", " ", "abc", "1e", "e5", "1.2.3", "--1", "+-1", "0x10", "1,5", "1e+", ".", "-.", "1 2", "nanx", "infin"]

out = {
    "generator": "scripts/reference/double_double.py",
    "mpmath": mpmath.__version__,
    "python": sys.version.split()[0],
    "precision_bits": mp.prec,
    "cases": cases,
    "decimal": decimal_cases,
    "invalid_decimal": invalid,
}
# One case per line, so that a regenerated file diffs line by line.
with open("Tests/LinearAlgebraTests/Fixtures/double_double.json", "w") as f:
    f.write("{\n")
    for key, value in out.items():
        if isinstance(value, list):
            f.write(f' "{key}": [\n')
            f.write(",\n".join("  " + json.dumps(v) for v in value))
            f.write("\n ]" + (",\n" if key != "invalid_decimal" else "\n"))
        else:
            f.write(f' "{key}": {json.dumps(value)},\n')
    f.write("}\n")
print(f"{len(cases)} function cases, {len(decimal_cases)} decimal cases")

#!/usr/bin/env python3
"""Kleibergen-Paap rk statistics (as Stata's ivreg2 / ranktest report them) for the IV cases
of Tests/RegressionTests/Fixtures/reference/sim_cross.json.

An independent numpy implementation of ranktest's "Wald full" and "LM full" rank tests
(Kleibergen & Paap 2006, J. Econometrics 133:97-126), turned into ivreg2's
"Kleibergen-Paap rk Wald F statistic", plus the Cragg-Donald Wald F. Cross-checked
against linearmodels.iv.common.kleibergen_paap_f / kleibergen_paap / cragg_donald_f and,
for one endogenous variable, against estimatr's first-stage F (which it must equal).
Adds a "weak_identification" object to cross_iv1_* and cross_iv2_* cases. Run after
regression.R, from the repository root:

    .venv-ref/bin/python scripts/reference/regression_kp.py

The formulas are written out in scripts/reference/README.md.
"""

import json
import os
import sys

import linearmodels
import numpy as np
import pandas as pd
import scipy
from linearmodels.iv.common import cragg_donald_f, kleibergen_paap, kleibergen_paap_f
from scipy import linalg, stats

SCRIPT = "scripts/reference/regression_kp.py"
DATA = "Tests/RegressionTests/Fixtures/data/sim_cross.csv"
REF = "Tests/RegressionTests/Fixtures/reference/sim_cross.json"

if not os.path.exists("Package.swift"):
    sys.exit("run from the repository root")


def sqrtm_sym(a):
    """Symmetric square root via the eigen-decomposition (ranktest: symeigensystem)."""
    w, v = np.linalg.eigh(a)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def partial_out(m, x):
    return m - x @ np.linalg.lstsq(x, m, rcond=None)[0]


def score_cov(e, z, clusters):
    """ranktest's shat: sum over obs (or clusters) of (e_i kron z_i)(...)' / N, no dof factor."""
    n, k = e.shape
    s = np.einsum("ik,il->ikl", e, z).reshape(n, -1)     # row i = kron(e_i, z_i)
    if clusters is not None:
        codes, uniq = pd.factorize(pd.Series(clusters))
        s = np.stack([s[codes == g].sum(axis=0) for g in range(len(uniq))])
    return s.T @ s / n


def rk_stat(y, z, clusters, wald):
    """Kleibergen-Paap rk statistic for H0: rank(Pi) = K - 1, as ranktest 'full'."""
    n = y.shape[0]
    K, L = y.shape[1], z.shape[1]
    zz, yy = z.T @ z, y.T @ y
    pihat = np.linalg.solve(zz, z.T @ y)                 # L x K
    ly = np.linalg.cholesky(yy)                          # lower: yy = ly ly'
    lz = np.linalg.cholesky(zz)
    that = lz.T @ pihat @ np.linalg.inv(ly.T)            # Theta = F Pi G^-1', F = lz', G = ly'
    u, s, vt = np.linalg.svd(that, full_matrices=True)   # that = u diag(s) vt
    v = vt.T
    e = y - z @ pihat if wald else y                     # Wald: first-stage residuals
    shat = score_cov(e, z, clusters)
    T = np.kron(np.linalg.inv(ly), np.linalg.inv(lz))    # (iryhat' # irzhat')
    vhat = T @ shat @ T.T * n
    vhat = (vhat + vhat.T) / 2
    i = K                                                # test of rank K-1 (the last one)
    u12, v12 = u[: i - 1, i - 1:], v[: i - 1, i - 1:]
    u22, v22 = u[i - 1:, i - 1:], v[i - 1:, i - 1:]
    u22h, v22h = sqrtm_sym(u22 @ u22.T), sqrtm_sym(v22 @ v22.T)
    aq = np.vstack([u12, u22]) @ np.linalg.inv(u22) @ u22h          # L x (L-K+1)
    bq = v22h @ np.linalg.inv(v22.T) @ np.vstack([v12, v22]).T      # (K-K+1) x K
    kr = np.kron(bq, aq.T)
    lab = kr @ that.ravel(order="F")
    vlab = kr @ vhat @ kr.T
    vlab = (vlab + vlab.T) / 2
    rk = float(lab @ np.linalg.solve(vlab, lab))
    df = (L - i + 1) * (K - i + 1)
    return rk, df, s


def weak_id(data, exog_cols, endog, instr, cluster=None):
    n = len(data)
    X1 = np.column_stack([np.ones(n)] + [data[c].to_numpy(float) for c in exog_cols])
    Y = data[endog].to_numpy(float)
    Z = data[instr].to_numpy(float)
    yt, zt = partial_out(Y, X1), partial_out(Z, X1)
    cl = None if cluster is None else data[cluster].to_numpy()
    iv1_ct = X1.shape[1] + Z.shape[1]                    # all instruments incl. constant
    exex = Z.shape[1]
    out = {}
    # Cragg-Donald (iid): N * ev_min/(1-ev_min), ev = squared canonical correlations.
    _, _, s = rk_stat(yt, zt, None, True)
    ev = float(s[len(endog) - 1] ** 2)
    cd_chi2 = n * ev / (1 - ev)
    out["cragg_donald_f"] = cd_chi2 / n * (n - iv1_ct) / exex
    out["canonical_correlations"] = s.tolist()
    lm_cd = linearmodels_call(Y, Z, X1, "unadjusted", None)
    out["linearmodels_cragg_donald_f"] = lm_cd["cd_f"]
    if cluster is None:
        fam, cfg = "robust", None
    else:
        fam, cfg = "clustered", {"clusters": pd.factorize(pd.Series(cl))[0]}
    rk_w, df, _ = rk_stat(yt, zt, cl, wald=True)
    rk_l, df_l, _ = rk_stat(yt, zt, cl, wald=False)
    if cluster is None:
        rkf = rk_w / n * (n - iv1_ct) / exex
    else:
        G = len(np.unique(cl))
        rkf = rk_w / (n - 1) * (n - iv1_ct) * (G - 1) / G / exex
    lm_kp = linearmodels_call(Y, Z, X1, fam, cfg)
    out.update({
        "vcov": "robust" if cluster is None else f"cluster:{cluster}",
        "rk_wald_chi2": rk_w, "rk_wald_df": df, "rk_wald_f": rkf,
        "rk_lm_chi2": rk_l, "rk_lm_df": df_l, "rk_lm_p_value": float(stats.chi2.sf(rk_l, df_l)),
        "linearmodels_rk_wald_f": lm_kp["kp_f"], "linearmodels_rk_lm_chi2": lm_kp["kp_lm"],
        "n_instruments_total": iv1_ct, "n_excluded_instruments": exex,
    })
    if cluster is not None:
        out["clusters"] = int(len(np.unique(cl)))
    for mine, theirs, what in [(out["cragg_donald_f"], out["linearmodels_cragg_donald_f"], "Cragg-Donald F"),
                               (rkf, lm_kp["kp_f"], "KP rk Wald F"), (rk_l, lm_kp["kp_lm"], "KP rk LM")]:
        err = abs(mine - theirs) / abs(theirs)
        print(f"  {'ok' if err < 1e-9 else 'MISMATCH'}: {what} ({out['vcov']}, K={len(endog)}): "
              f"mine {mine!r} linearmodels {theirs!r} rel diff {err:.2g}")
        if err > 1e-9:
            sys.exit("cross-check with linearmodels failed")
    return out


def linearmodels_call(Y, Z, X1, cov_type, cfg):
    if cov_type == "unadjusted":
        return {"cd_f": float(cragg_donald_f(Y, Z, X1))}
    return {"kp_f": float(kleibergen_paap_f(Y, Z, X1, cov_type, cfg)),
            "kp_lm": float(kleibergen_paap(Y, Z, X1, cov_type, cfg).stat)}


def main():
    data = pd.read_csv(DATA)
    for lvl in ["B", "C", "D"]:                          # g dummies, reference level A
        data[f"g{lvl}"] = (data["g"] == lvl).astype(float)
    exog = ["x1", "x2", "x3", "gB", "gC", "gD"]
    instr = ["z1", "z2", "z3"]
    with open(REF) as fh:
        doc = json.load(fh)
    cases = {c["name"]: c for c in doc["cases"]}
    formula_note = ("ivreg2-style: exogenous regressors (incl. constant) partialled out; "
                    "ranktest 'wald full' / 'full' rank test of rank(Pi) = K-1; "
                    "robust: S = sum (e_i kron z_i)(e_i kron z_i)'/N; cluster: sums within clusters, "
                    "no dof factor; F = chi2/N*(N-L_total)/L_excl (robust) or "
                    "chi2/(N-1)*(N-L_total)*(G-1)/G/L_excl (cluster)")
    results = {}
    for endog, prefix in [(["d"], "cross_iv1_"), (["d", "d2"], "cross_iv2_")]:
        rob = weak_id(data, exog, endog, instr)
        clu = weak_id(data, exog, endog, instr, cluster="firm")
        results[prefix] = (rob, clu)
        for name, c in cases.items():
            if not name.startswith(prefix):
                continue
            block = clu if name.endswith("cluster_firm") else rob
            c["weak_identification"] = {
                "tool": f"{SCRIPT} (numpy, following ranktest/ivreg2); cross-checked with linearmodels {linearmodels.__version__}",
                "method": formula_note,
                "endogenous": endog, "excluded_instruments": instr,
                **block,
            }
        if len(endog) == 1:
            # With one endogenous variable the rk Wald F is the robust / Stata-clustered
            # first-stage F of the excluded instruments; estimatr computed those in R.
            fs = cases[prefix + "hc1"]["first_stage_f"]
            for mine, theirs, what in [(rob["rk_wald_f"], fs["HC1"]["d"]["value"], "rk Wald F vs estimatr HC1 first-stage F"),
                                       (clu["rk_wald_f"], fs["stata_cluster_firm"]["d"]["value"], "rk Wald F vs estimatr stata-cluster first-stage F"),
                                       (rob["cragg_donald_f"], fs["classical"]["d"]["value"], "Cragg-Donald F vs estimatr classical first-stage F")]:
                err = abs(mine - theirs) / abs(theirs)
                print(f"  {'ok' if err < 1e-9 else 'MISMATCH'}: {what}: {mine!r} vs {theirs!r}")
                if err > 1e-9:
                    sys.exit("K=1 identity failed")
    gen = doc["generated_by"] if isinstance(doc["generated_by"], list) else [doc["generated_by"]]
    if SCRIPT not in gen:
        gen.append(SCRIPT)
    doc["generated_by"] = gen
    doc["python_version"] = sys.version.split()[0]
    doc["python_packages"] = {"numpy": np.__version__, "scipy": scipy.__version__,
                              "pandas": pd.__version__, "linearmodels": linearmodels.__version__}
    with open(REF, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    for prefix, (rob, clu) in results.items():
        print(f"{prefix}: CD F {rob['cragg_donald_f']:.6g}, KP rk Wald F robust {rob['rk_wald_f']:.6g}, "
              f"cluster {clu['rk_wald_f']:.6g}; rk LM robust {rob['rk_lm_chi2']:.6g}, cluster {clu['rk_lm_chi2']:.6g}")
    print("wrote sim_cross.json")


if __name__ == "__main__":
    main()

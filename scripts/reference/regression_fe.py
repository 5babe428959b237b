#!/usr/bin/env python3
"""Fixed-effects reference values (fixest conventions, via pyfixest) for PolicyLab's Regression tests.

Reads the CSVs that scripts/reference/regression.R wrote and adds fixest-style cases to
Tests/RegressionTests/Fixtures/reference/sim_panel.json and grunfeld.json (cases written
by this script are replaced, cases written by regression.R are kept). Run from the
repository root, after regression.R:

    python3 -m venv .venv-ref && .venv-ref/bin/pip install pyfixest==0.60.0 linearmodels==7.1
    .venv-ref/bin/python scripts/reference/regression_fe.py

Conventions (see scripts/reference/README.md):
  * pyfixest's default small-sample correction, written out: ssc(k_adj=True,
    k_fixef="nonnested", G_adj=True, G_df="min") -- fixest's ssc(adj=TRUE,
    fixef.K="nested", cluster.adj=TRUE, cluster.df="min").
  * "df_residual" is fixest's residual df with every fixed effect counted:
    N - (k + sum of FE levels - (number of FE dimensions - 1)).
  * "f_statistic" follows fixest::wald(): joint Wald F of all coefficients with the
    case's vcov, df2 = df_residual. pyfixest's own wald_test() (df2 = G-1 when
    clustered, else N - k - sum of levels) is recorded as "pyfixest_wald".
  * R2s follow fixest::r2(); pyfixest's values are asserted equal.
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
from pyfixest.demeaners import MapDemeaner
import scipy
from scipy import stats

SCRIPT = "scripts/reference/regression_fe.py"
DATA = "Tests/RegressionTests/Fixtures/data"
REF = "Tests/RegressionTests/Fixtures/reference"
SSC = dict(k_adj=True, k_fixef="nonnested", G_adj=True, G_df="min")
# Alternating projections to a tight tolerance (pyfixest's default 1e-6 leaves ~1e-9
# relative noise in the covariances).
DEMEANER = MapDemeaner(fixef_tol=1e-13, fixef_maxiter=100_000)

if not os.path.exists("Package.swift"):
    sys.exit("run from the repository root")


def num(x):
    x = float(x)
    return None if not math.isfinite(x) else x


def fe_levels(fit, data_used):
    """Levels of each FE dimension among the rows used."""
    names = [s.strip() for s in fit._fixef.split("+")]
    return {nm: int(data_used[nm].nunique()) for nm in names}


def used_rows(fit, data):
    """Rows pyfixest kept (drops only singletons here; the data have no missing values)."""
    na = getattr(fit, "_na_index", None)
    if na is None or len(na) == 0:
        return data
    return data.drop(index=data.index[list(na)])


def case_from_fit(fit, *, name, data_file, data, model, formula, vcov, pf_vcov, fixef_rm, call,
                  cross_checks=None):
    used = used_rows(fit, data)
    assert len(used) == fit._N, (name, len(used), fit._N)
    lv = fe_levels(fit, used)
    k = fit._k
    k_full = k + sum(lv.values()) - (len(lv) - 1)
    n = fit._N
    df_res = n - k_full
    b = fit.coef().to_numpy()
    V = np.asarray(fit._vcov)
    se = fit.se().to_numpy()
    assert np.allclose(se, np.sqrt(np.diag(V)), rtol=1e-13)
    tval = fit.tstat().to_numpy()
    df_t = float(fit._df_t)
    # pyfixest computes 2 * (1 - cdf), which loses tiny p-values; record 2 * sf instead.
    p = 2 * stats.t.sf(np.abs(tval), df_t)
    assert np.allclose(p, fit.pvalue().to_numpy(), rtol=1e-9, atol=1e-14)
    ci = fit.confint()
    q = stats.t.ppf(0.975, df_t)
    assert np.allclose(ci.iloc[:, 0].to_numpy(), b - q * se, rtol=1e-10)
    assert np.allclose(ci.iloc[:, 1].to_numpy(), b + q * se, rtol=1e-10)

    # fixest::wald(): all coefficients (no intercept with FE), df2 = nobs - nparams.
    W = float(b @ np.linalg.solve(V, b))
    f_val = W / k
    fstat = {"value": f_val, "df1": k, "df2": df_res, "p_value": float(stats.f.sf(f_val, k, df_res))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pw = fit.wald_test()
    pyw = {"statistic": float(pw["statistic"]), "p_value": float(pw["pvalue"]),
           "df1": int(fit._dfn), "df2": int(fit._dfd)}

    resid = np.asarray(fit._u_hat).ravel()
    ssr = float(resid @ resid)
    case = {
        "name": name, "data": data_file, "model": model, "formula": formula, "weights": None,
        "vcov": vcov, "tool": f"pyfixest {pf.__version__} feols(vcov={pf_vcov!r}, fixef_rm={fixef_rm!r}, ssc=pf.ssc(**{SSC!r}), demeaner=MapDemeaner(fixef_tol=1e-13))",
        "call": call, "generated_by": SCRIPT,
        "nobs": n, "singletons_removed": len(data) - n, "fixef_rm": fixef_rm,
        "fixef_levels": lv, "nparams_full": k_full,
        "df_residual": df_res, "df_k_ssc": int(fit._df_k),
        "inference_df": int(df_t) if df_t == int(df_t) else df_t,
        "ssc_factor": [float(s) for s in np.ravel(fit._ssc)],
        "sigma": math.sqrt(ssr / df_res), "rmse": math.sqrt(ssr / n), "ssr": ssr,
    }
    if not fit._is_iv:
        # fixest::r2(): r2 = 1 - ssr/ssr_null; ar2 = 1 - ssr/ssr_null * (n-1)/(n-nparams);
        # wr2 = 1 - ssr/ssr_fe_only; war2 = 1 - ssr/ssr_fe_only * (n-nb_fe)/(n-nb_fe-k).
        y = used[fit._depvar].to_numpy()
        ssr_null = float(((y - y.mean()) ** 2).sum())
        fe_only = pf.feols(f"{fit._depvar} ~ 1 | {fit._fixef}", data=used, fixef_rm="none",
                           demeaner=DEMEANER)
        r_fe = np.asarray(fe_only._u_hat).ravel()
        ssr_fe = float(r_fe @ r_fe)
        nb_fe = k_full - k
        r2 = 1 - ssr / ssr_null
        ar2 = 1 - ssr / ssr_null * (n - 1) / (n - k_full)
        wr2 = 1 - ssr / ssr_fe
        war2 = 1 - ssr / ssr_fe * (n - nb_fe) / (n - nb_fe - k)
        for mine, theirs, what in [(r2, fit._r2, "r2"), (ar2, fit._adj_r2, "adj r2"),
                                   (wr2, fit._r2_within, "within r2"),
                                   (war2, fit._adj_r2_within, "adj within r2")]:
            if abs(mine - theirs) > 1e-10:
                print(f"  note {name}: {what} fixest formula {mine!r} vs pyfixest {theirs!r}")
        case.update({"r_squared": r2, "adj_r_squared": ar2, "within_r_squared": wr2,
                     "adj_within_r_squared": war2,
                     "pyfixest_r2": {"r2": num(fit._r2), "adj_r2": num(fit._adj_r2),
                                     "within_r2": num(fit._r2_within),
                                     "adj_within_r2": num(fit._adj_r2_within)}})
    else:
        case.update({"r_squared": None, "adj_r_squared": None, "within_r_squared": None})
    case.update({
        "f_statistic": fstat, "pyfixest_wald": pyw,
        "terms": list(fit.coef().index), "estimate": b.tolist(), "std_error": se.tolist(),
        "statistic": tval.tolist(), "p_value": p.tolist(),
        "conf_low": (b - q * se).tolist(), "conf_high": (b + q * se).tolist(),
        "vcov_matrix": V.tolist(),
    })
    if fit._is_clustered:
        case["clusters"] = {c: int(used[c].nunique()) for c in fit._clustervar}
    if cross_checks:
        case["cross_checks"] = cross_checks
    return case


def run(formula, data, pf_vcov, fixef_rm):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.feols(formula, data=data, vcov=pf_vcov, fixef_rm=fixef_rm, ssc=pf.ssc(**SSC),
                        demeaner=DEMEANER)


def call_text(formula, data_name, pf_vcov, fixef_rm):
    return (f"pyfixest.feols({formula!r}, data={data_name}, vcov={pf_vcov!r}, "
            f"fixef_rm={fixef_rm!r}, ssc=pyfixest.ssc(**{SSC!r}), "
            f"demeaner=MapDemeaner(fixef_tol=1e-13, fixef_maxiter=100000))")


def merge(dataset, new_cases):
    path = os.path.join(REF, f"{dataset}.json")
    with open(path) as fh:
        doc = json.load(fh)
    doc["cases"] = [c for c in doc["cases"] if c.get("generated_by") != SCRIPT] + new_cases
    gen = doc["generated_by"] if isinstance(doc["generated_by"], list) else [doc["generated_by"]]
    if SCRIPT not in gen:
        gen.append(SCRIPT)
    doc["generated_by"] = gen
    doc["python_version"] = sys.version.split()[0]
    doc["python_packages"] = {"pyfixest": pf.__version__, "numpy": np.__version__,
                              "pandas": pd.__version__, "scipy": scipy.__version__}
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"wrote {dataset}.json ({len(new_cases)} pyfixest cases, {len(doc['cases'])} in all)")
    return doc


def by_name(doc, name):
    return next(c for c in doc["cases"] if c["name"] == name)


def main():
    panel = pd.read_csv(os.path.join(DATA, "sim_panel.csv"))
    with open(os.path.join(REF, "sim_panel.json")) as fh:
        r_panel = json.load(fh)
    cases = []
    f_fe = "y ~ x1 + x2 + x3 | id + year"
    vcovs = [("iid", "iid", "iid"), ("hc1", "hetero", "hetero"),
             ("cluster:state", {"CRV1": "state"}, "cluster_state"),
             ("cluster:id,year", {"CRV1": "id+year"}, "cluster_id_year")]
    for rm, suffix in [("none", ""), ("singleton", "_drop_singletons")]:
        for spec, pv, tag in vcovs:
            fit = run(f_fe, panel, pv, rm)
            cases.append(case_from_fit(fit, name=f"panel_fe_{tag}{suffix}", data_file="sim_panel.csv",
                                       data=panel, model="fe", formula=f_fe, vcov=spec, pf_vcov=pv,
                                       fixef_rm=rm, call=call_text(f_fe, "sim_panel", pv, rm)))
    f_iv = "y ~ x1 | id + year | d ~ z1 + z2"
    for rm, suffix in [("none", ""), ("singleton", "_drop_singletons")]:
        for spec, pv, tag in [("iid", "iid", "iid"), ("cluster:state", {"CRV1": "state"}, "cluster_state")]:
            fit = run(f_iv, panel, pv, rm)
            c = case_from_fit(fit, name=f"panel_feiv_{tag}{suffix}", data_file="sim_panel.csv",
                              data=panel, model="fe_iv", formula=f_iv, vcov=spec, pf_vcov=pv,
                              fixef_rm=rm, call=call_text(f_iv, "sim_panel", pv, rm))
            c["endogenous"] = ["d"]
            c["instruments"] = ["z1", "z2"]
            cases.append(c)

    # Cross-checks against R (estimatr, plm) on the same formula.
    def check(a, b, what, tol=1e-10):
        a, b = np.asarray(a, float), np.asarray(b, float)
        err = np.max(np.abs(a - b) / np.maximum(1, np.abs(b)))
        status = "ok" if err <= tol else "MISMATCH"
        print(f"  {status}: {what}: max rel diff {err:.3g}")
        if err > tol:
            sys.exit(f"cross-check failed: {what}")

    pc = {c["name"]: c for c in cases}
    for rname in ["panel_fe_estimatr_cluster_state", "panel_fe_estimatr_hc1", "panel_fe_plm_iid",
                  "panel_fe_plm_arellano_hc1_id"]:
        check(pc["panel_fe_iid"]["estimate"], by_name(r_panel, rname)["estimate"],
              f"pyfixest vs {rname} coefficients")
        check(pc["panel_fe_iid_drop_singletons"]["estimate"], by_name(r_panel, rname)["estimate"],
              f"pyfixest (singletons dropped) vs {rname} coefficients")
    check(pc["panel_feiv_cluster_state"]["estimate"],
          by_name(r_panel, "panel_feiv_estimatr_cluster_state")["estimate"],
          "pyfixest FE-IV vs estimatr::iv_robust coefficients")
    # iid: plm and fixest both use RSS / (N - k - FE params) with singletons kept.
    check(pc["panel_fe_iid"]["vcov_matrix"], by_name(r_panel, "panel_fe_plm_iid")["vcov_matrix"],
          "pyfixest iid vs plm iid vcov", tol=1e-8)
    # hetero: fixest HC1 = N/(N - K_full); estimatr HC1 = N/(N - k - FE params) too.
    check(pc["panel_fe_hetero"]["vcov_matrix"], by_name(r_panel, "panel_fe_estimatr_hc1")["vcov_matrix"],
          "pyfixest hetero vs estimatr HC1 vcov", tol=1e-8)
    # cluster: same meat, different K in (N-1)/(N-K): estimatr counts every FE level
    # (N-K = its df_residual), fixest drops the FE nested in the cluster (README).
    ef = by_name(r_panel, "panel_fe_estimatr_cluster_state")
    fx = pc["panel_fe_cluster_state"]
    ratio = np.asarray(ef["vcov_matrix"]) / np.asarray(fx["vcov_matrix"])
    expect = (fx["nobs"] - fx["df_k_ssc"]) / ef["df_residual"]
    check(ratio.ravel(), np.full(ratio.size, expect),
          "estimatr stata / fixest CRV1 vcov ratio = (N - K_fixest) / (N - K_all_FE)", tol=1e-8)
    print(f"  estimatr/fixest cluster vcov ratio {expect!r} (estimatr N-K = {ef['df_residual']}, "
          f"fixest K = {fx['df_k_ssc']})")
    # FE-IV: the same relation.
    ei = by_name(r_panel, "panel_feiv_estimatr_cluster_state")
    fi = pc["panel_feiv_cluster_state"]
    ratio = np.asarray(ei["vcov_matrix"]) / np.asarray(fi["vcov_matrix"])
    check(ratio.ravel(), np.full(ratio.size, (fi["nobs"] - fi["df_k_ssc"]) / ei["df_residual"]),
          "FE-IV estimatr stata / fixest CRV1 vcov ratio", tol=1e-8)
    merge("sim_panel", cases)

    gr = pd.read_csv(os.path.join(DATA, "grunfeld.csv"))
    with open(os.path.join(REF, "grunfeld.json")) as fh:
        r_gr = json.load(fh)
    gcases = []
    f_g = "inv ~ value + capital | firm + year"
    for spec, pv, tag in [("iid", "iid", "iid"), ("hc1", "hetero", "hetero"),
                          ("cluster:firm", {"CRV1": "firm"}, "cluster_firm")]:
        fit = run(f_g, gr, pv, "none")
        gcases.append(case_from_fit(fit, name=f"grunfeld_fe_{tag}", data_file="grunfeld.csv", data=gr,
                                    model="fe", formula=f_g, vcov=spec, pf_vcov=pv, fixef_rm="none",
                                    call=call_text(f_g, "grunfeld", pv, "none")))
    check(gcases[0]["estimate"], by_name(r_gr, "grunfeld_fe_plm_iid")["estimate"],
          "grunfeld pyfixest vs plm coefficients")
    check(gcases[0]["vcov_matrix"], by_name(r_gr, "grunfeld_fe_plm_iid")["vcov_matrix"],
          "grunfeld pyfixest iid vs plm vcov", tol=1e-8)
    merge("grunfeld", gcases)


if __name__ == "__main__":
    main()

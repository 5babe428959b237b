#!/usr/bin/env Rscript
# Reference values for PolicyLab's Regression target (Tests/RegressionTests).
#
# Writes the data sets to Tests/RegressionTests/Fixtures/data/*.csv and, for each data set,
# the estimates R gives to Tests/RegressionTests/Fixtures/reference/<dataset>.json.
# Run from the repository root, before the two Python scripts (they add to these files):
#     Rscript scripts/reference/regression.R
#     .venv-ref/bin/python scripts/reference/regression_fe.py
#     .venv-ref/bin/python scripts/reference/regression_kp.py
# Needs (Debian 12): apt-get install -y r-base-core r-cran-sandwich r-cran-aer
#     r-cran-estimatr r-cran-plm r-cran-lmtest r-cran-jsonlite
# See scripts/reference/README.md for every convention recorded here.
#
# The simulated data are drawn with set.seed, rounded to 6 decimals and written to CSV;
# every fit below then reads the CSV back, so R and PolicyLab estimate on the same doubles.
# Text columns become factors with levels in byte order (LC_COLLATE=C), as in PolicyLab.

invisible(Sys.setlocale("LC_COLLATE", "C"))
options(scipen = 100, warn = 1)
suppressPackageStartupMessages({
  library(sandwich); library(lmtest); library(AER); library(estimatr); library(plm)
  library(jsonlite)
})
if (!file.exists("Package.swift")) stop("run from the repository root")
data_dir <- "Tests/RegressionTests/Fixtures/data"
ref_dir <- "Tests/RegressionTests/Fixtures/reference"
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)
dir.create(ref_dir, recursive = TRUE, showWarnings = FALSE)
SCRIPT <- "scripts/reference/regression.R"

# ---------------------------------------------------------------------------------------
# CSV and JSON writers
# ---------------------------------------------------------------------------------------

# Plain decimal text: simulated values are already rounded to 6 decimals, so %.6f with
# trailing zeros stripped is exact; derived columns of real data use %.17g (round-trips).
fmt6 <- function(x) {
  s <- sprintf("%.6f", x)
  s <- sub("0+$", "", s)
  s <- sub("\\.$", "", s)
  s[s == "-0"] <- "0"
  s
}
fmt17 <- function(x) {
  s <- sprintf("%.17g", x)
  if (any(grepl("e", s))) stop("exponent notation in CSV output")
  s
}
write_plain_csv <- function(df, file, full = character()) {
  cols <- lapply(names(df), function(nm) {
    v <- df[[nm]]
    if (is.character(v) || is.factor(v)) {
      v <- as.character(v)
      if (any(grepl("[,\"\n ]", v))) stop("text column ", nm, " needs quoting")
      v
    } else if (is.integer(v) || all(v == round(v))) {
      sprintf("%d", as.integer(v))
    } else if (nm %in% full) {
      fmt17(v)
    } else {
      if (any(abs(v * 1e6 - round(v * 1e6)) > 1e-6)) stop("column ", nm, " not rounded")
      fmt6(v)
    }
  })
  lines <- c(paste(names(df), collapse = ","), do.call(paste, c(cols, sep = ",")))
  writeLines(lines, file.path(data_dir, file))
  read.csv(file.path(data_dir, file), stringsAsFactors = FALSE)
}

# Minimal JSON writer with full precision (%.17g); jsonlite's digits = NA keeps only 15.
# A length-1 vector is a scalar unless wrapped in I(); lists with names are objects.
json_num <- function(x) {
  ifelse(is.na(x) | !is.finite(x), "null",
         ifelse(x == round(x) & abs(x) < 1e15, sprintf("%.0f", x), sprintf("%.17g", x)))
}
to_json <- function(x, ind = "") {
  nxt <- paste0(ind, "  ")
  if (is.null(x)) return("null")
  if (is.matrix(x)) {
    rows <- vapply(seq_len(nrow(x)), function(i) to_json(I(unname(x[i, ])), nxt), "")
    return(paste0("[\n", nxt, paste(rows, collapse = paste0(",\n", nxt)), "\n", ind, "]"))
  }
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    inner <- vapply(seq_along(x), function(i) to_json(x[[i]], nxt), "")
    if (!is.null(names(x))) {
      keys <- vapply(names(x), function(k) as.character(toJSON(k, auto_unbox = TRUE)), "")
      inner <- paste0(keys, ": ", inner)
      return(paste0("{\n", nxt, paste(inner, collapse = paste0(",\n", nxt)), "\n", ind, "}"))
    }
    return(paste0("[\n", nxt, paste(inner, collapse = paste0(",\n", nxt)), "\n", ind, "]"))
  }
  arr <- inherits(x, "AsIs") || length(x) != 1
  x <- unclass(x)
  el <- if (is.character(x)) {
    ifelse(is.na(x), "null", vapply(x, function(s) as.character(toJSON(s, auto_unbox = TRUE)), ""))
  } else if (is.logical(x)) {
    ifelse(is.na(x), "null", ifelse(x, "true", "false"))
  } else json_num(as.double(x))
  if (arr) paste0("[", paste(el, collapse = ", "), "]") else el
}

pkg_versions <- function(p) setNames(lapply(p, function(n) as.character(packageVersion(n))), p)
write_reference <- function(dataset, cases, pkgs) {
  out <- list(generated_by = I(SCRIPT),
              r_version = R.version.string,
              packages = pkg_versions(pkgs),
              cases = cases)
  writeLines(to_json(out), file.path(ref_dir, paste0(dataset, ".json")))
  cat(sprintf("wrote %s.json (%d cases)\n", dataset, length(cases)))
}

# ---------------------------------------------------------------------------------------
# Case builders
# ---------------------------------------------------------------------------------------

check_close <- function(a, b, what, tol = 1e-9) {
  a <- as.numeric(a); b <- as.numeric(b)
  err <- max(abs(a - b) / pmax(1, abs(b)))
  if (!is.finite(err) || err > tol) stop(sprintf("cross-check failed: %s (rel err %.3g)", what, err))
  invisible(err)
}

# Wald F of H0: R b = r with covariance V (q = rows of R); df2 is the residual df, as
# lmtest::waldtest and car::linearHypothesis use for an lm.
wald_f <- function(b, V, R, r, df2) {
  R <- matrix(R, ncol = length(b))
  d <- R %*% b - r
  W <- drop(t(d) %*% solve(R %*% V %*% t(R), d))
  q <- nrow(R)
  list(value = W / q, df1 = q, df2 = df2, p_value = pf(W / q, q, df2, lower.tail = FALSE))
}

# Covariance for a spec string. Returns V, tool text, call text and the t df.
vcov_for <- function(fit, spec, d) {
  n_groups <- function(cols) min(vapply(cols, function(c) length(unique(d[[c]])), 1L))
  if (spec == "iid") {
    V <- if (inherits(fit, "ivreg")) vcov(fit) else vcov(fit, complete = FALSE)
    return(list(V = V, tool = "R stats::vcov (classical)", call = "vcov(fit)",
                df = fit$df.residual))
  }
  if (spec %in% c("hc0", "hc1", "hc2", "hc3")) {
    type <- toupper(spec)
    return(list(V = vcovHC(fit, type = type),
                tool = sprintf("R sandwich::vcovHC(type='%s')", type),
                call = sprintf("sandwich::vcovHC(fit, type = \"%s\")", type),
                df = fit$df.residual))
  }
  if (startsWith(spec, "cluster:")) {
    cols <- strsplit(sub("^cluster:", "", spec), ",")[[1]]
    V <- vcovCL(fit, cluster = d[cols], type = "HC1", multi0 = FALSE)
    form <- paste0("~", paste(cols, collapse = " + "))
    return(list(V = V,
                tool = sprintf("R sandwich::vcovCL(cluster=%s, type='HC1', multi0=FALSE)", form),
                call = sprintf("sandwich::vcovCL(fit, cluster = %s, type = \"HC1\", multi0 = FALSE)", form),
                df = n_groups(cols) - 1L, G = lapply(setNames(cols, cols), function(c) length(unique(d[[c]])))))
  }
  if (startsWith(spec, "nw:")) {
    lag_s <- sub("^nw:", "", spec)
    if (lag_s == "auto") {
      bw <- bwNeweyWest(fit, prewhite = FALSE)
      lag <- floor(bw)
      V <- NeweyWest(fit, lag = NULL, prewhite = FALSE, adjust = FALSE)
      check_close(V, NeweyWest(fit, lag = lag, prewhite = FALSE, adjust = FALSE), "nw auto lag")
      return(list(V = V, tool = "R sandwich::NeweyWest(lag=NULL, prewhite=FALSE, adjust=FALSE)",
                  call = "sandwich::NeweyWest(fit, lag = NULL, prewhite = FALSE, adjust = FALSE)",
                  df = fit$df.residual, nw_lag = lag, nw_bandwidth = bw))
    }
    lag <- as.integer(lag_s)
    return(list(V = NeweyWest(fit, lag = lag, prewhite = FALSE, adjust = FALSE),
                tool = sprintf("R sandwich::NeweyWest(lag=%d, prewhite=FALSE, adjust=FALSE)", lag),
                call = sprintf("sandwich::NeweyWest(fit, lag = %d, prewhite = FALSE, adjust = FALSE)", lag),
                df = fit$df.residual, nw_lag = lag))
  }
  stop("unknown vcov spec ", spec)
}

# One JSON case from an lm or ivreg fit and a vcov spec.
fit_case <- function(name, data_file, model, formula, weights, spec, fit, d, fit_call,
                     extra = list()) {
  vc <- vcov_for(fit, spec, d)
  b_all <- coef(fit)
  keep <- !is.na(b_all)
  b <- b_all[keep]
  V <- vc$V[names(b), names(b), drop = FALSE]
  se <- sqrt(diag(V))
  tval <- b / se
  df_t <- vc$df
  s <- summary(fit)
  slopes <- names(b) != "(Intercept)"
  Rm <- diag(length(b))[slopes, , drop = FALSE]
  fstat <- wald_f(b, V, Rm, rep(0, sum(slopes)), fit$df.residual)
  if (spec == "iid" && model %in% c("ols", "wls")) {
    check_close(fstat$value, s$fstatistic[["value"]], paste(name, "F vs summary.lm"))
  } else if (all(keep)) {
    wt <- tryCatch(waldtest(fit, vcov = V, test = "F"), error = function(e) NULL)
    if (!is.null(wt)) check_close(fstat$value, wt$F[2], paste(name, "F vs lmtest::waldtest"))
    else message("note: lmtest::waldtest failed for ", name, "; F computed by hand only")
  }
  qt975 <- qt(0.975, df_t)
  case <- list(
    name = name, data = data_file, model = model, formula = formula, weights = weights,
    vcov = spec, tool = vc$tool,
    call = paste0(fit_call, "; V <- ", vc$call),
    nobs = nobs(fit), df_residual = fit$df.residual, inference_df = df_t,
    r_squared = s$r.squared, adj_r_squared = s$adj.r.squared, sigma = s$sigma,
    f_statistic = fstat,
    terms = I(names(b)), estimate = I(unname(b)), std_error = I(unname(se)),
    statistic = I(unname(tval)),
    p_value = I(2 * pt(abs(unname(tval)), df_t, lower.tail = FALSE)),
    conf_low = I(unname(b - qt975 * se)), conf_high = I(unname(b + qt975 * se)),
    vcov_matrix = unname(V))
  if (!is.null(vc$G)) case$clusters <- vc$G
  if (!is.null(vc$nw_lag)) case$nw_lag <- vc$nw_lag
  if (!is.null(vc$nw_bandwidth)) case$nw_bandwidth <- vc$nw_bandwidth
  if (any(!keep)) case$dropped <- I(names(b_all)[!keep])
  c(case, extra)
}

# Regressor and instrument sides of a two-part IV formula `y ~ regressors | instruments`.
fit_lm_terms <- function(f, d) {
  parts <- strsplit(paste(deparse(f, width.cutoff = 500L), collapse = ""), "|", fixed = TRUE)[[1]]
  lm(as.formula(trimws(parts[1])), data = d)
}
inst_formula <- function(f) {
  parts <- strsplit(paste(deparse(f, width.cutoff = 500L), collapse = ""), "|", fixed = TRUE)[[1]]
  lhs <- trimws(sub("~.*$", "", parts[1]))
  as.formula(paste(lhs, "~", trimws(parts[2])))
}

# estimatr's first-stage F per endogenous variable (Wald F of the excluded instruments
# in that variable's first stage, with the given se_type).
first_stage_f <- function(f_iv, d, se_type, clusters = NULL) {
  fit <- if (is.null(clusters)) {
    iv_robust(f_iv, data = d, se_type = se_type, diagnostics = TRUE)
  } else {
    eval(bquote(iv_robust(f_iv, data = d, se_type = se_type, clusters = .(as.name(clusters)),
                          diagnostics = TRUE)))
  }
  fs <- fit$diagnostic_first_stage_fstatistic
  endo <- sub(":value$", "", grep(":value$", names(fs), value = TRUE))
  if (length(endo) == 0) {
    # One endogenous variable: estimatr names the entries without a prefix.
    endo <- setdiff(colnames(model.matrix(fit_lm_terms(f_iv, d))), colnames(model.matrix(fit_lm_terms(inst_formula(f_iv), d))))
    names(fs) <- c(paste0(endo, ":value"), "nomdf", "dendf", paste0(endo, ":p.value"))
  }
  list(fit = fit, stats = setNames(lapply(endo, function(e) list(
    value = fs[[paste0(e, ":value")]], df1 = fs[["nomdf"]], df2 = fs[["dendf"]],
    p_value = fs[[paste0(e, ":p.value")]])), endo))
}

# ---------------------------------------------------------------------------------------
# 1. sim_cross: cross-section, n = 600
# ---------------------------------------------------------------------------------------
set.seed(20240616)   # chosen so that both two-way clustered covariances below are positive definite
n <- 600
regions <- c("central", "coast", "east", "highland", "north", "south", "west")
firm <- sample(1:40, n, replace = TRUE)
region <- sample(regions, n, replace = TRUE)        # crossed with firm, not nested
g <- sample(c("A", "B", "C", "D"), n, replace = TRUE, prob = c(0.3, 0.25, 0.25, 0.2))
x1 <- rnorm(n)
x2 <- 0.5 * x1 + rnorm(n)
x3 <- runif(n, 0, 2)
w <- runif(n, 0.5, 3)
z1 <- rnorm(n); z2 <- rnorm(n); z3 <- rnorm(n)
u <- rnorm(40, sd = 0.8)[firm] + rnorm(7, sd = 0.5)[match(region, regions)] +
  rnorm(n) * (0.5 + abs(x1)) / sqrt(w)               # firm and region shocks, heteroskedastic
d <- 0.8 * z1 + 0.3 * z2 + 0.4 * x1 + 0.5 * u + rnorm(n)
d2 <- 0.6 * z2 + 0.5 * z3 - 0.3 * x2 + 0.3 * u + rnorm(n)
geff <- c(A = 0, B = 0.4, C = -0.2, D = 0.7)[g]
y <- 1 + 0.5 * x1 - 0.3 * x2 + 0.2 * x3 + geff + 1.0 * d + 0.5 * d2 + u
r6 <- function(v) round(v, 6)
x1 <- r6(x1); x2 <- r6(x2)
cross <- data.frame(y = r6(y), x1 = x1, x2 = x2, x3 = r6(x3), x4 = r6(x1 + x2), g = g,
                    w = r6(w), firm = firm, region = region, d = r6(d), d2 = r6(d2),
                    z1 = r6(z1), z2 = r6(z2), z3 = r6(z3))
cross <- write_plain_csv(cross, "sim_cross.csv")

cases <- list()
f_ols <- "y ~ x1 + x2 + x3 + g"
fit <- lm(as.formula(f_ols), data = cross)
fcall <- sprintf("fit <- lm(%s, data = sim_cross)", f_ols)
# (No one-way cluster:region case: 7 clusters for 7 coefficients make that covariance
# singular, since the cluster score sums add to zero.)
for (spec in c("iid", "hc0", "hc1", "hc2", "hc3", "cluster:firm", "cluster:firm,region")) {
  nm <- paste0("cross_ols_", gsub("[:,]", "_", spec))
  extra <- list()
  if (spec == "hc1") {
    # H0: coefficient of x1 equals that of x2, with the HC1 covariance.
    V <- vcovHC(fit, type = "HC1")
    Rm <- matrix(c(0, 1, -1, 0, 0, 0, 0), nrow = 1)
    wt <- wald_f(coef(fit), V, Rm, 0, fit$df.residual)
    lh <- car::linearHypothesis(fit, "x1 = x2", vcov. = V, test = "F")
    check_close(wt$value, lh$F[2], "wald vs car::linearHypothesis")
    check_close(wt$p_value, lh[["Pr(>F)"]][2], "wald p vs car::linearHypothesis")
    extra$wald <- list(hypothesis = "x1 = x2", R = matrix(Rm, nrow = 1), r = I(0),
                       statistic = wt$value, df1 = wt$df1, df2 = wt$df2, p_value = wt$p_value,
                       chi2 = wt$value * wt$df1,
                       call = "W = (R b - r)' (R V R')^-1 (R b - r); F = W / q; p = pf(F, q, n - k); checked against car::linearHypothesis(fit, \"x1 = x2\", vcov. = V, test = \"F\")")
  }
  cases[[length(cases) + 1]] <- fit_case(nm, "sim_cross.csv", "ols", f_ols, NULL, spec, fit,
                                         cross, fcall, extra)
}

# Two-way clustering by hand: the CGM sum with sandwich's per-term adjustments, to pin
# the convention down (see README).
{
  X <- model.matrix(fit); e <- resid(fit); k <- ncol(X)
  B <- solve(crossprod(X))
  meat_g <- function(cl) { s <- rowsum(X * e, cl); crossprod(s) }
  G <- function(cl) length(unique(cl))
  c1 <- cross$firm; c2 <- cross$region; c12 <- paste(c1, c2, sep = "_")
  Vh <- (G(c1) / (G(c1) - 1) * B %*% meat_g(c1) %*% B +
         G(c2) / (G(c2) - 1) * B %*% meat_g(c2) %*% B -
         G(c12) / (G(c12) - 1) * B %*% meat_g(c12) %*% B) * (n - 1) / (n - k)
  check_close(Vh, vcovCL(fit, cluster = cross[c("firm", "region")], type = "HC1"),
              "two-way cluster by hand")
  cat(sprintf("two-way: G firm=%d region=%d intersection=%d\n", G(c1), G(c2), G(c12)))
}

# Interaction and an operator term.
f_int <- "y ~ x1 + x2 + x1:x3 + g"
fit_int <- lm(as.formula(f_int), data = cross)
cases[[length(cases) + 1]] <- fit_case("cross_ols_interaction_hc1", "sim_cross.csv", "ols",
  f_int, NULL, "hc1", fit_int, cross, sprintf("fit <- lm(%s, data = sim_cross)", f_int))

# Rank deficient: x4 = x1 + x2 exactly in decimal (to within one ulp as doubles).
f_rd <- "y ~ x1 + x2 + x4 + x3"
fit_rd <- lm(as.formula(f_rd), data = cross)
stopifnot(is.na(coef(fit_rd)[["x4"]]))
for (spec in c("iid", "hc1")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("cross_ols_rankdef_", spec), "sim_cross.csv",
    "ols", f_rd, NULL, spec, fit_rd, cross, sprintf("fit <- lm(%s, data = sim_cross)", f_rd))
}

# WLS.
fit_w <- lm(as.formula(f_ols), data = cross, weights = w)
for (spec in c("iid", "hc1", "hc3", "cluster:firm", "cluster:firm,region")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("cross_wls_", gsub("[:,]", "_", spec)),
    "sim_cross.csv", "wls", f_ols, "w", spec, fit_w, cross,
    sprintf("fit <- lm(%s, data = sim_cross, weights = w)", f_ols))
}

# IV, one endogenous regressor. AER::ivreg orders coefficients as in its formula; the
# endogenous variables are written last there, so the order already is
# [exogenous incl. intercept..., endogenous...] and nothing is reordered.
f_iv1 <- "y ~ x1 + x2 + x3 + g | d ~ z1 + z2 + z3"
r_iv1 <- "y ~ x1 + x2 + x3 + g + d | x1 + x2 + x3 + g + z1 + z2 + z3"
fit_iv1 <- ivreg(as.formula(r_iv1), data = cross)
fs1 <- list(classical = first_stage_f(as.formula(r_iv1), cross, "classical"),
            HC1 = first_stage_f(as.formula(r_iv1), cross, "HC1"),
            stata_cluster_firm = first_stage_f(as.formula(r_iv1), cross, "stata", "firm"))
check_close(coef(fs1$HC1$fit), coef(fit_iv1), "iv1 estimatr vs ivreg coefficients")
check_close(fs1$HC1$fit$vcov, vcovHC(fit_iv1, type = "HC1"), "iv1 estimatr HC1 vs sandwich")
check_close(fs1$stata_cluster_firm$fit$vcov,
            vcovCL(fit_iv1, cluster = cross["firm"], type = "HC1"), "iv1 estimatr stata vs vcovCL")
fs_field <- function(fs) lapply(fs, function(x) x$stats)
fs_calls <- function(r_f) list(
  classical = sprintf("estimatr::iv_robust(%s, data = sim_cross, se_type = \"classical\", diagnostics = TRUE)$diagnostic_first_stage_fstatistic", r_f),
  HC1 = sprintf("estimatr::iv_robust(%s, data = sim_cross, se_type = \"HC1\", diagnostics = TRUE)$diagnostic_first_stage_fstatistic", r_f),
  stata_cluster_firm = sprintf("estimatr::iv_robust(%s, data = sim_cross, se_type = \"stata\", clusters = firm, diagnostics = TRUE)$diagnostic_first_stage_fstatistic", r_f))
for (spec in c("iid", "hc1", "hc3", "cluster:firm")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("cross_iv1_", gsub("[:,]", "_", spec)),
    "sim_cross.csv", "iv", f_iv1, NULL, spec, fit_iv1, cross,
    sprintf("fit <- AER::ivreg(%s, data = sim_cross)", r_iv1),
    list(endogenous = I("d"), instruments = I(c("z1", "z2", "z3")),
         first_stage_f = fs_field(fs1), first_stage_f_call = fs_calls(r_iv1)))
}

# ivreg's HC2/HC3 leverage is AER::hatvalues.ivreg: h_i = x_i' (Xhat'Xhat)^-1 xhat_i, with
# x_i the row of the regressors and xhat_i its first-stage projection -- not the diagonal
# of the projection on Xhat. Pin it down by hand.
{
  X <- model.matrix(fit_iv1, component = "regressors")
  Xh <- model.matrix(fit_iv1, component = "projected")
  h <- rowSums((X %*% solve(crossprod(Xh))) * Xh)
  check_close(h, hatvalues(fit_iv1), "ivreg hatvalues by hand")
  e <- resid(fit_iv1); B <- solve(crossprod(Xh))
  check_close(B %*% crossprod(Xh * (e / (1 - h))) %*% B, vcovHC(fit_iv1, type = "HC3"),
              "ivreg HC3 by hand")
  n_ <- nrow(X); k_ <- ncol(X)
  check_close(B %*% crossprod(Xh * e) %*% B * n_ / (n_ - k_), vcovHC(fit_iv1, type = "HC1"),
              "ivreg HC1 by hand")
}

# IV, two endogenous regressors.
f_iv2 <- "y ~ x1 + x2 + x3 + g | d + d2 ~ z1 + z2 + z3"
r_iv2 <- "y ~ x1 + x2 + x3 + g + d + d2 | x1 + x2 + x3 + g + z1 + z2 + z3"
fit_iv2 <- ivreg(as.formula(r_iv2), data = cross)
fs2 <- list(classical = first_stage_f(as.formula(r_iv2), cross, "classical"),
            HC1 = first_stage_f(as.formula(r_iv2), cross, "HC1"),
            stata_cluster_firm = first_stage_f(as.formula(r_iv2), cross, "stata", "firm"))
check_close(coef(fs2$HC1$fit), coef(fit_iv2), "iv2 estimatr vs ivreg coefficients")
check_close(fs2$HC1$fit$vcov, vcovHC(fit_iv2, type = "HC1"), "iv2 estimatr HC1 vs sandwich")
for (spec in c("iid", "hc1", "cluster:firm")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("cross_iv2_", gsub("[:,]", "_", spec)),
    "sim_cross.csv", "iv", f_iv2, NULL, spec, fit_iv2, cross,
    sprintf("fit <- AER::ivreg(%s, data = sim_cross)", r_iv2),
    list(endogenous = I(c("d", "d2")), instruments = I(c("z1", "z2", "z3")),
         first_stage_f = fs_field(fs2), first_stage_f_call = fs_calls(r_iv2)))
}
write_reference("sim_cross", cases, c("stats", "sandwich", "lmtest", "AER", "car", "estimatr"))

# ---------------------------------------------------------------------------------------
# 2. sim_ts: time series with AR(1) errors, n = 300
# ---------------------------------------------------------------------------------------
set.seed(20240612)
n <- 300
x1 <- as.numeric(arima.sim(list(ar = 0.5), n))
x2 <- rnorm(n)
u <- as.numeric(arima.sim(list(ar = 0.6), n)) * (1 + 0.3 * abs(x2))
y <- 2 + 1.5 * x1 - 0.8 * x2 + u
ts_d <- write_plain_csv(data.frame(t = 1:n, x1 = r6(x1), x2 = r6(x2), y = r6(y)), "sim_ts.csv")
f_ts <- "y ~ x1 + x2"
fit_ts <- lm(as.formula(f_ts), data = ts_d)
cases <- list()
for (spec in c("iid", "hc1", "nw:4", "nw:auto")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("ts_ols_", gsub("[:,]", "_", spec)),
    "sim_ts.csv", "ols", f_ts, NULL, spec, fit_ts, ts_d,
    sprintf("fit <- lm(%s, data = sim_ts)  # rows in t order", f_ts))
}
# Newey-West by hand: S = sum_t u_t u_t' + sum_{l=1..L} (1 - l/(L+1)) sum_t (u_t u_{t-l}' + u_{t-l} u_t'),
# u_t = x_t e_t; V = (X'X)^-1 S (X'X)^-1 (no n/(n-k) factor); the automatic lag is
# floor(bwNeweyWest(fit, prewhite = FALSE)).
nw_by_hand <- function(fit, L) {
  X <- model.matrix(fit); u <- X * resid(fit); n_ <- nrow(u)
  S <- crossprod(u)
  for (l in seq_len(L)) {
    G <- crossprod(u[(l + 1):n_, , drop = FALSE], u[1:(n_ - l), , drop = FALSE])
    S <- S + (1 - l / (L + 1)) * (G + t(G))
  }
  B <- solve(crossprod(X)); B %*% S %*% B
}
check_close(nw_by_hand(fit_ts, 4), NeweyWest(fit_ts, lag = 4, prewhite = FALSE, adjust = FALSE), "NW lag 4 by hand")
{
  X <- model.matrix(fit_ts); hw <- drop((X * resid(fit_ts))[, -1] %*% rep(1, ncol(X) - 1)); n_ <- length(hw)
  m <- floor(4 * (n_ / 100)^(2 / 9))
  sig <- sapply(0:m, function(j) sum(hw[1:(n_ - j)] * hw[(j + 1):n_]) / n_)
  s0 <- sig[1] + 2 * sum(sig[-1]); s1 <- 2 * sum((1:m) * sig[-1])
  bw <- 1.1447 * ((s1 / s0)^2)^(1 / 3) * n_^(1 / 3)
  check_close(bw, bwNeweyWest(fit_ts, prewhite = FALSE), "bwNeweyWest by hand")
  cat(sprintf("sim_ts: NW auto bandwidth %.6f -> lag %d (m = %d)\n", bw, floor(bw), m))
}
write_reference("sim_ts", cases, c("stats", "sandwich", "lmtest"))

# ---------------------------------------------------------------------------------------
# 3. sim_panel: unbalanced panel, 200 ids nested in 20 states, 10 years, 20 singleton ids
# ---------------------------------------------------------------------------------------
set.seed(20240613)
ids <- 1:200
state_of <- (ids - 1) %/% 10 + 1                      # id nested in state
single <- ids[ids %% 10 == 0]                         # 20 ids observed once
rows <- do.call(rbind, lapply(ids, function(i) {
  yrs <- if (i %in% single) sample(2001:2010, 1) else {
    keep <- 2001:2010
    keep <- keep[runif(10) < 0.93]
    if (length(keep) < 2) keep <- 2001:2010
    keep
  }
  data.frame(id = i, year = yrs)
}))
np <- nrow(rows)
alpha <- rnorm(200)[rows$id]
gam <- rnorm(10, sd = 0.5)[rows$year - 2000]
st <- state_of[rows$id]
shock <- rnorm(20 * 10, sd = 0.7)[(st - 1) * 10 + rows$year - 2000]   # state-year shock
x1 <- rnorm(np) + 0.5 * alpha
x2 <- rnorm(np) + 0.3 * gam
x3 <- runif(np, -1, 1)
z1 <- rnorm(np); z2 <- rnorm(np) + 0.3 * alpha
eps <- shock + rnorm(np) * (0.6 + 0.4 * abs(x3))
d <- 0.7 * z1 + 0.4 * z2 + 0.3 * x1 + 0.5 * alpha + 0.5 * eps + rnorm(np)
y <- 0.6 * x1 - 0.4 * x2 + 0.25 * x3 + 0.8 * d + alpha + gam + eps
panel <- write_plain_csv(data.frame(id = rows$id, year = rows$year, state = st,
  x1 = r6(x1), x2 = r6(x2), x3 = r6(x3), d = r6(d), z1 = r6(z1), z2 = r6(z2), y = r6(y)),
  "sim_panel.csv")
cat(sprintf("sim_panel: %d rows, %d ids, %d singleton ids\n", nrow(panel),
            length(unique(panel$id)), sum(table(panel$id) == 1)))

# Cross-checks of the fixest-style cases that regression_fe.py writes (same formulas).
cases <- list()
fe_case <- function(name, formula, tool, call, b, V, nobs, df_res, df_t, extra = list()) {
  se <- sqrt(diag(V)); tv <- b / se; q <- qt(0.975, df_t)
  c(list(name = name, data = "sim_panel.csv", model = extra$model %||% "fe", formula = formula,
         weights = NULL, vcov = extra$vcov, tool = tool, call = call, nobs = nobs,
         df_residual = df_res, inference_df = df_t,
         terms = I(names(b)), estimate = I(unname(b)), std_error = I(unname(se)),
         statistic = I(unname(tv)), p_value = I(2 * pt(abs(unname(tv)), df_t, lower.tail = FALSE)),
         conf_low = I(unname(b - q * se)), conf_high = I(unname(b + q * se)),
         vcov_matrix = unname(V)), extra[setdiff(names(extra), c("model", "vcov"))])
}
`%||%` <- function(a, b) if (is.null(a)) b else a

er <- lm_robust(y ~ x1 + x2 + x3, data = panel, fixed_effects = ~ id + year,
                clusters = state, se_type = "stata")
cases[[length(cases) + 1]] <- fe_case("panel_fe_estimatr_cluster_state", "y ~ x1 + x2 + x3 | id + year",
  "R estimatr::lm_robust(fixed_effects=~id+year, clusters=state, se_type='stata')",
  "estimatr::lm_robust(y ~ x1 + x2 + x3, data = sim_panel, fixed_effects = ~ id + year, clusters = state, se_type = \"stata\")",
  coef(er), er$vcov, er$nobs, er$df.residual, er$df[[1]],
  list(vcov = "cluster:state", r_squared = er$r.squared, adj_r_squared = er$adj.r.squared,
       within_r_squared = er$proj_r.squared, adj_within_r_squared = er$proj_adj.r.squared,
       estimatr_k = er$k, estimatr_rank = er$rank, clusters = list(state = er$nclusters),
       singletons_removed = 0))
er_hc1 <- lm_robust(y ~ x1 + x2 + x3, data = panel, fixed_effects = ~ id + year, se_type = "HC1")
cases[[length(cases) + 1]] <- fe_case("panel_fe_estimatr_hc1", "y ~ x1 + x2 + x3 | id + year",
  "R estimatr::lm_robust(fixed_effects=~id+year, se_type='HC1')",
  "estimatr::lm_robust(y ~ x1 + x2 + x3, data = sim_panel, fixed_effects = ~ id + year, se_type = \"HC1\")",
  coef(er_hc1), er_hc1$vcov, er_hc1$nobs, er_hc1$df.residual, er_hc1$df[[1]],
  list(vcov = "hc1", estimatr_k = er_hc1$k, singletons_removed = 0))
er_iv <- iv_robust(y ~ x1 + d | x1 + z1 + z2, data = panel, fixed_effects = ~ id + year,
                   clusters = state, se_type = "stata")
cases[[length(cases) + 1]] <- fe_case("panel_feiv_estimatr_cluster_state", "y ~ x1 | id + year | d ~ z1 + z2",
  "R estimatr::iv_robust(fixed_effects=~id+year, clusters=state, se_type='stata')",
  "estimatr::iv_robust(y ~ x1 + d | x1 + z1 + z2, data = sim_panel, fixed_effects = ~ id + year, clusters = state, se_type = \"stata\")",
  coef(er_iv), er_iv$vcov, er_iv$nobs, er_iv$df.residual, er_iv$df[[1]],
  list(model = "fe_iv", vcov = "cluster:state", estimatr_k = er_iv$k, singletons_removed = 0))

pdat <- pdata.frame(panel, index = c("id", "year"))
pw <- plm(y ~ x1 + x2 + x3, data = pdat, model = "within", effect = "twoways")
ps <- summary(pw)
cases[[length(cases) + 1]] <- fe_case("panel_fe_plm_iid", "y ~ x1 + x2 + x3 | id + year",
  "R plm::plm(model='within', effect='twoways'), classical vcov",
  "plm::plm(y ~ x1 + x2 + x3, data = pdata.frame(sim_panel, index = c(\"id\", \"year\")), model = \"within\", effect = \"twoways\"); vcov(fit)",
  coef(pw), vcov(pw), nobs(pw), df.residual(pw), df.residual(pw),
  list(vcov = "iid", r_squared_within = ps$r.squared[["rsq"]],
       adj_r_squared_within = ps$r.squared[["adjrsq"]], singletons_removed = 0))
Vpa <- vcovHC(pw, method = "arellano", type = "HC1", cluster = "group")
cases[[length(cases) + 1]] <- fe_case("panel_fe_plm_arellano_hc1_id", "y ~ x1 + x2 + x3 | id + year",
  "R plm::vcovHC.plm(method='arellano', type='HC1', cluster='group')",
  "plm::vcovHC(fit, method = \"arellano\", type = \"HC1\", cluster = \"group\")",
  coef(pw), Vpa, nobs(pw), df.residual(pw), df.residual(pw),
  list(vcov = "cluster:id", clusters = list(id = length(unique(panel$id))), singletons_removed = 0))
check_close(coef(er), coef(pw), "estimatr vs plm FE coefficients")
write_reference("sim_panel", cases, c("stats", "estimatr", "plm"))

# ---------------------------------------------------------------------------------------
# 4. Real data
# ---------------------------------------------------------------------------------------
data("CigarettesSW", package = "AER")
cig <- CigarettesSW
cig_out <- data.frame(state = as.character(cig$state), year = as.integer(as.character(cig$year)),
                      cpi = cig$cpi, population = cig$population, packs = cig$packs,
                      income = cig$income, tax = cig$tax, price = cig$price, taxs = cig$taxs)
# AER stores these as float32-derived doubles; keep R's 15-significant-digit text of them
# (what the CSV holds) and derive the extra columns from those values.
for (nm in c("cpi", "population", "packs", "income", "tax", "price", "taxs"))
  cig_out[[nm]] <- as.numeric(as.character(signif(cig_out[[nm]], 15)))
# Derived columns (Stock & Watson): real price, real per-capita income, real sales tax.
cig_out$rprice <- cig_out$price / cig_out$cpi
cig_out$rincome <- cig_out$income / cig_out$population / cig_out$cpi
cig_out$tdiff <- (cig_out$taxs - cig_out$tax) / cig_out$cpi
write_real <- function(df, file) {
  raw <- c("cpi", "population", "packs", "income", "tax", "price", "taxs")
  out <- df
  for (nm in names(out)) if (is.numeric(out[[nm]]) && !is.integer(out[[nm]])) {
    if (nm %in% raw) {
      s <- as.character(signif(out[[nm]], 15))       # R's own 15-digit text of the data
      if (any(grepl("e", s))) stop("exponent in ", nm)
      out[[nm]] <- s
    } else out[[nm]] <- fmt17(out[[nm]])
  }
  lines <- c(paste(names(out), collapse = ","), do.call(paste, c(lapply(out, as.character), sep = ",")))
  writeLines(lines, file.path(data_dir, file))
  read.csv(file.path(data_dir, file), stringsAsFactors = FALSE)
}
cig_all <- write_real(cig_out, "cigarettes_sw.csv")
cig95 <- write_real(cig_out[cig_out$year == 1995, ], "cigarettes_sw_1995.csv")

cases <- list()
f_c <- "log(packs) ~ log(rincome) | log(rprice) ~ tdiff + I(tax/cpi)"
r_c <- "log(packs) ~ log(rincome) + log(rprice) | log(rincome) + tdiff + I(tax/cpi)"
fit_c <- ivreg(as.formula(r_c), data = cig95)
fsc <- list(classical = first_stage_f(as.formula(r_c), cig95, "classical"),
            HC1 = first_stage_f(as.formula(r_c), cig95, "HC1"))
for (spec in c("iid", "hc1")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("cig95_iv_", spec), "cigarettes_sw_1995.csv",
    "iv", f_c, NULL, spec, fit_c, cig95,
    sprintf("fit <- AER::ivreg(%s, data = cigarettes_sw_1995)", r_c),
    list(endogenous = I("log(rprice)"), instruments = I(c("tdiff", "I(tax/cpi)")),
         first_stage_f = lapply(fsc, function(x) x$stats),
         first_stage_f_call = list(
           classical = sprintf("estimatr::iv_robust(%s, data = cigarettes_sw_1995, se_type = \"classical\", diagnostics = TRUE)$diagnostic_first_stage_fstatistic", r_c),
           HC1 = sprintf("estimatr::iv_robust(%s, data = cigarettes_sw_1995, se_type = \"HC1\", diagnostics = TRUE)$diagnostic_first_stage_fstatistic", r_c))))
}
write_reference("cigarettes_sw_1995", cases, c("stats", "sandwich", "lmtest", "AER", "estimatr"))

cases <- list()
f_ca <- "log(packs) ~ log(rprice) + log(rincome)"
fit_ca <- lm(as.formula(f_ca), data = cig_all)
for (spec in c("iid", "hc1", "cluster:state")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("cig_ols_", gsub("[:,]", "_", spec)),
    "cigarettes_sw.csv", "ols", f_ca, NULL, spec, fit_ca, cig_all,
    sprintf("fit <- lm(%s, data = cigarettes_sw)", f_ca))
}
write_reference("cigarettes_sw", cases, c("stats", "sandwich", "lmtest", "AER"))

data("Grunfeld", package = "plm")
gr <- write_plain_csv(data.frame(firm = Grunfeld$firm, year = Grunfeld$year, inv = Grunfeld$inv,
                                 value = Grunfeld$value, capital = Grunfeld$capital), "grunfeld.csv")
cases <- list()
f_g <- "inv ~ value + capital"
fit_g <- lm(as.formula(f_g), data = gr)
for (spec in c("iid", "hc1", "cluster:firm")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("grunfeld_ols_", gsub("[:,]", "_", spec)),
    "grunfeld.csv", "ols", f_g, NULL, spec, fit_g, gr, sprintf("fit <- lm(%s, data = grunfeld)", f_g))
}
gp <- plm(inv ~ value + capital, data = pdata.frame(gr, index = c("firm", "year")),
          model = "within", effect = "twoways")
gps <- summary(gp)
ger <- lm_robust(inv ~ value + capital, data = gr, fixed_effects = ~ firm + year,
                 clusters = firm, se_type = "stata")
check_close(coef(ger), coef(gp), "grunfeld estimatr vs plm")
fe_g <- function(name, tool, call, b, V, nobs, df_res, df_t, extra) {
  x <- fe_case(name, "inv ~ value + capital | firm + year", tool, call, b, V, nobs, df_res, df_t, extra)
  x$data <- "grunfeld.csv"; x
}
cases[[length(cases) + 1]] <- fe_g("grunfeld_fe_plm_iid",
  "R plm::plm(model='within', effect='twoways'), classical vcov",
  "plm::plm(inv ~ value + capital, data = pdata.frame(grunfeld, index = c(\"firm\", \"year\")), model = \"within\", effect = \"twoways\"); vcov(fit)",
  coef(gp), vcov(gp), nobs(gp), df.residual(gp), df.residual(gp),
  list(vcov = "iid", r_squared_within = gps$r.squared[["rsq"]],
       adj_r_squared_within = gps$r.squared[["adjrsq"]], singletons_removed = 0))
cases[[length(cases) + 1]] <- fe_g("grunfeld_fe_estimatr_cluster_firm",
  "R estimatr::lm_robust(fixed_effects=~firm+year, clusters=firm, se_type='stata')",
  "estimatr::lm_robust(inv ~ value + capital, data = grunfeld, fixed_effects = ~ firm + year, clusters = firm, se_type = \"stata\")",
  coef(ger), ger$vcov, ger$nobs, ger$df.residual, ger$df[[1]],
  list(vcov = "cluster:firm", r_squared = ger$r.squared, adj_r_squared = ger$adj.r.squared,
       within_r_squared = ger$proj_r.squared, adj_within_r_squared = ger$proj_adj.r.squared,
       estimatr_k = ger$k, clusters = list(firm = ger$nclusters), singletons_removed = 0))
write_reference("grunfeld", cases, c("stats", "sandwich", "lmtest", "plm", "estimatr"))

data("Journals", package = "AER")
jr <- Journals
jr_out <- data.frame(society = as.character(jr$society), price = jr$price, pages = jr$pages,
                     charpp = jr$charpp, citations = jr$citations, foundingyear = jr$foundingyear,
                     subs = jr$subs)
jr_out$citeprice <- jr_out$price / jr_out$citations
jr_out$age <- 2000L - jr_out$foundingyear
jrd <- write_real(jr_out, "journals.csv")
cases <- list()
f_j <- "log(subs) ~ log(citeprice)"
fit_j <- lm(as.formula(f_j), data = jrd)
for (spec in c("iid", "hc0", "hc1", "hc2", "hc3")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("journals_ols_", spec), "journals.csv", "ols",
    f_j, NULL, spec, fit_j, jrd, sprintf("fit <- lm(%s, data = journals)", f_j))
}
f_j2 <- "log(subs) ~ log(citeprice) + log(age) + society"
fit_j2 <- lm(as.formula(f_j2), data = jrd)
for (spec in c("iid", "hc3")) {
  cases[[length(cases) + 1]] <- fit_case(paste0("journals_ols2_", spec), "journals.csv", "ols",
    f_j2, NULL, spec, fit_j2, jrd, sprintf("fit <- lm(%s, data = journals)", f_j2))
}
write_reference("journals", cases, c("stats", "sandwich", "lmtest", "AER"))

#!/usr/bin/env Rscript
# Reference design matrices for PolicyLab's formula language (Tests/TabularTests/Design*).
#
# Reads Tests/TabularTests/Fixtures/design/households.csv and, for each formula below, writes
# what R's model.matrix gives on the rows lm() would use: the kept row numbers, the response,
# the weights, the column names and the values at full precision (%.17g, as strings), to
# Tests/TabularTests/Fixtures/design/model_matrix.json. Run from the repository root:
#     Rscript scripts/reference/model_matrix.R
# Needs only base R (Debian: apt-get install -y r-base-core).
#
# Where PolicyLab differs from R on purpose, the R formula differs and names are mapped:
#   poly(x, d)           is R's poly(x, d, raw = TRUE); names `poly(x, d)1` ... (raw powers)
#   i(g)                 is R's factor(g)
#   i(g, ref = "Java")   is R's relevel(factor(g), ref = "Java"); named like factor(g)
# Levels of text columns sort in the C locale (byte order), as PolicyLab sorts them.

invisible(Sys.setlocale("LC_COLLATE", "C"))
dir <- "Tests/TabularTests/Fixtures/design"
if (!file.exists(file.path(dir, "households.csv"))) stop("run from the repository root")

data <- read.csv(file.path(dir, "households.csv"), stringsAsFactors = FALSE,
                 colClasses = c(y = "numeric", x1 = "numeric", x2 = "numeric", g = "character",
                                size = "integer", urban = "logical", w = "numeric",
                                village = "integer", district = "integer", year = "integer"))

# id, PolicyLab formula, R formula (NA: the same), weighted
cases <- list(
  list("basic",              "y ~ x1 + x2"),
  list("minus_one",          "y ~ x1 + x2 - 1"),
  list("plus_zero",          "y ~ 0 + x1 + x2"),
  list("intercept_only",     "y ~ 1"),
  list("colon",              "y ~ x1:x2"),
  list("star",               "y ~ x1*x2"),
  list("transforms",         "log(y) ~ log(x1) + exp(x2) + sqrt(x1)"),
  list("log_family",         "y ~ log(x1, 2) + log10(x1) + log2(x1) + log1p(x1) + abs(x2)"),
  list("identity",           "y ~ I(x1^2) + I(x1 * x2) + I((x1 + 1)/2) + I(-x2) + I(x1 - 2.5) + I(x1*1e5) + I(x2^3)"),
  list("response_arith",     "I(y/100) ~ x1 + size"),
  list("poly",               "y ~ poly(x1, 3)", "y ~ poly(x1, 3, raw = TRUE)"),
  list("poly_by_text",       "y ~ poly(x2, 2):g", "y ~ poly(x2, 2, raw = TRUE):g"),
  list("text",               "y ~ g"),
  list("text_no_intercept",  "y ~ 0 + g"),
  list("factor",             "y ~ factor(g)"),
  list("i",                  "y ~ i(g)", "y ~ factor(g)"),
  list("i_ref",              "y ~ x1 + i(g, ref = \"Java\")", "y ~ x1 + relevel(factor(g), ref = \"Java\")"),
  list("num_by_i_ref",       "y ~ x2:i(g, ref = \"Papua\")", "y ~ x2:relevel(factor(g), ref = \"Papua\")"),
  list("num_colon_factor",   "y ~ x1:factor(g)"),
  list("num_star_factor",    "y ~ x1*factor(g)"),
  list("factor_colon_num",   "y ~ factor(g):x1"),
  list("star_minus_main",    "y ~ x1*g - x1"),
  list("int_and_logical",    "y ~ size + urban"),
  list("logical_no_int",     "y ~ 0 + urban + x1"),
  list("num_by_logical",     "y ~ x1:urban"),
  list("logical_star_text",  "y ~ urban*g"),
  list("two_factors_no_int", "y ~ 0 + g + urban"),
  list("factor_of_int",      "y ~ factor(size) + factor(urban)"),
  list("crossing",           "y ~ (x1 + x2 + g)^2"),
  list("nesting",            "y ~ x1/g"),
  list("three_way_minus",    "y ~ x1*x2*g - x1:x2:g"),
  list("weighted",           "y ~ x1 + g", NA, TRUE)
)

num <- function(v) paste0("\"", sprintf("%.17g", v), "\"", collapse = ", ")
str <- function(v) paste0("\"", gsub("\"", "\\\\\"", v), "\"", collapse = ", ")

rename <- function(names) {
  names <- gsub("poly\\(([^,]+), ([0-9]+), raw = TRUE\\)", "poly(\\1, \\2)", names)
  gsub("relevel\\(factor\\(([^)]+)\\), ref = \"[^\"]*\"\\)", "factor(\\1)", names)
}

out <- c("{", sprintf("  \"r_version\": \"%s\",", R.version.string),
         "  \"data\": \"households.csv\",", "  \"cases\": [")
for (k in seq_along(cases)) {
  case <- cases[[k]]
  id <- case[[1]]; formula <- case[[2]]
  r_formula <- if (length(case) >= 3 && !is.na(case[[3]])) case[[3]] else formula
  weighted <- length(case) >= 4 && isTRUE(case[[4]])
  mf <- if (weighted) {
    model.frame(as.formula(r_formula), data, weights = w, drop.unused.levels = TRUE)
  } else {
    model.frame(as.formula(r_formula), data, drop.unused.levels = TRUE)
  }
  mm <- model.matrix(attr(mf, "terms"), mf)
  columns <- vapply(seq_len(ncol(mm)), function(j) paste0("[", num(mm[, j]), "]"), "")
  entry <- c(
    "    {",
    sprintf("      \"id\": \"%s\",", id),
    sprintf("      \"formula\": %s,", str(formula)),
    sprintf("      \"r_formula\": %s,", str(r_formula)),
    sprintf("      \"weights\": %s,", if (weighted) "\"w\"" else "null"),
    sprintf("      \"rows\": [%s],", paste(rownames(mf), collapse = ", ")),
    sprintf("      \"response\": [%s],", num(model.response(mf))),
    sprintf("      \"weight_values\": [%s],", if (weighted) num(model.weights(mf)) else ""),
    sprintf("      \"assign\": [%s],", paste(attr(mm, "assign"), collapse = ", ")),
    sprintf("      \"names\": [%s],", str(rename(colnames(mm)))),
    sprintf("      \"columns\": [\n        %s\n      ]", paste(columns, collapse = ",\n        ")),
    if (k < length(cases)) "    }," else "    }")
  out <- c(out, entry)
}
out <- c(out, "  ]", "}")
writeLines(out, file.path(dir, "model_matrix.json"))
cat("wrote", file.path(dir, "model_matrix.json"), "(", length(cases), "formulas,", R.version.string, ")\n")

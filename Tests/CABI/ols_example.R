# The R example of README.md ("From R"), run by scripts/test-c-abi when Rscript exists:
# OLS with HC1 standard errors through libPolicyLab.so and R's .C(), checked against lm()
# and the HC1 sandwich (sandwich::vcovHC when installed, else the formula in base R).
#   Rscript Tests/CABI/ols_example.R /path/to/libPolicyLab.so
args <- commandArgs(trailingOnly = TRUE)
library_path <- if (length(args) > 0) args[1] else Sys.getenv("POLICYLAB_LIBRARY")
dyn.load(library_path)

policylab_ols <- function(X, y, vcov = "iid", weights = NULL) {
  k <- ncol(X)
  fit <- .C("policylab_r_ols", n = nrow(X), k = k, x = as.double(X), y = as.double(y),
            weights = if (is.null(weights)) double(1) else as.double(weights),
            has_weights = as.integer(!is.null(weights)), vcov = vcov,
            coef = double(k), stderr = double(k), vcov_matrix = double(k * k), status = integer(1))
  if (fit$status != 0L) {
    message <- .C("policylab_r_last_error", message = strrep(" ", 1000))$message
    stop("policylab: ", trimws(message), call. = FALSE)
  }
  list(coef = fit$coef, stderr = fit$stderr, vcov = matrix(fit$vcov_matrix, k, k))
}

X <- cbind(1, mtcars$wt, mtcars$hp)   # R matrices are column-major, as the C ABI reads them
y <- mtcars$mpg
fit <- policylab_ols(X, y, vcov = "hc1")
print(rbind(estimate = fit$coef, std_error = fit$stderr))

reference <- lm(mpg ~ wt + hp, data = mtcars)
stopifnot(isTRUE(all.equal(fit$coef, unname(coef(reference)), tolerance = 1e-10)))
if (requireNamespace("sandwich", quietly = TRUE)) {
  hc1 <- unname(sandwich::vcovHC(reference, type = "HC1"))
} else {
  bread <- solve(crossprod(X))
  meat <- crossprod(X * residuals(reference))
  hc1 <- bread %*% meat %*% bread * nrow(X) / (nrow(X) - ncol(X))
}
stopifnot(isTRUE(all.equal(fit$vcov, hc1, tolerance = 1e-10)))
iid <- policylab_ols(X, y)
stopifnot(isTRUE(all.equal(iid$stderr, unname(coef(summary(reference))[, 2]), tolerance = 1e-10)))
wls <- policylab_ols(X, y, weights = mtcars$cyl)
stopifnot(isTRUE(all.equal(wls$coef, unname(coef(lm(mpg ~ wt + hp, data = mtcars, weights = cyl))), tolerance = 1e-10)))

failed <- tryCatch({ policylab_ols(X, y, vcov = "hc9"); FALSE }, error = function(e) grepl("hc9", conditionMessage(e)))
stopifnot(failed)
cat("R-example: 5 passed, 0 failed\n")

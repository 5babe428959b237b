import LinearAlgebra

/// The dense storage some methods keep — n × n matrices (CMA-ES's covariance and eigenvectors,
/// a Newton method's Hessian) or a population of points (differential evolution, the
/// Nelder–Mead simplex): a dimension whose storage cannot fit in memory is refused before the
/// first array is allocated (an allocation that fails traps).
enum DenseWorkspace {
    /// - Throws: `OptimizationError.invalidSetting` for `dimension` when `matrices` dense
    ///   n × n matrices of doubles exceed `MemoryBudget.availableBytes`.
    static func require(matrices: Int, dimension n: Int, method: String) throws {
        try require(points: n, dimension: n, copies: matrices, method: method, what: "\(matrices) dense \(n) × \(n) matrices")
    }

    /// - Throws: `OptimizationError.invalidSetting` for `dimension` when `copies` sets of
    ///   `points` points of `dimension` doubles exceed `MemoryBudget.availableBytes`.
    static func require(points: Int, dimension n: Int, copies: Int, method: String, what: String? = nil) throws {
        let (cells, overflow) = points.multipliedReportingOverflow(by: n)
        guard !overflow, MemoryBudget.bytesIfAvailable(cells, bytesPerItem: 8 * copies) != nil else {
            throw OptimizationError.invalidSetting(name: "dimension", reason:
                "\(method) keeps \(what ?? "\(copies) × \(points) points of dimension \(n)"): "
                + "\(MemoryBudget.shortfall(points, bytesPerItem: 8 * copies * n)); L-BFGS-B (memory O(n)) suits this dimension")
        }
    }
}

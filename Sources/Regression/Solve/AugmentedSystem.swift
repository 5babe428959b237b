import LinearAlgebra

/// Solves with the augmented least-squares system through a pivoted QR A·P = Q·R of
/// full column rank p: given (f, g), the correction (δx, δr) with
/// δr + A·δx = f and Aᵀ·δr = g is a = R⁻ᵀPᵀg, t = (Qᵀf)₁..ₚ − a, δx = P·R⁻¹t,
/// δr = f − Q·[t; 0] (Björck 1967; with f, g from double-double residuals this is
/// iterative refinement that also removes the κ²·‖r‖ term of the least-squares error).
enum AugmentedSystem {
    /// - Complexity: O(n·p) for the two Q applications plus O(p²).
    static func solve(qr: PivotedQR, rank p: Int, f: [Double], g: [Double]) throws -> (dx: [Double], dr: [Double]) {
        let n = qr.rows
        let upper = qr.packed.view(rows: 0..<p, columns: 0..<p)
        var a = (0..<p).map { g[qr.permutation[$0]] }
        try BLAS.trsv(upper.T, .lower, .nonUnit, &a)
        let qtf = try qr.applyQTransposed(Matrix(rows: n, columns: 1, columnMajor: f)).storage
        var t = (0..<p).map { qtf[$0] - a[$0] }
        var padded = [Double](repeating: 0, count: n)
        for j in 0..<p { padded[j] = t[j] }
        let qt = try qr.applyQ(Matrix(rows: n, columns: 1, columnMajor: padded)).storage
        try BLAS.trsv(upper, .upper, .nonUnit, &t)
        var dx = [Double](repeating: 0, count: p)
        for j in 0..<p { dx[qr.permutation[j]] = t[j] }
        let dr = (0..<n).map { f[$0] - qt[$0] }
        return (dx, dr)
    }

    /// (AᵀA)⁻¹ = P·R⁻¹R⁻ᵀ·Pᵀ in A's column order.
    /// - Complexity: O(p³).
    static func inverseGram(qr: PivotedQR, rank p: Int) throws -> Matrix {
        var inverse = Matrix.identity(p)
        try BLAS.trsm(.left, qr.packed.view(rows: 0..<p, columns: 0..<p), .upper, .nonUnit, 1, &inverse)
        let product = try Matrix.product(inverse.view, inverse.view.T)
        var result = Matrix(rows: p, columns: p)
        for j in 0..<p {
            for i in 0..<p { result[qr.permutation[i], qr.permutation[j]] = product[i, j] }
        }
        return result
    }
}

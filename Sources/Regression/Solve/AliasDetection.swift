import LinearAlgebra

/// Which columns of a design are aliased (linearly dependent on earlier columns), decided
/// in column order as R's `lm` does (LINPACK `dqrdc2` with limited pivoting): column j is
/// aliased when the part of it orthogonal to the kept columns before it is shorter than
/// `tolerance` × its own length. So in `x1 + x2 + x4` with x4 = x1 + x2 it is x4 that R and
/// PolicyLab drop, and with a full set of dummies and an intercept it is the last dummy.
///
/// The decision runs on S = R·Pᵀ from the pivoted QR A·P = Q·R (k×k, the same column
/// geometry as A since Q is orthonormal), so its cost does not grow with the rows.
enum AliasDetection {
    /// The indices of the kept columns of `s`, ascending.
    /// - Complexity: O(r·k²) for S of r×k.
    static func keptColumns(_ s: Matrix, tolerance: Double) -> [Int] {
        let m = s.rows, k = s.columns
        var reflectors: [(v: [Double], start: Int)] = []
        var kept: [Int] = []
        for j in 0..<k {
            var column = Array(s.column(j))
            let original = VectorKernels.sumOfSquares(column).squareRoot()
            for (v, start) in reflectors {
                var dot = 0.0
                for i in start..<m { dot += v[i - start] * column[i] }
                for i in start..<m { column[i] -= 2 * dot * v[i - start] }
            }
            let start = kept.count
            guard start < m else { continue }
            let remainder = VectorKernels.sumOfSquares(column[start...]).squareRoot()
            guard original > 0, remainder > tolerance * original else { continue }
            // Householder vector v (unit length) mapping column[start...] onto ±‖·‖e₁.
            var v = Array(column[start...])
            v[0] += v[0] >= 0 ? remainder : -remainder
            let length = VectorKernels.sumOfSquares(v).squareRoot()
            for i in v.indices { v[i] /= length }
            reflectors.append((v, start))
            kept.append(j)
        }
        return kept
    }

    /// S = R·Pᵀ for a pivoted QR: R's columns back in the original column order.
    static func unpivotedR(_ qr: PivotedQR) -> Matrix {
        let r = qr.r
        var s = Matrix(rows: r.rows, columns: r.columns)
        for (j, original) in qr.permutation.enumerated() {
            for i in 0..<r.rows { s[i, original] = r[i, j] }
        }
        return s
    }
}

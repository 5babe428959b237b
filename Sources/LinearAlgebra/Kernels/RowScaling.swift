extension MatrixView {
    /// The shown matrix with row i multiplied by `scale[i]`, as a new column-major `Matrix`:
    /// diag(s)·A. The kernel behind weighted Gram matrices and score matrices.
    /// - Precondition: `scale.count == rows` (a programmer error otherwise).
    /// - Complexity: O(rows · columns), one read and one write per element.
    public func rowScaled<C: Collection<Double>>(by scale: C) -> Matrix {
        precondition(scale.count == rows, "rowScaled needs one scale per row")
        let m = rows, n = columns
        var result = Matrix(rows: m, columns: n)
        guard m > 0, n > 0 else { return result }
        guard !isTransposed else {
            let s = Array(scale)
            for j in 0..<n { for i in 0..<m { result[i, j] = s[i] * self[i, j] } }
            return result
        }
        Contiguous.withBuffer(scale) { s in
            base.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { target in
                    for j in 0..<n {
                        let from = offset + j * leadingDimension, to = j * m
                        for i in 0..<m { target[to + i] = s[i] * source[from + i] }
                    }
                }
            }
        }
        return result
    }
}

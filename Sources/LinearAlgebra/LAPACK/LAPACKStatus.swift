import CLAPACK

/// The one place where LAPACK's `info` codes become Swift outcomes.
///
/// `info < 0` means an argument was illegal: the wrappers validate every
/// argument in Swift first, so that is a programming error and traps — except
/// LAPACKE's workspace allocation failures (-1010, -1011), which become
/// `outOfMemory`. `info > 0` is a property of the data and becomes the typed
/// error the caller names.
enum LAPACKStatus {
    /// How a routine's positive `info` is to be read.
    enum PositiveInfo {
        /// potrf: the leading minor of order `info` is not positive definite.
        case notPositiveDefinite
        /// getrf, trtrs, getri: `U(info, info)` (or the triangular diagonal) is exactly zero.
        case singular
        /// gesdd, syevr: `info` quantities failed to converge.
        case didNotConverge
    }

    /// Throws the typed error for `info > 0`, `outOfMemory` for LAPACKE's allocation codes,
    /// and traps for any other negative code.
    static func check(_ info: Int32, _ routine: String, _ positive: PositiveInfo) throws {
        if info == 0 { return }
        if info > 0 {
            switch positive {
            case .notPositiveDefinite: throw LinearAlgebraError.notPositiveDefinite(minor: Int(info))
            case .singular: throw LinearAlgebraError.singular(pivot: Int(info))
            case .didNotConverge: throw LinearAlgebraError.didNotConverge(routine: routine, info: Int(info))
            }
        }
        if info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR {
            throw LinearAlgebraError.outOfMemory(routine: routine)
        }
        preconditionFailure("\(routine): LAPACK rejected argument \(-info); the Swift wrapper failed to validate it")
    }

    /// Checks a routine with no data-dependent failure (`info > 0` cannot happen).
    static func check(_ info: Int32, _ routine: String) throws {
        try check(info, routine, .didNotConverge)
    }
}

/// The matrix norms LAPACK's condition estimators use.
public enum MatrixNorm: Sendable {
    /// Maximum absolute column sum.
    case one
    /// Maximum absolute row sum.
    case infinity

    var lapack: CChar { CChar(UInt8(ascii: self == .one ? "1" : "I")) }
}

extension Matrix {
    /// The 1-norm (maximum absolute column sum) or ∞-norm (maximum absolute row sum).
    /// - Complexity: O(rows · columns).
    public func norm(_ kind: MatrixNorm) -> Double {
        var best = 0.0
        switch kind {
        case .one:
            for j in 0..<columns {
                var s = 0.0
                for i in 0..<rows { s += Swift.abs(self[i, j]) }
                best = Swift.max(best, s)
            }
        case .infinity:
            var rowSums = [Double](repeating: 0, count: rows)
            for j in 0..<columns { for i in 0..<rows { rowSums[i] += Swift.abs(self[i, j]) } }
            best = rowSums.max() ?? 0
        }
        return best
    }
}

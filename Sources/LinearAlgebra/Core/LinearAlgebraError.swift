/// The typed errors of `LinearAlgebra`.
///
/// Every failure that input data can cause is one of these cases; none of them
/// traps. LAPACK's `info > 0` codes map to `notPositiveDefinite`, `singular` and
/// `didNotConverge` in one place (`LAPACKStatus`); dimension checks happen in
/// Swift before any C call; non-finite input to a LAPACK routine is rejected
/// with `nonFinite` because LAPACK would return garbage for it.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The shapes of the operands do not fit the operation.
    case dimensionMismatch(operation: String, detail: String)
    /// A square matrix was required.
    case notSquare(operation: String, rows: Int, columns: Int)
    /// Cholesky failed: the leading minor of this order (1-based) is not positive definite.
    case notPositiveDefinite(minor: Int)
    /// The matrix is exactly singular: the pivot with this 1-based index is zero.
    case singular(pivot: Int)
    /// An iterative LAPACK routine (SVD, eigen) did not converge; `info` is LAPACK's count.
    case didNotConverge(routine: String, info: Int)
    /// An operand holds NaN or ±infinity where the routine needs finite numbers.
    case nonFinite(operation: String, argument: String)
    /// A dimension does not fit the 32-bit integers of the system BLAS/LAPACK.
    case dimensionTooLarge(operation: String, value: Int)
    /// LAPACKE could not allocate its workspace.
    case outOfMemory(routine: String)
    /// An argument is outside its domain (for example a negative tolerance).
    case invalidArgument(operation: String, detail: String)

    /// A message that says what went wrong and what to do about it.
    public var description: String {
        switch self {
        case let .dimensionMismatch(operation, detail):
            return "\(operation): dimension mismatch: \(detail)"
        case let .notSquare(operation, rows, columns):
            return "\(operation): needs a square matrix, got \(rows)×\(columns)"
        case let .notPositiveDefinite(minor):
            return "Cholesky: the leading minor of order \(minor) is not positive definite; "
                + "the matrix is not symmetric positive definite (check for collinear or constant columns)"
        case let .singular(pivot):
            return "the matrix is singular: pivot \(pivot) is exactly zero (check for collinear or constant columns)"
        case let .didNotConverge(routine, info):
            return "\(routine) did not converge (LAPACK info \(info)); check the input for extreme scaling"
        case let .nonFinite(operation, argument):
            return "\(operation): \(argument) contains NaN or infinity; remove or impute non-finite values first"
        case let .dimensionTooLarge(operation, value):
            return "\(operation): dimension \(value) exceeds the 32-bit limit of the system BLAS/LAPACK (\(Int32.max))"
        case let .outOfMemory(routine):
            return "\(routine): LAPACK could not allocate its workspace"
        case let .invalidArgument(operation, detail):
            return "\(operation): \(detail)"
        }
    }
}

/// Shared helpers that turn Swift collections into the pointers and 32-bit sizes C expects.
enum Contiguous {
    /// Calls `body` with the collection's contiguous elements, copying only when the
    /// collection has no contiguous storage (Array, ArraySlice and ContiguousArray never copy).
    @inlinable
    static func withBuffer<C: Collection<Double>, R>(
        _ values: C, _ body: (UnsafeBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        if let result = try values.withContiguousStorageIfAvailable(body) { return result }
        return try Array(values).withUnsafeBufferPointer(body)
    }

    /// A non-null pointer for a possibly empty buffer (C routines never read it when the count is 0).
    @inlinable
    static func withBase<R>(_ buffer: UnsafeBufferPointer<Double>, _ body: (UnsafePointer<Double>) throws -> R) rethrows -> R {
        if let start = buffer.baseAddress { return try body(start) }
        var placeholder = 0.0
        return try withUnsafePointer(to: &placeholder) { try body($0) }
    }

    /// A non-null mutable pointer for a possibly empty array.
    @inlinable
    static func withMutableBase<R>(_ values: inout [Double], _ body: (UnsafeMutablePointer<Double>) throws -> R) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { buffer in
            if let start = buffer.baseAddress { return try body(start) }
            var placeholder = 0.0
            return try withUnsafeMutablePointer(to: &placeholder) { try body($0) }
        }
    }

    /// `value` as the 32-bit integer of the system BLAS/LAPACK, or `dimensionTooLarge`.
    static func int32(_ value: Int, _ operation: String) throws -> Int32 {
        guard let narrow = Int32(exactly: value) else {
            throw LinearAlgebraError.dimensionTooLarge(operation: operation, value: value)
        }
        return narrow
    }
}

extension Matrix {
    /// Calls `body` with a mutable pointer to the storage (never null) and the leading dimension as Int32.
    mutating func withUnsafeMutableOperand<R>(_ body: (UnsafeMutablePointer<Double>, Int32) throws -> R) rethrows -> R {
        let ld = Int32(truncatingIfNeeded: max(1, rows))
        return try withUnsafeMutableBufferPointer { buffer in
            if let start = buffer.baseAddress { return try body(start, ld) }
            var placeholder = 0.0
            return try withUnsafeMutablePointer(to: &placeholder) { try body($0, ld) }
        }
    }

    /// Throws `notSquare` unless the matrix is square.
    func requireSquare(_ operation: String) throws {
        guard rows == columns else {
            throw LinearAlgebraError.notSquare(operation: operation, rows: rows, columns: columns)
        }
    }

    /// Throws `nonFinite` unless every element is finite.
    func requireFinite(_ operation: String, _ argument: String) throws {
        guard isFinite else { throw LinearAlgebraError.nonFinite(operation: operation, argument: argument) }
    }

    /// Throws `nonFinite` when a factorization of finite input produced NaN or ±inf (its entries
    /// overflowed). Checked right after the factorization so that no later LAPACK call sees them.
    func requireFiniteFactors(_ operation: String) throws {
        guard isFinite else {
            throw LinearAlgebraError.nonFinite(
                operation: operation, argument: "the computed factors (entries overflow; rescale the data)")
        }
    }

    /// Throws `dimensionTooLarge` unless both dimensions fit Int32.
    func requireInt32Dimensions(_ operation: String) throws {
        _ = try Contiguous.int32(rows, operation)
        _ = try Contiguous.int32(columns, operation)
    }
}

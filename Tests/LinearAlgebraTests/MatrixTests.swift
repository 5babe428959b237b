import Testing
@testable import LinearAlgebra

/// `Matrix`: construction, layout, element access and the small helpers.
@Suite("Matrix")
struct MatrixTests {
    // The 2×3 matrix used by several tests:
    //   [1 2 3]
    //   [4 5 6]
    // column-major storage: 1 4 2 5 3 6.
    static let twoByThree = try! Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])

    @Test func rowMajorLiteralIsStoredColumnMajor() {
        let a = Self.twoByThree
        #expect(a.rows == 2 && a.columns == 3)
        #expect(a.storage == [1, 4, 2, 5, 3, 6])
        #expect(a[0, 2] == 3 && a[1, 0] == 4 && a[1, 2] == 6)
    }

    @Test func columnMajorInitKeepsTheArray() throws {
        let a = try Matrix(rows: 2, columns: 3, columnMajor: [1, 4, 2, 5, 3, 6])
        #expect(a == Self.twoByThree)
    }

    @Test func repeatingInitAndIdentity() {
        let a = Matrix(rows: 3, columns: 2, repeating: 7)
        #expect(a.storage == Array(repeating: 7, count: 6))
        #expect(Matrix(rows: 2, columns: 2).storage == [0, 0, 0, 0])
        #expect(Matrix.identity(3).storage == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Matrix.identity(0).storage.isEmpty)
    }

    @Test func elementInitCallsColumnByColumn() {
        var calls: [String] = []
        let a = Matrix(rows: 2, columns: 2) { i, j in
            calls.append("\(i)\(j)")
            return Double(10 * i + j)
        }
        #expect(calls == ["00", "10", "01", "11"])
        #expect(a.storage == [0, 10, 1, 11])
    }

    @Test func subscriptSetWritesOneElement() {
        var a = Self.twoByThree
        a[1, 1] = -5
        #expect(a.storage == [1, 4, 2, -5, 3, 6])
    }

    @Test func columnIsASliceOfTheStorage() throws {
        let a = Self.twoByThree
        let c = a.column(1)
        #expect(Array(c) == [2, 5])
        // The slice keeps the storage's indices (2..<4), as an ArraySlice does.
        #expect(c.startIndex == 2 && c.endIndex == 4)
        var b = a
        try b.setColumn(2, to: [30, 60])
        #expect(b.storage == [1, 4, 2, 5, 30, 60])
        try b.setColumn(0, to: a.column(1))
        #expect(b.storage == [2, 5, 2, 5, 30, 60])
    }

    @Test func transposedSwapsIndices() {
        let t = Self.twoByThree.transposed()
        #expect(t.rows == 3 && t.columns == 2)
        // [1 4; 2 5; 3 6] column-major: 1 2 3 4 5 6.
        #expect(t.storage == [1, 2, 3, 4, 5, 6])
        #expect(t.transposed() == Self.twoByThree)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func isFiniteSeesEveryElement(_ bad: Double) {
        for index in 0..<6 {
            var values: [Double] = [1, 2, 3, 4, 5, 6]
            values[index] = bad
            let a = try! Matrix(rows: 2, columns: 3, columnMajor: values)
            #expect(!a.isFinite)
        }
        #expect(Self.twoByThree.isFinite)
        #expect(Matrix(rows: 1, columns: 1, repeating: .greatestFiniteMagnitude).isFinite)
    }

    @Test func equalityComparesShapeAndValues() throws {
        let a = try Matrix(rows: 2, columns: 3, columnMajor: [1, 2, 3, 4, 5, 6])
        let b = try Matrix(rows: 3, columns: 2, columnMajor: [1, 2, 3, 4, 5, 6])
        #expect(a != b)
        #expect(a == a)
    }

    @Test func descriptionShowsShapeAndElidesLargeMatrices() {
        let text = Self.twoByThree.description
        #expect(text.hasPrefix("2×3 Matrix"))
        #expect(text.contains("1.0  2.0  3.0"))
        let large = Matrix(rows: 10, columns: 10, repeating: 1).description
        #expect(large.split(separator: "\n").count == 1 + 8 + 1)
        #expect(large.contains("…"))
    }

    @Test func normsByHand() throws {
        // A = [1 -2; 3 4]: column sums |1|+|3| = 4, |-2|+|4| = 6 → ‖A‖₁ = 6;
        // row sums 1+2 = 3, 3+4 = 7 → ‖A‖∞ = 7.
        let a = try Matrix(rowMajor: [[1, -2], [3, 4]])
        #expect(a.norm(.one) == 6)
        #expect(a.norm(.infinity) == 7)
        #expect(Matrix(rows: 0, columns: 3).norm(.one) == 0)
        #expect(Matrix(rows: 0, columns: 3).norm(.infinity) == 0)
        #expect(Matrix(rows: 3, columns: 0).norm(.infinity) == 0)
    }

    @Test func addIsElementwise() throws {
        var a = Self.twoByThree
        a.add(rowMajor([[10, 20, 30], [40, 50, 60]]))
        #expect(a == rowMajor([[11, 22, 33], [44, 55, 66]]))
    }

    @Test func keepTriangleAndFillSymmetric() throws {
        let a = try Matrix(rowMajor: [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        var lower = a
        lower.keepTriangle(.lower)
        #expect(lower == rowMajor([[1, 0, 0], [4, 5, 0], [7, 8, 9]]))
        var upper = a
        upper.keepTriangle(.upper)
        #expect(upper == rowMajor([[1, 2, 3], [0, 5, 6], [0, 0, 9]]))
        var fromLower = a
        fromLower.fillSymmetric(from: .lower)
        #expect(fromLower == rowMajor([[1, 4, 7], [4, 5, 8], [7, 8, 9]]))
        var fromUpper = a
        fromUpper.fillSymmetric(from: .upper)
        #expect(fromUpper == rowMajor([[1, 2, 3], [2, 5, 6], [3, 6, 9]]))
        // keepTriangle also works on rectangular matrices.
        var wide = Self.twoByThree
        wide.keepTriangle(.lower)
        #expect(wide == rowMajor([[1, 0, 0], [4, 5, 0]]))
    }
}

/// `MatrixView`: non-copying blocks, transposes and copies.
@Suite("MatrixView")
struct MatrixViewTests {
    // P is 4×5 with P[i, j] = 10·i + j:
    //   [ 0  1  2  3  4]
    //   [10 11 12 13 14]
    //   [20 21 22 23 24]
    //   [30 31 32 33 34]
    static let p = Matrix(rows: 4, columns: 5) { i, j in Double(10 * i + j) }

    @Test func wholeViewDescribesTheStorage() {
        let v = Self.p.view
        #expect(v.offset == 0 && v.leadingDimension == 4 && !v.isTransposed)
        #expect(v.rows == 4 && v.columns == 5)
        #expect(v.copy() == Self.p)
    }

    @Test func subBlockHasOffsetAndLeadingDimension() {
        let v = Self.p.view(rows: 1..<3, columns: 2..<5)
        // First element P[1, 2] lives at 1 + 2·4 = 9; the leading dimension stays 4.
        #expect(v.offset == 9 && v.leadingDimension == 4)
        #expect(v.rows == 2 && v.columns == 3)
        #expect(v.copy() == rowMajor([[12, 13, 14], [22, 23, 24]]))
        #expect(v[1, 2] == 24)
    }

    @Test func rowAndColumnViews() {
        let rows = Self.p.view(rows: 2..<4)
        #expect(rows.copy() == rowMajor([[20, 21, 22, 23, 24], [30, 31, 32, 33, 34]]))
        #expect(rows.leadingDimension == 4)
        let columns = Self.p.view(columns: 3..<4)
        #expect(columns.copy() == rowMajor([[3], [13], [23], [33]]))
        #expect(columns.offset == 12)
    }

    @Test func transposedViewIsAFlag() {
        let v = Self.p.view.T
        #expect(v.isTransposed && v.rows == 5 && v.columns == 4)
        #expect(v.offset == 0 && v.leadingDimension == 4)
        #expect(v[3, 1] == 13)
        #expect(v.copy() == Self.p.transposed())
        #expect(v.T.copy() == Self.p)
        #expect(!v.T.isTransposed)
    }

    @Test func subBlockOfATransposedView() {
        // Rows 1..<4 and columns 2..<4 of Pᵀ are rows 2..<4, columns 1..<4 of P, transposed.
        let v = Self.p.view.T.view(rows: 1..<4, columns: 2..<4)
        #expect(v.isTransposed && v.rows == 3 && v.columns == 2)
        #expect(v.copy() == Self.p.view(rows: 2..<4, columns: 1..<4).copy().transposed())
        #expect(v.copy() == rowMajor([[21, 31], [22, 32], [23, 33]]))
        // Row and column views of the transposed view.
        #expect(Self.p.view.T.view(rows: 4..<5).copy() == rowMajor([[4, 14, 24, 34]]))
        #expect(Self.p.view.T.view(columns: 0..<1).copy() == rowMajor([[0], [1], [2], [3], [4]]))
    }

    @Test func nestedSubBlocksAddOffsets() {
        let outer = Self.p.view(rows: 1..<4, columns: 1..<5)
        let inner = outer.view(rows: 1..<3, columns: 2..<4)
        // inner = P[2..<4, 3..<5].
        #expect(inner.copy() == Self.p.view(rows: 2..<4, columns: 3..<5).copy())
        #expect(inner.offset == 2 + 3 * 4)
    }

    @Test func matrixFromViewCopiesOnlyWhenNeeded() {
        #expect(Matrix(Self.p.view) == Self.p)
        #expect(Matrix(Self.p.view.T) == Self.p.transposed())
        #expect(Matrix(Self.p.view(columns: 1..<3)) == Self.p.view(columns: 1..<3).copy())
        #expect(Matrix(Self.p.view(rows: 1..<3)) == Self.p.view(rows: 1..<3).copy())
    }

    @Test func viewsShareTheMatrixStorage() {
        // Non-copying: the pointer a view hands to BLAS is the matrix's own buffer plus the offset.
        let a = Self.p
        let base = a.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        for v in [a.view, a.view(rows: 1..<3, columns: 2..<5), a.view(rows: 2..<4), a.view(columns: 3..<5),
                  a.view.T, a.view.T.view(rows: 1..<4, columns: 2..<4)] {
            let (pointer, ld) = v.withUnsafeOperand { (Int(bitPattern: $0), $1) }
            #expect(pointer == base + v.offset * MemoryLayout<Double>.stride)
            #expect(ld == 4)
        }
        // Matrix(view) of the whole, untransposed matrix shares the buffer too (copy-on-write).
        let same = Matrix(a.view)
        #expect(same.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } == base)
    }

    @Test func viewKeepsTheValuesItWasTakenFrom() {
        var a = Self.p
        let v = a.view(rows: 0..<2, columns: 0..<2)
        a[0, 0] = 99
        // Copy-on-write: the view still shows the old storage.
        #expect(v[0, 0] == 0)
        #expect(a[0, 0] == 99)
    }

    @Test func viewIsFiniteLooksOnlyAtShownElements() {
        var a = Self.p
        a[0, 0] = .nan
        a[3, 4] = .infinity
        #expect(!a.view.isFinite)
        #expect(a.view(rows: 1..<3, columns: 1..<4).isFinite)
        #expect(a.view(rows: 1..<3, columns: 1..<4).T.isFinite)
        #expect(!a.view(rows: 2..<4, columns: 3..<5).isFinite)
        #expect(!a.view.T.view(rows: 4..<5).isFinite)
    }
}

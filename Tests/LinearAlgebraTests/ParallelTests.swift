import Foundation
import Synchronization
import Testing
@testable import LinearAlgebra

// Parallel loops, Matrix.gram and the OpenBLAS thread count.
//
// The suite is serialized so that its regions do not overlap each other. OpenBLAS's thread
// count is process-wide and other test targets (PolicyLabTests) start Parallel regions in
// the same process at the same time, so the checks that the count is restored after a region
// run in child processes (exit tests, `OpenBLASThreadCountTests`) where nothing else runs.

struct ChunkError: Error, Equatable {
    let chunk: Int
}

final class ChunkCounter: Sendable {
    let value = Atomic<Int>(0)
    func increment() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

@Suite("Parallel and OpenBLAS threads", .serialized)
struct ParallelTests {
    static let threadCounts = [1, 2, 3, 8]

    /// Terms spanning 16 orders of magnitude with both signs: their floating-point sum
    /// depends on the order of the additions.
    static let orderSensitive: [Double] = {
        var rng = TestRandom(seed: 2024)
        return (0..<5000).map { _ in
            let exponent = Double(Int.random(in: -8...8, using: &rng))
            return rng.symmetricUnit() * pow10(exponent)
        }
    }()

    static func pow10(_ e: Double) -> Double {
        var r = 1.0
        for _ in 0..<Int(e.magnitude) { r *= 10 }
        return e < 0 ? 1 / r : r
    }

    /// Σ over a chunk, left to right.
    static func chunkSum(_ range: Range<Int>) -> Double {
        var s = 0.0
        for i in range { s += orderSensitive[i] }
        return s
    }

    @Test func chunksDependOnlyOnCountAndChunkSize() {
        #expect(Parallel.chunks(count: 10, chunkSize: 4) == [0..<4, 4..<8, 8..<10])
        #expect(Parallel.chunks(count: 8, chunkSize: 4) == [0..<4, 4..<8])
        #expect(Parallel.chunks(count: 3, chunkSize: 5) == [0..<3])
        #expect(Parallel.chunks(count: 0, chunkSize: 5).isEmpty)
        #expect(Parallel.chunks(count: 3, chunkSize: 1) == [0..<1, 1..<2, 2..<3])
    }

    @Test func parallelismClampsAndDescribes() {
        #expect(Parallelism(threads: 0).threads == 1)
        #expect(Parallelism(threads: -4).threads == 1)
        #expect(Parallelism.serial.threads == 1)
        #expect(Parallelism.allCores.threads >= 1)
        #expect(Parallelism(threads: 1).description == "1 thread")
        #expect(Parallelism(threads: 3).description == "3 threads")
    }

    @Test(arguments: threadCounts)
    func mapReturnsResultsInChunkOrder(_ threads: Int) throws {
        let result = try Parallel.map(count: 103, chunkSize: 7, parallelism: Parallelism(threads: threads)) { $0 }
        #expect(result == Parallel.chunks(count: 103, chunkSize: 7))
        #expect(try Parallel.map(count: 0, chunkSize: 7, parallelism: Parallelism(threads: threads)) { $0 }.isEmpty)
    }

    @Test func reduceIsBitIdenticalForAnyThreadCount() throws {
        let n = Self.orderSensitive.count
        var results: [UInt64] = []
        for threads in Self.threadCounts {
            let total = try Parallel.reduce(count: n, chunkSize: 64, parallelism: Parallelism(threads: threads),
                                            Self.chunkSum, combine: +)
            results.append(try #require(total).bitPattern)
            // map + a left fold in chunk order is the same computation.
            let partials = try Parallel.map(count: n, chunkSize: 64, parallelism: Parallelism(threads: threads), Self.chunkSum)
            #expect(partials.dropFirst().reduce(partials[0], +).bitPattern == total!.bitPattern)
        }
        #expect(Set(results).count == 1, "bit patterns \(results)")
        // The data really is order-sensitive: one left-to-right pass, and chunks of another size,
        // give different bits. So equal bits above are not an accident of exact arithmetic.
        let sequential = Self.chunkSum(0..<n)
        let otherChunking = try Parallel.reduce(count: n, chunkSize: 100, parallelism: .serial, Self.chunkSum, combine: +)!
        #expect(sequential.bitPattern != results[0])
        #expect(otherChunking.bitPattern != results[0])
    }

    @Test(arguments: threadCounts)
    func reduceCombinesInChunkOrder(_ threads: Int) throws {
        // A non-commutative combine exposes any reordering.
        let text = try Parallel.reduce(count: 20, chunkSize: 6, parallelism: Parallelism(threads: threads),
                                       { "[\($0.lowerBound),\($0.upperBound))" }, combine: +)
        #expect(text == "[0,6)[6,12)[12,18)[18,20)")
        #expect(try Parallel.reduce(count: 0, chunkSize: 6, parallelism: Parallelism(threads: threads),
                                    { _ in 1 }, combine: +) == nil)
    }

    @Test(arguments: threadCounts)
    func lowestFailingChunkErrorIsRethrown(_ threads: Int) {
        // Chunks 3 and 5 (of 0…9) throw; whichever finishes first, chunk 3's error comes back.
        #expect(throws: ChunkError(chunk: 3)) {
            try Parallel.map(count: 100, chunkSize: 10, parallelism: Parallelism(threads: threads)) { range in
                let chunk = range.lowerBound / 10
                if chunk == 5 || chunk == 3 { throw ChunkError(chunk: chunk) }
                return chunk
            }
        }
        #expect(throws: ChunkError(chunk: 5)) {
            try Parallel.reduce(count: 100, chunkSize: 10, parallelism: Parallelism(threads: threads), { range in
                let chunk = range.lowerBound / 10
                if chunk >= 5 { throw ChunkError(chunk: chunk) }
                return chunk
            }, combine: +)
        }
        #expect(throws: ChunkError(chunk: 0)) {
            try Parallel.forEach(count: 100, chunkSize: 10, parallelism: Parallelism(threads: threads)) { range in
                throw ChunkError(chunk: range.lowerBound / 10)
            }
        }
    }

    @Test(arguments: [2, 3, 8])
    func otherChunksStillRunWhenOneThrows(_ threads: Int) {
        // Documented for the multi-threaded path: the failing chunk does not cancel the others.
        let counter = ChunkCounter()
        #expect(throws: ChunkError(chunk: 2)) {
            try Parallel.forEach(count: 50, chunkSize: 5, parallelism: Parallelism(threads: threads)) { range in
                counter.increment()
                if range.lowerBound == 10 { throw ChunkError(chunk: 2) }
            }
        }
        #expect(counter.count == 10)
    }

    @Test(arguments: threadCounts)
    func forEachVisitsEveryChunkOnce(_ threads: Int) throws {
        let counter = ChunkCounter()
        let covered = ChunkCounter()
        try Parallel.forEach(count: 1000, chunkSize: 33, parallelism: Parallelism(threads: threads)) { range in
            counter.increment()
            covered.value.add(range.count, ordering: .relaxed)
        }
        #expect(counter.count == 31)   // ⌈1000/33⌉ = 31
        #expect(covered.count == 1000)
    }

    // MARK: OpenBLAS thread count

    @Test(arguments: threadCounts)
    func openBLASIsSingleThreadedInsideARegion(_ threads: Int) throws {
        // Holds whatever else runs: inside any region the count is 1. The before/after checks,
        // which other tests' regions could disturb, run in their own processes below.
        let inside = try Parallel.map(count: 16, chunkSize: 2, parallelism: Parallelism(threads: threads)) { _ in
            OpenBLASThreads.current
        }
        #expect(inside.allSatisfy { $0 == 1 })
    }

    // MARK: Matrix.gram

    /// XᵀX by the naive loop.
    static func naiveGram(_ x: Matrix) -> Matrix { naiveProduct(x.transposed(), x) }

    static func bits(_ m: Matrix) -> [UInt64] { m.storage.map(\.bitPattern) }

    /// (rows, columns, blockRows): odd k and k = 1, 1-row blocks, blocks of 129 and 259 rows
    /// (odd last block), default-size blocks for narrow (2 048) and wide (16 384) X.
    static let gramShapes: [(Int, Int, Int)] = [
        (1000, 5, 64), (20_000, 8, Matrix.defaultGramBlockRows(columns: 8)), (37, 3, 100), (64, 4, 1),
        (130, 1, 129), (259, 32, 259), (77, 7, 11), (301, 33, 50), (90, 40, 1000),
        (20_000, 33, Matrix.defaultGramBlockRows(columns: 33)),
        // From 16 columns each block uses lower column panels: 8 wide below 48 columns (16 = 2·8,
        // 20 = 2·8 + 4, 32, 33, 40 above), then `gramPanelWidth` = 16 (48 = 3·16, 70 = 4·16 + 6, 100 = 6·16 + 4).
        (300, 16, 64), (10_000, 20, Matrix.defaultGramBlockRows(columns: 20)), (333, 20, 100),
        (500, 48, 97), (300, 100, 64), (20_000, 70, Matrix.defaultGramBlockRows(columns: 70)),
    ]

    @Test func defaultGramBlockRowsDependsOnlyOnTheColumnCount() {
        #expect(Matrix.defaultGramBlockRows(columns: 20) == 2_048)
        #expect(Matrix.defaultGramBlockRows(columns: 31) == 2_048)
        #expect(Matrix.defaultGramBlockRows(columns: 32) == 16_384)
        #expect(Matrix.defaultGramBlockRows(columns: 100) == 16_384)
    }

    @Test(arguments: gramShapes)
    func gramIsBitIdenticalForAnyThreadCountAndMatchesNaive(_ shape: (Int, Int, Int)) throws {
        let (n, k, blockRows) = shape
        var rng = TestRandom(seed: UInt64(n + k))
        let x = randomMatrix(n, k, &rng)
        let serial = try Matrix.gram(x.view, parallelism: .serial, blockRows: blockRows)
        for threads in Self.threadCounts.dropFirst() {
            let g = try Matrix.gram(x.view, parallelism: Parallelism(threads: threads), blockRows: blockRows)
            #expect(Self.bits(g) == Self.bits(serial), "threads \(threads)")
        }
        let naive = Self.naiveGram(x)
        #expect(serial.rows == k && serial.columns == k)
        #expect(maxAbsDifference(serial, naive) <= 1e-12 * maxAbs(naive))
        // Symmetric to rounding (gemm computes both triangles).
        #expect(maxAbsDifference(serial, serial.transposed()) <= 1e-12 * maxAbs(naive))
    }

    @Test func gramOfViewsReadsOnlyTheView() throws {
        // X = rows 3..<403, columns 2..<6 of a NaN-padded parent (leading dimension 410).
        var rng = TestRandom(seed: 99)
        let inner = randomMatrix(400, 4, &rng)
        let op = EmbeddedOperand(inner, transposed: false, rowOffset: 3, columnOffset: 2)
        #expect(op.view.leadingDimension > op.view.rows)
        let naive = Self.naiveGram(inner)
        var first: [UInt64]?
        for threads in Self.threadCounts {
            let g = try Matrix.gram(op.view, parallelism: Parallelism(threads: threads), blockRows: 32)
            #expect(g.isFinite)
            #expect(maxAbsDifference(g, naive) <= 1e-12 * maxAbs(naive))
            if let first { #expect(Self.bits(g) == first, "threads \(threads)") } else { first = Self.bits(g) }
        }
        // A transposed view: X = Mᵀ for M 4×400 gives the same XᵀX.
        let m = inner.transposed()
        let viaTranspose = try Matrix.gram(m.view.T, parallelism: Parallelism(threads: 3), blockRows: 32)
        #expect(maxAbsDifference(viaTranspose, naive) <= 1e-12 * maxAbs(naive))
    }

    @Test(arguments: [5, 33, 81])
    func gramOfTransposedSubBlockViews(_ k: Int) throws {
        // X (300×k) stored transposed inside a NaN-padded parent: the per-block gemm reads it
        // through the leading dimension, never outside it.
        var rng = TestRandom(seed: UInt64(300 + k))
        let x = randomMatrix(300, k, &rng)
        let op = EmbeddedOperand(x, transposed: true)
        #expect(op.view.isTransposed && op.view.rows == 300 && op.view.columns == k)
        let naive = Self.naiveGram(x)
        let serial = try Matrix.gram(op.view, parallelism: .serial, blockRows: 97)
        #expect(serial.isFinite)
        #expect(maxAbsDifference(serial, naive) <= 1e-12 * maxAbs(naive))
        for threads in Self.threadCounts.dropFirst() {
            let g = try Matrix.gram(op.view, parallelism: Parallelism(threads: threads), blockRows: 97)
            #expect(Self.bits(g) == Self.bits(serial), "threads \(threads)")
        }
    }

    @Test func gramPropagatesInfinityOnlyWhereItBelongs() throws {
        // X = [∞ 1 2; 1 1 1; 1 1 1]: (XᵀX)₀₀ = ∞, (XᵀX)₀₁ = ∞, (XᵀX)₁₁ = 3, (XᵀX)₁₂ = 4, (XᵀX)₂₂ = 6;
        // the entries not involving column 0 stay finite.
        let x = rowMajor([[.infinity, 1, 2], [1, 1, 1], [1, 1, 1]])
        let g = try Matrix.gram(x.view)
        #expect(g[0, 0] == .infinity && g[0, 1] == .infinity && g[0, 2] == .infinity)
        #expect(g[1, 1] == 3 && g[1, 2] == 4 && g[2, 2] == 6)
        #expect(g[2, 1] == 4 && g[1, 0] == .infinity)
    }

    @Test func gramOfEmptyShapes() throws {
        #expect(try Matrix.gram(Matrix(rows: 0, columns: 3).view, parallelism: Parallelism(threads: 2))
                == Matrix(rows: 3, columns: 3))
        #expect(try Matrix.gram(Matrix(rows: 5, columns: 0).view, parallelism: Parallelism(threads: 2))
                == Matrix(rows: 0, columns: 0))
    }

    @Test func gramByHand() throws {
        // X = [1 2; 3 4; 5 6]: XᵀX = [1+9+25  2+12+30; ·  4+16+36] = [35 44; 44 56],
        // one row per block so the blocks are summed in order.
        let g = try Matrix.gram(rowMajor([[1, 2], [3, 4], [5, 6]]).view, parallelism: Parallelism(threads: 2), blockRows: 1)
        #expect(g == rowMajor([[35, 44], [44, 56]]))
    }
}

/// Exits the (child) process with a failure and a message when `condition` is false.
func requireInChild(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data("requireInChild failed: \(message())\n".utf8))
        exit(EXIT_FAILURE)
    }
}

/// OpenBLAS's thread count is restored after every Parallel region (`current` before == after),
/// including after a throwing region, nested regions and a `set` made inside a region. Each test
/// runs in its own child process, so no other test's region can change the count meanwhile.
@Suite("OpenBLAS thread count, in isolated processes")
struct OpenBLASThreadCountTests {
    @Test func restoredAfterARegionForAnyThreadCount() async {
        await #expect(processExitsWith: .success) {
            for threads in [1, 2, 3, 8] {
                for outside in [2, 1, 2] {
                    OpenBLASThreads.set(outside)
                    let before = OpenBLASThreads.current
                    requireInChild(before == outside, "set(\(outside)) gave \(before)")
                    let inside = try Parallel.map(count: 16, chunkSize: 2, parallelism: Parallelism(threads: threads)) { _ in
                        OpenBLASThreads.current
                    }
                    requireInChild(inside.allSatisfy { $0 == 1 }, "threads \(threads): inside \(inside)")
                    requireInChild(OpenBLASThreads.current == before,
                                   "threads \(threads): before \(before), after \(OpenBLASThreads.current)")
                }
            }
        }
    }

    @Test func restoredAfterAThrowingRegion() async {
        await #expect(processExitsWith: .success) {
            for threads in [1, 2, 3, 8] {
                OpenBLASThreads.set(2)
                let before = OpenBLASThreads.current
                do {
                    _ = try Parallel.map(count: 8, chunkSize: 2, parallelism: Parallelism(threads: threads)) { range -> Int in
                        if range.lowerBound >= 2 { throw ChunkError(chunk: range.lowerBound / 2) }
                        return 0
                    }
                    requireInChild(false, "threads \(threads): the region did not throw")
                } catch let error as ChunkError {
                    requireInChild(error == ChunkError(chunk: 1), "threads \(threads): rethrew \(error)")
                }
                requireInChild(OpenBLASThreads.current == before,
                               "threads \(threads): before \(before), after a throwing region \(OpenBLASThreads.current)")
                // gram's own region, and its early throw for blockRows 0 (no region at all).
                _ = try Matrix.gram(Matrix(rows: 300, columns: 40, repeating: 1).view,
                                    parallelism: Parallelism(threads: threads), blockRows: 7)
                _ = try? Matrix.gram(Matrix(rows: 3, columns: 2).view, blockRows: 0)
                requireInChild(OpenBLASThreads.current == before,
                               "threads \(threads): before \(before), after gram \(OpenBLASThreads.current)")
            }
        }
    }

    @Test func nestedRegionsRestoreOnlyAtTheOutermostEnd() async {
        await #expect(processExitsWith: .success) {
            OpenBLASThreads.set(2)
            let inner = try Parallel.map(count: 4, chunkSize: 1, parallelism: Parallelism(threads: 2)) { _ in
                let nested = try Parallel.map(count: 4, chunkSize: 1, parallelism: Parallelism(threads: 2)) { _ in
                    OpenBLASThreads.current
                }
                return nested + [OpenBLASThreads.current]
            }
            requireInChild(inner.joined().allSatisfy { $0 == 1 }, "inside nested regions: \(inner)")
            requireInChild(OpenBLASThreads.current == 2, "after nested regions: \(OpenBLASThreads.current)")
        }
    }

    @Test func setInsideARegionTakesEffectWhenItEnds() async {
        await #expect(processExitsWith: .success) {
            OpenBLASThreads.set(1)
            let seen = try Parallel.map(count: 1, chunkSize: 1, parallelism: .serial) { _ in
                OpenBLASThreads.set(2)
                return OpenBLASThreads.current
            }
            requireInChild(seen == [1], "inside: \(seen)")
            requireInChild(OpenBLASThreads.current == 2, "after: \(OpenBLASThreads.current)")
            // Values below 1 mean 1.
            OpenBLASThreads.set(0)
            requireInChild(OpenBLASThreads.current == 1, "set(0) gave \(OpenBLASThreads.current)")
        }
    }

    @Test func aFailingCheckIsReported() async {
        // The harness itself: a child whose check fails exits with a failure.
        await #expect(processExitsWith: .failure) {
            requireInChild(OpenBLASThreads.current < 0, "expected to fail")
        }
    }
}

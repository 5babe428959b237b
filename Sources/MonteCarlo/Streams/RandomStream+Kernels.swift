// The bulk fills behind `RandomStream.fill`: the whole SIMD steps go to a kernel of
// RandomKernels — its baseline build or its AVX2 build, whichever `RandomKernelDispatch`
// chose (the same bits either way) — and the few variates around them are computed one by
// one with the scalar functions of `RandomAddress`.
import RandomKernels
import RandomKernelsAVX2

extension RandomStream {
    /// The Philox words shared by every block of this (plain) stream.
    private var streamWords: (key: SIMD2<UInt32>, replicate: UInt32, ingredient: UInt32) {
        (RandomAddress(seed: seed).philoxKey, replicate, ingredient)
    }

    /// Writes standard normals `first ..< first + out.count` into `out` with the given build.
    /// Requires 0 ≤ first and first + count ≤ 2⁶² (checked by `fill`).
    /// - Complexity: O(count), no allocation.
    func uncheckedFillNormals(_ out: UnsafeMutableBufferPointer<Double>, first: Int,
                              build: RandomKernelDispatch.Build = RandomKernelDispatch.active) {
        let ingredient = self.ingredient
        let words = streamWords
        let tables = BoxMullerTables.shared
        withWholeSteps(out, first: first, step: 32, scalar: { $0.standardNormal(ingredient: ingredient) }) { p, range in
            // Four normals per block.
            let blocks = (range.lowerBound >> 2)..<(range.upperBound >> 2)
            switch build {
            case .avx2:
                RandomKernelsAVX2.fillNormals(p, blocks: blocks, key: words.key, replicate: words.replicate,
                                              ingredient: words.ingredient, logTable: tables.logTable,
                                              sinCosTable: tables.sinCosTable)
            case .baseline:
                RandomKernels.fillNormals(p, blocks: blocks, key: words.key, replicate: words.replicate,
                                          ingredient: words.ingredient, logTable: tables.logTable,
                                          sinCosTable: tables.sinCosTable)
            }
        }
    }

    /// Writes uniforms on [0, 1) `first ..< first + out.count` into `out`; same contract as
    /// `uncheckedFillNormals`.
    func uncheckedFillUniforms(_ out: UnsafeMutableBufferPointer<Double>, first: Int,
                               build: RandomKernelDispatch.Build = RandomKernelDispatch.active) {
        let ingredient = self.ingredient
        let words = streamWords
        withWholeSteps(out, first: first, step: 8, scalar: { $0.uniform(ingredient: ingredient) }) { p, range in
            // Two uniforms per block.
            let blocks = (range.lowerBound >> 1)..<(range.upperBound >> 1)
            switch build {
            case .avx2:
                RandomKernelsAVX2.fillUniforms(p, blocks: blocks, key: words.key, replicate: words.replicate,
                                               ingredient: words.ingredient)
            case .baseline:
                RandomKernels.fillUniforms(p, blocks: blocks, key: words.key, replicate: words.replicate,
                                           ingredient: words.ingredient)
            }
        }
    }

    /// Splits `first ..< first + out.count` into the whole `step`-aligned run, handed to
    /// `body` with its start pointer and variate range, and the few variates before and
    /// after it, computed one by one with `scalar` (the scalar functions of `RandomAddress`,
    /// which give the same bits). Variate i of the stream has global block index
    /// i >> log2(variates per block), whose counter words 0 and 1 are (slot-derived block,
    /// unit) as documented in `RandomAddress+Philox.swift`.
    @inline(__always)
    private func withWholeSteps(
        _ out: UnsafeMutableBufferPointer<Double>, first: Int, step: Int,
        scalar: (RandomAddress) -> Double,
        _ body: (UnsafeMutablePointer<Double>, Range<Int>) -> Void
    ) {
        guard let base = out.baseAddress, out.count > 0 else { return }
        let end = first + out.count
        let wholeStart = (first + step - 1) / step * step
        let wholeEnd = end / step * step
        if wholeStart >= wholeEnd {
            for i in first..<end { base[i - first] = scalar(address(of: i)) }
            return
        }
        for i in first..<wholeStart { base[i - first] = scalar(address(of: i)) }
        for i in wholeEnd..<end { base[i - first] = scalar(address(of: i)) }
        body(base + (wholeStart - first), wholeStart..<wholeEnd)
    }
}

// The unchecked bulk kernels behind `RandomStream.fill`: one Philox block per lane per SIMD
// step (four normals or two uniforms each), written straight into the caller's buffer.

extension RandomStream {
    /// Writes standard normals `first ..< first + out.count` into `out`.
    /// Requires first ≥ 0 and (first + count) / 2³² ≤ 2³² (checked by `fill`).
    ///
    /// Each step runs Philox on two groups of four blocks (32 slots; see
    /// `RandomAddress+Philox.swift` for the layout) and Box–Muller on eight lanes at once.
    /// - Complexity: O(count), no allocation.
    func uncheckedFillNormals(_ out: UnsafeMutableBufferPointer<Double>, first: Int) {
        let tables = BoxMullerTables.shared
        let ingredient = self.ingredient
        let step = 32
        withWholeSteps(out, first: first, step: step, scalar: { $0.standardNormal(ingredient: ingredient) }) { p, firstIndex in
            let keys = PhiloxRoundKeys(RandomAddress(seed: seed).philoxKey)
            let c2 = PhiloxWords(repeating: UInt64(replicate))
            let c3 = PhiloxWords(repeating: UInt64(ingredient))
            let lanes = PhiloxWords(0, 1, 2, 3)
            let slotMask = PhiloxWords(repeating: (1 << 30) - 1)
            let half = MemoryLayout<PhiloxDoubles>.size
            var p = UnsafeMutableRawPointer(p)
            for block in stride(from: firstIndex.lowerBound >> 2, to: firstIndex.upperBound >> 2, by: 8) {
                let b0 = PhiloxWords(repeating: UInt64(block)) &+ lanes
                let b1 = b0 &+ 4
                let x = PhiloxLanes.philox10(b0 & slotMask, b0 &>> 30, c2, c3, keys: keys)
                let y = PhiloxLanes.philox10(b1 & slotMask, b1 &>> 30, c2, c3, keys: keys)
                let a = BoxMullerLanes.pair(WordLanes(lowHalf: x.0, highHalf: y.0), WordLanes(lowHalf: x.1, highHalf: y.1), tables)
                let c = BoxMullerLanes.pair(WordLanes(lowHalf: x.2, highHalf: y.2), WordLanes(lowHalf: x.3, highHalf: y.3), tables)
                // Positions 0…3 of group x fill slots 0…15, of group y slots 16…31.
                p.storeBytes(of: a.cos.lowHalf, as: PhiloxDoubles.self)
                (p + half).storeBytes(of: a.sin.lowHalf, as: PhiloxDoubles.self)
                (p + 2 * half).storeBytes(of: c.cos.lowHalf, as: PhiloxDoubles.self)
                (p + 3 * half).storeBytes(of: c.sin.lowHalf, as: PhiloxDoubles.self)
                (p + 4 * half).storeBytes(of: a.cos.highHalf, as: PhiloxDoubles.self)
                (p + 5 * half).storeBytes(of: a.sin.highHalf, as: PhiloxDoubles.self)
                (p + 6 * half).storeBytes(of: c.cos.highHalf, as: PhiloxDoubles.self)
                (p + 7 * half).storeBytes(of: c.sin.highHalf, as: PhiloxDoubles.self)
                p += step * MemoryLayout<Double>.size
            }
        }
    }

    /// Writes uniforms on [0, 1) `first ..< first + out.count` into `out`; same contract as
    /// `uncheckedFillNormals`. Each step is one group of four blocks (8 slots).
    func uncheckedFillUniforms(_ out: UnsafeMutableBufferPointer<Double>, first: Int) {
        let ingredient = self.ingredient
        let step = 8
        withWholeSteps(out, first: first, step: step, scalar: { $0.uniform(ingredient: ingredient) }) { p, firstIndex in
            let keys = PhiloxRoundKeys(RandomAddress(seed: seed).philoxKey)
            let c2 = PhiloxWords(repeating: UInt64(replicate))
            let c3 = PhiloxWords(repeating: UInt64(ingredient))
            let lanes = PhiloxWords(0, 1, 2, 3)
            let slotMask = PhiloxWords(repeating: (1 << 31) - 1)
            let half = MemoryLayout<PhiloxDoubles>.size
            var p = UnsafeMutableRawPointer(p)
            for block in stride(from: firstIndex.lowerBound >> 1, to: firstIndex.upperBound >> 1, by: 4) {
                let b = PhiloxWords(repeating: UInt64(block)) &+ lanes
                let (w0, w1, w2, w3) = PhiloxLanes.philox10(b & slotMask, b &>> 31, c2, c3, keys: keys)
                p.storeBytes(of: PhiloxLanes.unitInterval(low: w0, high: w1), as: PhiloxDoubles.self)
                (p + half).storeBytes(of: PhiloxLanes.unitInterval(low: w2, high: w3), as: PhiloxDoubles.self)
                p += step * MemoryLayout<Double>.size
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

/// The ascending order of a vector of finite doubles, ties broken by index: the unique
/// permutation sorted by (value, index). Being unique, it is the same whichever algorithm
/// computes it — an LSD radix sort on the values' bits for large inputs, the standard
/// library's sort for small ones.
///
/// Why radix: the welfare measures sort every outcome vector of every replicate and
/// scenario; for 10⁶ values six counting passes over (key, index) pairs run several times
/// faster than a comparison sort (BENCHMARKS.md, "Microsimulation").
enum StableOrder {
    /// Inputs at or below this size use the comparison sort.
    static let radixThreshold = 2048
    static let digitBits = 11
    static let buckets = 1 << digitBits

    /// The order-preserving map of a finite double onto UInt64 (−0 and +0 map alike).
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = (x + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Indices of `values` in ascending (value, index) order.
    /// - Precondition: every value is finite (callers validate) and count < 2³².
    /// - Complexity: O(n) for n > 2048 (up to six passes), O(n log n) below; 24 bytes of
    ///   scratch per value.
    static func ascending(_ values: UnsafeBufferPointer<Double>) -> [UInt32] {
        let n = values.count
        if n <= radixThreshold {
            return (0..<n).sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
                .map { UInt32(truncatingIfNeeded: $0) }
        }
        var keys = [UInt64](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = key(values[i]) }
            c = n
        }
        var order = [UInt32](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = UInt32(truncatingIfNeeded: i) }
            c = n
        }
        let passes = (64 + digitBits - 1) / digitBits
        // All histograms in one read of the keys.
        var counts = [Int](repeating: 0, count: passes * buckets)
        let mask = UInt64(buckets - 1)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { h in
                for i in 0..<n {
                    var x = k[i]
                    for p in 0..<passes {
                        h[p * buckets + Int(truncatingIfNeeded: x & mask)] += 1
                        x >>= UInt64(digitBits)
                    }
                }
            }
        }
        var keys2 = [UInt64](repeating: 0, count: n)
        var order2 = [UInt32](repeating: 0, count: n)
        var offsets = [Int](repeating: 0, count: buckets)
        for p in 0..<passes {
            let shift = UInt64(p * digitBits)
            // A digit shared by every key leaves the order unchanged: skip the pass.
            let firstKeyDigit = Int(truncatingIfNeeded: (keys[0] >> shift) & mask)
            if counts[p * buckets + firstKeyDigit] == n { continue }
            var running = 0
            for b in 0..<buckets {
                offsets[b] = running
                running += counts[p * buckets + b]
            }
            keys.withUnsafeBufferPointer { k in
                order.withUnsafeBufferPointer { o in
                    keys2.withUnsafeMutableBufferPointer { k2 in
                        order2.withUnsafeMutableBufferPointer { o2 in
                            offsets.withUnsafeMutableBufferPointer { off in
                                for i in 0..<n {
                                    let x = k[i]
                                    let b = Int(truncatingIfNeeded: (x >> shift) & mask)
                                    let destination = off[b]
                                    off[b] = destination + 1
                                    k2[destination] = x
                                    o2[destination] = o[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keys2)
            swap(&order, &order2)
        }
        return order
    }
}

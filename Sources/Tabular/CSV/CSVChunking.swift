import CSVKernelsAVX512
import LinearAlgebra

/// The parallel split of a block of CSV bytes into row ranges, with quotes that span splits.
///
/// A block starts at a row start and is cut into chunks of `chunkBytes` (a function of the
/// byte count only). Pass 1 counts the quotes and newlines of every chunk in parallel; a
/// running sum of quote counts gives the quote parity at each chunk's first byte. Because a
/// `"` may only open a field, close it, or be doubled inside it (anything else is an error),
/// the parity of the quotes before a byte says whether that byte is inside a quoted field.
/// So each chunk can find, on its own, its first row start: the first byte after a newline
/// at even parity. Row range k runs from chunk k's row start to the next chunk's (chunks
/// without one join the previous range). Ranges are then parsed concurrently.
///
/// A file that breaks the quote rules is still parsed deterministically: the first range
/// that contains the first violation starts at a true row start, so it parses exactly as a
/// serial parser would up to the violation and reports the same error, and `Parallel.map`
/// reports the lowest-numbered failing range.
enum CSVChunking {
    /// Pass-1 counts of one chunk.
    struct ChunkCounts: Sendable {
        var quotes = 0
        var newlines = 0
    }

    /// One range of complete rows within a block (offsets relative to the block start).
    struct RowRange: Sendable, Equatable {
        var start: Int
        var end: Int
        /// At least the number of rows in the range (newlines spanned + 1).
        var rowCapacity: Int
    }

    /// The chunks of a block of `count` bytes.
    static func chunks(count: Int, chunkBytes: Int) -> [Range<Int>] {
        Parallel.chunks(count: count, chunkSize: chunkBytes)
    }

    /// Counts `"` and `\n` bytes in `p[start..<end]`: with the AVX-512 kernel when
    /// `CSVKernelDispatch.active` says so, else `countPortably`.
    /// - Complexity: O(end − start).
    static func count(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> ChunkCounts {
        guard CSVKernelDispatch.active == .avx512 else { return countPortably(p, start, end) }
        let (quotes, lineFeeds) = countQuotesAndLineFeedsAVX512(p, from: start, to: end)
        return ChunkCounts(quotes: quotes, newlines: lineFeeds)
    }

    /// Counts `"` and `\n` bytes in `p[start..<end]`, 16 bytes at a time, on any processor.
    /// - Complexity: O(end − start); memory-bandwidth bound (≈ 20 GB/s on one core).
    static func countPortably(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> ChunkCounts {
        var quotes = 0, newlines = 0
        var i = start
        let raw = UnsafeRawPointer(p)
        let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\"")), newline = SIMD16<UInt8>(repeating: 10)
        while i &+ 16 <= end {
            // Per-lane byte counters, flushed before they can wrap (255 steps).
            var quoteLanes = SIMD16<UInt8>(repeating: 0), newlineLanes = SIMD16<UInt8>(repeating: 0)
            var steps = 0
            while steps < 255, i &+ 16 <= end {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                quoteLanes &+= SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: v .== quote)
                newlineLanes &+= SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: v .== newline)
                i &+= 16
                steps &+= 1
            }
            quotes &+= Int(SIMD16<UInt16>(truncatingIfNeeded: quoteLanes).wrappedSum())
            newlines &+= Int(SIMD16<UInt16>(truncatingIfNeeded: newlineLanes).wrappedSum())
        }
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") { quotes &+= 1 } else if b == 10 { newlines &+= 1 }
            i &+= 1
        }
        return ChunkCounts(quotes: quotes, newlines: newlines)
    }

    /// The first row start in `[chunk.lowerBound, chunk.upperBound)`: a position just after
    /// a `\n` outside quotes, with the number of `\n` bytes before it in the chunk. `oddBefore`
    /// is the parity of the quotes in the block before `chunk.lowerBound`.
    /// - Precondition: `chunk.lowerBound ≥ 1` (the block start is a row start by definition).
    /// - Complexity: O(distance to the row start).
    static func firstRowStart(_ p: UnsafePointer<UInt8>, in chunk: Range<Int>, oddBefore: Bool) -> (offset: Int, newlinesBefore: Int)? {
        // A row start at chunk.lowerBound itself means a newline at lowerBound − 1.
        var i = chunk.lowerBound - 1
        var inQuotes = oddBefore != (p[i] == UInt8(ascii: "\""))
        var newlines = 0
        let lastNewline = chunk.upperBound - 2
        while i <= lastNewline {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if b == 10 {
                if i >= chunk.lowerBound { newlines += 1 }
                if !inQuotes { return (i + 1, newlines) }
            }
            i += 1
        }
        return nil
    }

    /// The row ranges of a block, from pass-1 counts: range k starts at chunk k's row start
    /// and ends at the next existing one. The final range ends at the block end when
    /// `isFinal`; otherwise it may be incomplete and is left out (the next block starts there).
    /// - Returns: the ranges and the offset where the unparsed rest of the block starts.
    /// - Complexity: O(chunks + bytes scanned to find row starts).
    static func rowRanges(
        _ p: UnsafePointer<UInt8>, chunks: [Range<Int>], counts: [ChunkCounts], isFinal: Bool
    ) -> (ranges: [RowRange], consumed: Int) {
        guard let last = chunks.last else { return ([], 0) }
        struct Start {
            var offset: Int
            var chunk: Int
            var newlinesBefore: Int
        }
        var starts = [Start(offset: 0, chunk: 0, newlinesBefore: 0)]
        var quotesBefore = counts[0].quotes
        for k in 1..<chunks.count {
            if let s = firstRowStart(p, in: chunks[k], oddBefore: quotesBefore & 1 == 1) {
                starts.append(Start(offset: s.offset, chunk: k, newlinesBefore: s.newlinesBefore))
            }
            quotesBefore += counts[k].quotes
        }
        var ranges: [RowRange] = []
        ranges.reserveCapacity(starts.count)
        for (n, s) in starts.enumerated() {
            let next = n + 1 < starts.count ? starts[n + 1] : nil
            let end = next?.offset ?? last.upperBound
            // Newlines in [s.offset, end): whole chunks from s's, minus those before s, plus
            // those of the next start's chunk before it.
            var newlines = -s.newlinesBefore + (next?.newlinesBefore ?? 0)
            for k in s.chunk..<(next?.chunk ?? chunks.count) { newlines += counts[k].newlines }
            if s.offset < end { ranges.append(RowRange(start: s.offset, end: end, rowCapacity: newlines + 1)) }
        }
        if !isFinal, let incomplete = ranges.popLast() { return (ranges, incomplete.start) }
        return (ranges, last.upperBound)
    }
}

import Testing
@testable import LinearAlgebra

@Suite("Memory budget for user-sized requests")
struct MemoryBudgetTests {
    @Test func fitsOverflowsAndDescribes() {
        let available = MemoryBudget.availableBytes
        #expect(available > 1 << 26)  // a machine that runs the tests has more than 64 MB
        #expect(MemoryBudget.bytesIfAvailable(1000, bytesPerItem: 8) == 8000)
        #expect(MemoryBudget.bytesIfAvailable(available / 8 + 1, bytesPerItem: 8) == nil)
        #expect(MemoryBudget.bytesIfAvailable(Int.max / 2, bytesPerItem: 3) == nil)  // overflow
        #expect(MemoryBudget.bytesIfAvailable(-1, bytesPerItem: 8) == nil)
        #expect(MemoryBudget.describe(999) == "999 B")
        #expect(MemoryBudget.describe(8.8e12) == "8.8 TB")
        #expect(MemoryBudget.describe(25_300_000_000) == "25.3 GB")
        #expect(MemoryBudget.shortfall(1 << 40, bytesPerItem: 8).hasPrefix("8.8 TB, more than the "))
    }
}

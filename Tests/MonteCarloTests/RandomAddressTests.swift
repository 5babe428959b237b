import Testing
@testable import MonteCarlo

@Suite("Random addresses")
struct RandomAddressTests {
    @Test func addressesAreValuesWithDefaults() {
        let a = RandomAddress(seed: 42)
        #expect(a.replicate == 0 && a.unit == 0 && a.slot == 0)
        #expect(a == RandomAddress(seed: 42, replicate: 0, unit: 0, slot: 0))
        #expect(a != RandomAddress(seed: 42, replicate: 1))
    }
}

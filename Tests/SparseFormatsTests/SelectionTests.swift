import Testing
@testable import SparseFormats

@Suite struct SelectionTests {
    @Test func kthSmallestMatchesSorting() {
        var generator = SeededGenerator(seed: 4)
        for trial in 0..<200 {
            let count = Int.random(in: 1...300, using: &generator)
            let range: UInt32 = trial % 3 == 0 ? 3 : 1_000_000  // many duplicates, or few
            var values: [UInt32] = (0..<count).map { _ in UInt32.random(in: 0...range, using: &generator) }
            if trial % 7 == 0 { values.sort() }  // adversarial for naive pivots
            if trial % 11 == 0 { values = Array(values.sorted().reversed()) }
            let sorted = values.sorted()
            let k = Int.random(in: 0..<count, using: &generator)
            var scratch = values
            #expect(PruningSelection.kthSmallest(&scratch, k) == sorted[k])
            #expect(scratch.sorted() == sorted)  // a permutation
        }
    }

    @Test func keepMaskDropsExactlyAndPrefersLaterTies() {
        let keys: [UInt64] = [5, 1, 1, 3, 1, 5, 0]
        #expect(PruningSelection.keepMask(count: 7, prune: 0) { keys[$0] } == [Bool](repeating: true, count: 7))
        #expect(PruningSelection.keepMask(count: 7, prune: 7) { keys[$0] } == [Bool](repeating: false, count: 7))
        #expect(PruningSelection.keepMask(count: 7, prune: 2) { keys[$0] } == [true, true, true, true, false, true, false])
        #expect(PruningSelection.keepMask(count: 7, prune: 5) { keys[$0] } == [true, false, false, false, false, true, false])
        #expect(PruningSelection.keepMask(count: 7, prune: 6) { keys[$0] } == [true, false, false, false, false, false, false])
        #expect(PruningSelection.keepMask(count: 0, prune: 0) { keys[$0] }.isEmpty)
    }
}

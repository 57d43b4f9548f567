import Testing
@testable import SparseFormats

@Suite struct PruningTests {
    func matrix(_ rows: Int, _ columns: Int, _ values: [Float]) throws -> DenseMatrix<Float> {
        try DenseMatrix(rows: rows, columns: columns, storage: values)
    }

    @Test func unstructuredRoundsHalfAwayAndBreaksTiesByIndex() throws {
        // 3 elements at 0.5: 1.5 rounds to 2 zeroed.
        let (m, report) = try matrix(1, 3, [3, -1, 2]).pruned(.unstructured, sparsity: 0.5)
        #expect(m.storage == [3, 0, 0])
        #expect(report == PruningReport(pattern: .unstructured, requested: 0.5, kept: 1, total: 3))
        #expect(abs(report.achieved - 2.0 / 3.0) < 1e-15)
        // Equal magnitudes: the earlier position is kept.
        #expect(try matrix(2, 2, [1, -1, 1, -1]).pruned(.unstructured, sparsity: 0.5).matrix.storage == [1, -1, 0, 0])
        // 1x1 at 0.5 zeroes round(0.5) = 1 element.
        #expect(try matrix(1, 1, [4]).pruned(.unstructured, sparsity: 0.5).report.kept == 0)
        #expect(try matrix(1, 1, [4]).pruned(.unstructured, sparsity: 0.49).report.kept == 1)
    }

    @Test func existingZerosArePrunedFirstButKeptPositionsCount() throws {
        let w = try matrix(1, 5, [0, 0, 3, -4, 0])
        // Zero 1 of 5: the last zero goes; the other two zeros are kept positions.
        let (csr, report) = try w.prunedCSR(.unstructured, sparsity: 0.2)
        #expect(report.kept == 4 && csr.nnz == 4)
        #expect(csr.columnIndices == [0, 1, 2, 3] && csr.values == [0, 0, 3, -4])
        // Zero 4 of 5: only -4 is kept.
        let (dense, r4) = try w.pruned(.unstructured, sparsity: 0.8)
        #expect(dense.storage == [0, 0, 0, -4, 0] && r4.kept == 1)
        #expect(try w.prunedCSR(.unstructured, sparsity: 0.8).matrix.columnIndices == [3])
    }

    @Test func extremesAndEmptyShapes() throws {
        let w = try matrix(2, 3, [1, 2, 3, 4, 5, 6])
        #expect(try w.pruned(.unstructured, sparsity: 0).matrix == w)
        #expect(try w.pruned(.unstructured, sparsity: 1).matrix.storage.allSatisfy { $0 == 0 })
        #expect(try w.prunedCSR(.unstructured, sparsity: 1).matrix.nnz == 0)
        for (rows, columns) in [(0, 0), (0, 4), (4, 0)] {
            let empty = try DenseMatrix<Float>(zeros: rows, columns)
            let (m, report) = try empty.pruned(.unstructured, sparsity: 0.7)
            #expect(m == empty && report.total == 0 && report.kept == 0 && report.achieved == 0)
            #expect(try empty.pruned(.block(rows: 2, columns: 2), sparsity: 0.5).report.total == 0)
            #expect(try empty.pruned(.nOfM(n: 2, m: 4)).report.total == 0)
            #expect(try empty.prunedCSR(.unstructured, sparsity: 0.3).matrix.rowOffsets.count == rows + 1)
        }
    }

    @Test func invalidRequests() throws {
        let w = try matrix(2, 6, [Float](repeating: 1, count: 12))
        for bad in [-0.1, 1.1, Double.nan, Double.infinity] {
            #expect(throws: SparseFormatError.invalidPruning(
                "sparsity must lie in [0, 1] (the fraction of weights zeroed), got \(bad)")) {
                try w.pruned(.unstructured, sparsity: bad)
            }
        }
        #expect(throws: SparseFormatError.invalidPruning("unstructured pruning needs a target sparsity in [0, 1]")) {
            try w.pruned(.unstructured)
        }
        #expect(throws: SparseFormatError.invalidPruning("block:2x2 pruning needs a target sparsity in [0, 1]")) {
            try w.pruned(.block(rows: 2, columns: 2))
        }
        #expect(throws: SparseFormatError.shapeNotDivisibleByBlock(rows: 2, columns: 6, blockRows: 2, blockColumns: 4)) {
            try w.pruned(.block(rows: 2, columns: 4), sparsity: 0.5)
        }
        #expect(throws: SparseFormatError.invalidPruning("block pruning needs positive block sides, got 0x2")) {
            try w.pruned(.block(rows: 0, columns: 2), sparsity: 0.5)
        }
        #expect(throws: SparseFormatError.invalidPruning("2:4 pruning needs the column count K = 6 divisible by M = 4")) {
            try w.pruned(.nOfM(n: 2, m: 4))
        }
        #expect(throws: SparseFormatError.invalidPruning("N:M pruning keeps N of every M weights, so 0 <= N <= M; got 4:3")) {
            try w.pruned(.nOfM(n: 4, m: 3))
        }
        #expect(throws: SparseFormatError.invalidPruning("N:M pruning needs M > 0, got 0:0")) { try w.pruned(.nOfM(n: 0, m: 0)) }
        #expect(throws: SparseFormatError.invalidPruning(
            "1:3 pruning always reaches sparsity 1 - 1/3 = \(1 - 1.0 / 3); 0.5 was requested")) {
            try w.pruned(.nOfM(n: 1, m: 3), sparsity: 0.5)
        }
        #expect(try w.pruned(.nOfM(n: 1, m: 3), sparsity: 2.0 / 3).report.kept == 4)
        let withNaN = try matrix(2, 2, [1, 2, .nan, 4])
        let error = #expect(throws: SparseFormatError.self) { try withNaN.pruned(.unstructured, sparsity: 0.5) }
        guard case let .nonFiniteValue(row, column, value)? = error else {
            Issue.record("expected nonFiniteValue, got \(String(describing: error))")
            return
        }
        #expect(row == 1 && column == 0 && value.isNaN)
        // Infinities rank largest and are kept.
        #expect(try matrix(1, 3, [.infinity, 5, -.infinity]).pruned(.unstructured, sparsity: 0.34).matrix.storage
            == [.infinity, 0, -.infinity])
    }

    @Test func blockRanksByL2Norm() throws {
        // Blocks (1x4): [3 0 0 0] has L2 3 (L1 3); [1 1 1 1] has L2 2 (L1 4): L2 prunes the second.
        #expect(try matrix(1, 8, [3, 0, 0, 0, 1, 1, 1, 1]).pruned(.block(rows: 1, columns: 4), sparsity: 0.5).matrix.storage
            == [3, 0, 0, 0, 0, 0, 0, 0])
        // [2 2 0 0] has L2 2.83 (max 2); [2.5 0 0 0] has L2 2.5 (max 2.5): L2 prunes the second.
        #expect(try matrix(1, 8, [2, 2, 0, 0, 2.5, 0, 0, 0]).pruned(.block(rows: 1, columns: 4), sparsity: 0.5).matrix.storage
            == [2, 2, 0, 0, 0, 0, 0, 0])
        // 2x2 blocks of a 4x4; equal norms keep the earlier block (row-major block order).
        let w = try matrix(4, 4, [
            1, 1, 5, 0,
            1, 1, 0, 0,
            0, 2, 1, -1,
            0, 0, 1, 1,
        ])
        let (m, report) = try w.pruned(.block(rows: 2, columns: 2), sparsity: 0.5)
        #expect(m.storage == [1, 1, 5, 0,  1, 1, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0])
        #expect(report.kept == 8 && report.achieved == 0.5)
        let bsr = try m.bsr(blockRows: 2, blockColumns: 2)
        #expect(bsr.nnzBlocks == 2)
    }

    @Test func nOfMKeepsTheLargestOfEachGroup() throws {
        let w = try matrix(2, 8, [
            1, -4, 3, 2,   0, 0, 0, 0,
            5, 5, 5, 5,    0.5, -0.25, 0.75, 0,
        ])
        let (m, report) = try w.pruned(.nOfM(n: 2, m: 4))
        #expect(m.storage == [0, -4, 3, 0,  0, 0, 0, 0,  5, 5, 0, 0,  0.5, 0, 0.75, 0])
        #expect(report == PruningReport(pattern: .nOfM(n: 2, m: 4), requested: 0.5, kept: 8, total: 16))
        // Kept zeros (the all-zero group) are still kept positions in CSR.
        let csr = try w.prunedCSR(.nOfM(n: 2, m: 4)).matrix
        #expect(csr.nnz == 8 && csr.columnIndices == [1, 2, 4, 5, 0, 1, 4, 6])
        #expect(try w.pruned(.nOfM(n: 0, m: 4)).report.kept == 0)
        #expect(try w.pruned(.nOfM(n: 4, m: 4)).matrix == w)
        #expect(try w.pruned(.nOfM(n: 1, m: 1)).matrix == w)
    }

    /// A large M takes the sorting path; it must agree with the unstructured ranking per row.
    @Test func nOfMWithLargeMMatchesPerRowRanking() throws {
        var random = RandomMatrices(seed: 8)
        let w = random.dense(rows: 3, columns: 40, density: 0.7, ties: true)
        let pruned = try w.pruned(.nOfM(n: 13, m: 20)).matrix
        for row in 0..<3 {
            for group in 0..<2 {
                let start = row * 40 + group * 20
                let slice = try DenseMatrix(rows: 1, columns: 20, storage: Array(w.storage[start..<(start + 20)]))
                let expected = try slice.pruned(.unstructured, sparsity: 7.0 / 20).matrix.storage
                #expect(Array(pruned.storage[start..<(start + 20)]) == expected)
            }
        }
    }

    /// Pruning hits the target exactly, and what it keeps outranks what it drops.
    @Test func exactTargetsProperty() throws {
        var random = RandomMatrices(seed: 31337)
        for trial in 0..<50 {
            let w = random.anyDense(maxSide: 16, ties: trial % 2 == 0)
            let count = w.storage.count
            let sparsity = Double(random.int(0...20)) / 20
            // Unstructured.
            let (keep, report) = try Pruning.keepMask(w, .unstructured, sparsity: sparsity)
            let prune = Int((sparsity * Double(count)).rounded())
            #expect(report.total == count && report.pruned == prune && keep.filter { !$0 }.count == prune)
            let keptMagnitudes = zip(keep, w.storage).filter { $0.0 }.map { abs($0.1) }
            let prunedMagnitudes = zip(keep, w.storage).filter { !$0.0 }.map { abs($0.1) }
            if let smallestKept = keptMagnitudes.min(), let largestPruned = prunedMagnitudes.max() {
                #expect(smallestKept >= largestPruned)
            }
            let (csr, csrReport) = try w.prunedCSR(.unstructured, sparsity: sparsity)
            #expect(csr.nnz == count - prune && csrReport == report)
            #expect(csr.dense() == (try w.pruned(.unstructured, sparsity: sparsity).matrix))

            // Block, on the largest divisible shape: crop w to multiples of the block.
            let r = random.int(1...3), c = random.int(1...3)
            let rows = w.rows / r * r, columns = w.columns / c * c
            var cropped = [Float]()
            for i in 0..<rows { cropped += w.storage[(i * w.columns)..<(i * w.columns + columns)] }
            let b = try DenseMatrix(rows: rows, columns: columns, storage: cropped)
            let (bm, br) = try b.pruned(.block(rows: r, columns: c), sparsity: sparsity)
            let blockCount = (rows / r) * (columns / c)
            let prunedBlocks = Int((sparsity * Double(blockCount)).rounded())
            #expect(br.pruned == prunedBlocks * r * c)
            let (bkeep, _) = try Pruning.keepMask(b, .block(rows: r, columns: c), sparsity: sparsity)
            var keptNorms = [Double](), prunedNorms = [Double]()
            for bi in 0..<(rows / r) {
                for bj in 0..<(columns / c) {
                    var norm = 0.0
                    var flags = Set<Bool>()
                    for i in 0..<r {
                        for j in 0..<c {
                            let index = (bi * r + i) * columns + bj * c + j
                            norm += Double(b.storage[index]) * Double(b.storage[index])
                            flags.insert(bkeep[index])
                            if !bkeep[index] { #expect(bm.storage[index] == 0) }
                        }
                    }
                    #expect(flags.count == 1)  // whole blocks only
                    if flags.first! { keptNorms.append(norm) } else { prunedNorms.append(norm) }
                }
            }
            #expect(prunedNorms.count == prunedBlocks)
            if let smallestKept = keptNorms.min(), let largestPruned = prunedNorms.max() {
                #expect(smallestKept >= largestPruned)
            }

            // N:M, with M dividing the cropped width.
            let m = [1, 2, 4, 8].filter { w.columns % $0 == 0 }.randomElement(using: &random.generator)!
            let n = random.int(0...m)
            let (nkeep, nr) = try Pruning.keepMask(w, .nOfM(n: n, m: m))
            #expect(nr.kept == count / m * n && abs(nr.achieved - (count == 0 ? 0 : 1 - Double(n) / Double(m))) < 1e-12)
            for start in stride(from: 0, to: count, by: m) {
                let group = start..<(start + m)
                #expect(nkeep[group].filter { $0 }.count == n)
                let kept = group.filter { nkeep[$0] }.map { abs(w.storage[$0]) }
                let dropped = group.filter { !nkeep[$0] }.map { abs(w.storage[$0]) }
                if let a = kept.min(), let b = dropped.max() { #expect(a >= b) }
            }
        }
    }

    @Test func otherElementTypes() throws {
        let values: [Double] = [1e-300, 2e-300, 3, -1e300, 0]
        let w = try DenseMatrix<Double>(rows: 1, columns: 5, storage: values)
        // Double keys must not collapse distinct tiny magnitudes (they would in Float).
        #expect(try w.pruned(.unstructured, sparsity: 0.4).matrix.storage == [0, 2e-300, 3, -1e300, 0])
        let bf = w.converted(to: BFloat16.self)
        #expect(try bf.pruned(.unstructured, sparsity: 0.6).report.kept == 2)
        let half = try DenseMatrix<Float16>(rows: 1, columns: 4, storage: [1, -2, 0.5, 3])
        #expect(try half.pruned(.nOfM(n: 1, m: 2)).matrix.storage == [0, -2, 0, 3])
    }
}

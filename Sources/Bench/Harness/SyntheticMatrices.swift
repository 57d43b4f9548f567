import Runtime
import SparseFormats

/// Random sparsity patterns for the `synthetic` suite, repeatable from a seed.
package enum SyntheticMatrices {
    /// How nonzeros are spread over rows.
    package enum RowDistribution: String, Codable, Sendable, CaseIterable {
        /// Every row has (almost) the same length: nnz / N, the remainder spread one per row.
        case uniform
        /// Row lengths follow a power law (Zipf, exponent 1), shuffled over rows and
        /// capped at K: a few long rows and many short ones, the load-balancing stress case.
        case powerLaw = "powerlaw"
    }

    /// An `rows x columns` matrix with exactly `round((1 - sparsity) * rows * columns)`
    /// nonzeros, columns chosen uniformly without replacement in each row, values
    /// uniform in [-1, 1), all drawn from `generator`.
    package static func make(
        rows: Int, columns: Int, sparsity: Double, distribution: RowDistribution, generator: SeededGenerator
    ) throws -> CSRMatrix<Float> {
        guard (0...1).contains(sparsity) else { throw SparseFormatError.invalidPruning("sparsity \(sparsity) is outside [0, 1]") }
        var rng = generator
        let total = Int(((1 - sparsity) * Double(rows) * Double(columns)).rounded())
        let lengths = rowLengths(rows: rows, columns: columns, nnz: total, distribution: distribution, rng: &rng)
        var offsets = [Int32](repeating: 0, count: rows + 1)
        var indices = [Int32]()
        indices.reserveCapacity(total)
        var chosen = Set<Int32>()
        for row in 0..<rows {
            // Floyd's algorithm: `length` distinct columns in O(length) draws.
            chosen.removeAll(keepingCapacity: true)
            let length = lengths[row]
            if length > 0 {
                for j in (columns - length)..<columns {
                    let t = Int32(Int(rng.next() % UInt64(j + 1)))
                    if chosen.contains(t) { chosen.insert(Int32(j)) } else { chosen.insert(t) }
                }
            }
            indices.append(contentsOf: chosen.sorted())
            offsets[row + 1] = Int32(indices.count)
        }
        let values: [Float] = rng.signedUnitValues(indices.count)
        return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
    }

    static func rowLengths(rows: Int, columns: Int, nnz: Int, distribution: RowDistribution, rng: inout SeededGenerator) -> [Int] {
        guard rows > 0 else { return [] }
        switch distribution {
        case .uniform:
            let base = nnz / rows, extra = nnz % rows
            var lengths = [Int](repeating: base, count: rows)
            for i in 0..<extra { lengths[i] += 1 }
            lengths.shuffle(using: &rng)
            return lengths
        case .powerLaw:
            let weights = (0..<rows).map { 1.0 / Double($0 + 1) }
            let scale = Double(nnz) / weights.reduce(0, +)
            var lengths = weights.map { min(columns, Int($0 * scale)) }
            // Hand out what rounding and the cap left over, shortest rows first, so nnz is exact.
            var missing = nnz - lengths.reduce(0, +)
            var row = rows - 1
            while missing > 0 {
                if lengths[row] < columns { lengths[row] += 1; missing -= 1 }
                row = row == 0 ? rows - 1 : row - 1
            }
            lengths.shuffle(using: &rng)
            return lengths
        }
    }
}

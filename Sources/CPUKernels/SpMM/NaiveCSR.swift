import SparseFormats

/// The "what a plain implementation does" baseline: a scalar, single-threaded CSR loop
/// over safe arrays, `Y = W X` with X `K x M` and Y `N x M`. For benchmarks only.
package struct NaiveCSR: Sendable {
    package let rows: Int
    package let columns: Int
    let rowOffsets: [Int32]
    let columnIndices: [Int32]
    let values: [Float]

    package init<E: SparseElement>(_ csr: CSRMatrix<E>) {
        rows = csr.rows
        columns = csr.columns
        rowOffsets = csr.rowOffsets
        columnIndices = csr.columnIndices
        values = csr.values.map(\.floatValue)
    }

    /// Overwrites `y` (`rows * m` floats) with `W x` (`x` holds `columns * m` floats).
    package func multiply(_ x: [Float], into y: inout [Float], m: Int) {
        precondition(x.count >= columns * m && y.count >= rows * m, "NaiveCSR.multiply: buffers too small")
        for row in 0..<rows {
            for j in 0..<m { y[row * m + j] = 0 }
            for p in Int(rowOffsets[row])..<Int(rowOffsets[row + 1]) {
                let v = values[p], base = Int(columnIndices[p]) * m
                for j in 0..<m { y[row * m + j] += v * x[base + j] }
            }
        }
    }
}

import SparseFormats

/// Seeded random matrices and checks shared by the CPU kernel tests.
enum TestMatrices {
    /// A canonical CSR matrix with about `density` of its entries stored; `emptyRows` are left
    /// empty and `denseRows` are full.
    static func csr(
        rows: Int, columns: Int, density: Double, seed: UInt64,
        emptyRows: Set<Int> = [], denseRows: Set<Int> = []
    ) throws -> CSRMatrix<Float> {
        var g = SeededGenerator(seed: seed)
        var offsets: [Int32] = [0], indices: [Int32] = [], values: [Float] = []
        for r in 0..<rows {
            for c in 0..<columns where !emptyRows.contains(r) {
                let keep = denseRows.contains(r) || Double(g.next() >> 11) / Double(1 << 53) < density
                if keep {
                    indices.append(Int32(c))
                    values.append(g.nextSignedUnitFloat())
                }
            }
            offsets.append(Int32(indices.count))
        }
        return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
    }

    /// A BSR matrix with about `density` of its blocks stored.
    static func bsr(
        rows: Int, columns: Int, blockRows: Int, blockColumns: Int, density: Double, seed: UInt64
    ) throws -> BSRMatrix<Float> {
        var g = SeededGenerator(seed: seed)
        var offsets: [Int32] = [0], indices: [Int32] = [], values: [Float] = []
        for _ in 0..<(rows / blockRows) {
            for bc in 0..<(columns / blockColumns) where Double(g.next() >> 11) / Double(1 << 53) < density {
                indices.append(Int32(bc))
                for _ in 0..<(blockRows * blockColumns) { values.append(g.nextSignedUnitFloat()) }
            }
            offsets.append(Int32(indices.count))
        }
        return try BSRMatrix(
            rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns,
            rowOffsets: offsets, columnIndices: indices, values: values)
    }

    /// The same matrix as CSR, explicit zeros of the blocks kept (for the reference).
    static func expand<E: SparseElement>(_ b: BSRMatrix<E>) throws -> CSRMatrix<E> {
        var offsets: [Int32] = [0], indices: [Int32] = [], values: [E] = []
        let (r, c) = (b.blockRows, b.blockColumns)
        for br in 0..<b.blockRowCount {
            for sub in 0..<r {
                for p in Int(b.rowOffsets[br])..<Int(b.rowOffsets[br + 1]) {
                    for k in 0..<c {
                        indices.append(b.columnIndices[p] * Int32(c) + Int32(k))
                        values.append(b.values[p * r * c + sub * c + k])
                    }
                }
                offsets.append(Int32(indices.count))
            }
        }
        return try CSRMatrix(rows: b.rows, columns: b.columns, rowOffsets: offsets, columnIndices: indices, values: values)
    }

    static func dense(rows: Int, columns: Int, seed: UInt64) throws -> DenseMatrix<Float> {
        var g = SeededGenerator(seed: seed)
        return try DenseMatrix(rows: rows, columns: columns, storage: g.signedUnitValues(rows * columns))
    }

    static func bias(_ count: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return g.signedUnitValues(count)
    }

    /// NaN everywhere, so an element the kernel forgets to write fails the check.
    static func poisoned(rows: Int, columns: Int) throws -> DenseMatrix<Float> {
        try DenseMatrix(rows: rows, columns: columns, storage: Array(repeating: .nan, count: rows * columns))
    }
}

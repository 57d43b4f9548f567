import SparseFormats

extension SpMMProblem {
    /// The problem of multiplying `pattern` (its shape, row lengths, fullest 16 x 16 block and
    /// whether it is 2:4; values are not read) by a dense `k x m` matrix.
    ///
    /// `patternDigest` comes from SparseFormats' pattern digest; it is taken as a value so that
    /// this module does not fix how it is computed.
    package init<E: SparseElement>(
        pattern: CSRMatrix<E>, m: Int, patternDigest: UInt64, elementType: ElementType,
        epilogue: Epilogue = .none, rowOrdering: RowOrdering = .identity, device: DeviceLimits
    ) throws(ProblemError) {
        var longest = 0, fullest = 0
        var perBlock = [Int](repeating: 0, count: (pattern.columns + 15) / 16)
        for row in 0..<pattern.rows {
            longest = max(longest, Int(pattern.rowOffsets[row + 1] - pattern.rowOffsets[row]))
            for entry in pattern.range(ofRow: row) { perBlock[Int(pattern.columnIndices[entry]) / 16] += 1 }
            if row % 16 == 15 || row == pattern.rows - 1 {
                fullest = max(fullest, perBlock.max() ?? 0)
                for i in perBlock.indices { perBlock[i] = 0 }
            }
        }
        try self.init(
            n: pattern.rows, k: pattern.columns, m: m, nnz: pattern.nnz, patternDigest: patternDigest,
            maxRowLength: longest, elementType: elementType, epilogue: epilogue,
            rowOrdering: rowOrdering, twoFour: pattern.keepsAtMost(2, of: 4), maxBlockEntries: fullest, device: device)
    }
}

extension RowOrder {
    /// Sputnik's row swizzle: rows by stored-entry count, longest first; rows of equal length
    /// keep their original relative order (lower index first), so the order is deterministic.
    ///
    /// Blocks that take consecutive slots then get rows of similar work, and the longest rows
    /// start first instead of finishing last. O(rows + longest row): a counting sort by length.
    public static func byLengthDescending<E: SparseElement>(_ matrix: CSRMatrix<E>) -> RowOrder {
        let lengths = (0..<matrix.rows).map { Int(matrix.rowOffsets[$0 + 1] - matrix.rowOffsets[$0]) }
        let longest = lengths.max() ?? 0
        // starts[l] = first slot of rows of length l, counting from the longest length down.
        var starts = [Int](repeating: 0, count: longest + 2)
        for length in lengths { starts[longest - length + 1] += 1 }
        for bucket in 0..<longest + 1 { starts[bucket + 1] += starts[bucket] }
        var slots = [Int32](repeating: 0, count: matrix.rows)
        // Rows visited in increasing index fill each bucket in order: ties stay stable.
        for (row, length) in lengths.enumerated() {
            let bucket = longest - length
            slots[starts[bucket]] = Int32(truncatingIfNeeded: row)
            starts[bucket] += 1
        }
        return RowOrder(unchecked: slots)
    }
}

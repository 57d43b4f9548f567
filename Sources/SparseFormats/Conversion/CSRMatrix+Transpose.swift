extension CSRMatrix {
    /// The transpose (`columns x rows`), canonical, stored entries (explicit zeros
    /// included) kept. A counting sort over columns: O(nnz + rows + columns).
    @inlinable
    public func transposed() -> CSRMatrix {
        let nnz = self.nnz
        var offsets = [Int32](repeating: 0, count: columns + 1)
        offsets.withUnsafeMutableBufferPointer { counts in
            columnIndices.withUnsafeBufferPointer { indices in
                // Every index is < columns (CSRMatrix invariant), so `column + 1` is in bounds.
                for column in indices { counts[Int(column) &+ 1] &+= 1 }
            }
            for column in 0..<columns { counts[column &+ 1] &+= counts[column] }
        }
        guard nnz > 0 else { return CSRMatrix(unchecked: columns, rows, offsets, [], []) }
        var next = offsets
        var newValues: [Element] = []
        // Both outputs are filled by one pass of the counting sort: each of the nnz slots is
        // written exactly once (the counts partition 0..<nnz), so no zero fill is needed.
        let newColumns = [Int32](unsafeUninitializedCapacity: nnz) { outColumns, columnCount in
            newValues = [Element](unsafeUninitializedCapacity: nnz) { outValues, valueCount in
                next.withUnsafeMutableBufferPointer { cursor in
                    rowOffsets.withUnsafeBufferPointer { starts in
                        columnIndices.withUnsafeBufferPointer { indices in
                            values.withUnsafeBufferPointer { source in
                                // Rows are visited in increasing order, so each transposed row
                                // comes out sorted.
                                for row in 0..<rows {
                                    for position in Int(starts[row])..<Int(starts[row &+ 1]) {
                                        let column = Int(indices[position])
                                        let target = Int(cursor[column])
                                        cursor[column] &+= 1
                                        (outColumns.baseAddress.unsafelyUnwrapped + target)
                                            .initialize(to: Int32(truncatingIfNeeded: row))
                                        (outValues.baseAddress.unsafelyUnwrapped + target).initialize(to: source[position])
                                    }
                                }
                            }
                        }
                    }
                }
                valueCount = nnz
            }
            columnCount = nnz
        }
        return CSRMatrix(unchecked: columns, rows, offsets, newColumns, newValues)
    }
}

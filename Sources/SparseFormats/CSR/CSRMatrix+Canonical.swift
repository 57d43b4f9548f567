extension CSRMatrix {
    /// Builds a canonical matrix from scipy's looser CSR form: columns may be unsorted
    /// within a row and may repeat; repeats are summed (as `sum_duplicates`, in
    /// Float64, rounded once). Row offsets and column ranges are still checked.
    public static func canonicalizing(
        rows: Int, columns: Int, rowOffsets: [Int32], columnIndices: [Int32], values: [Element]
    ) throws(SparseFormatError) -> CSRMatrix {
        try validate(
            rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
            valueCount: values.count, canonical: false)
        if isCanonical(rows: rows, rowOffsets: rowOffsets, columnIndices: columnIndices) {
            return CSRMatrix(unchecked: rows, columns, rowOffsets, columnIndices, values)
        }
        var newOffsets = [Int32](repeating: 0, count: rows + 1)
        var newColumns = [Int32](), newValues = [Element]()
        newColumns.reserveCapacity(columnIndices.count)
        newValues.reserveCapacity(values.count)
        var order = [Int]()
        for row in 0..<rows {
            let start = Int(rowOffsets[row]), end = Int(rowOffsets[row + 1])
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: start..<end)
            // Stable sort keeps the summation order of duplicates deterministic.
            order.sort { (columnIndices[$0], $0) < (columnIndices[$1], $1) }
            var index = 0
            while index < order.count {
                let column = columnIndices[order[index]]
                var sum = values[order[index]].doubleValue
                var next = index + 1
                while next < order.count, columnIndices[order[next]] == column {
                    sum += values[order[next]].doubleValue
                    next += 1
                }
                newColumns.append(column)
                newValues.append(next == index + 1 ? values[order[index]] : Element(sum))
                index = next
            }
            newOffsets[row + 1] = Int32(newColumns.count)
        }
        return CSRMatrix(unchecked: rows, columns, newOffsets, newColumns, newValues)
    }

    static func isCanonical(rows: Int, rowOffsets: [Int32], columnIndices: [Int32]) -> Bool {
        for row in 0..<rows {
            let start = Int(rowOffsets[row]), end = Int(rowOffsets[row + 1])
            if end - start > 1 {
                for position in (start + 1)..<end where columnIndices[position] <= columnIndices[position - 1] {
                    return false
                }
            }
        }
        return true
    }
}

extension BSRMatrix {
    /// Builds a canonical BSR matrix from scipy's looser form (unsorted or repeated
    /// block columns within a block row); repeated blocks are summed element-wise.
    public static func canonicalizing(
        rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
        rowOffsets: [Int32], columnIndices: [Int32], values: [Element]
    ) throws(SparseFormatError) -> BSRMatrix {
        try validate(
            rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns,
            rowOffsets: rowOffsets, columnIndices: columnIndices, valueCount: values.count, canonical: false)
        let blockRowCount = rows / blockRows
        if CSRMatrix<Element>.isCanonical(rows: blockRowCount, rowOffsets: rowOffsets, columnIndices: columnIndices) {
            return BSRMatrix(unchecked: rows, columns, blockRows, blockColumns, rowOffsets, columnIndices, values)
        }
        let blockSize = blockRows * blockColumns
        var newOffsets = [Int32](repeating: 0, count: blockRowCount + 1)
        var newColumns = [Int32](), newValues = [Element]()
        var order = [Int](), sums = [Double](repeating: 0, count: blockSize)
        for blockRow in 0..<blockRowCount {
            let start = Int(rowOffsets[blockRow]), end = Int(rowOffsets[blockRow + 1])
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: start..<end)
            order.sort { (columnIndices[$0], $0) < (columnIndices[$1], $1) }
            var index = 0
            while index < order.count {
                let column = columnIndices[order[index]]
                var next = index
                for e in 0..<blockSize { sums[e] = 0 }
                while next < order.count, columnIndices[order[next]] == column {
                    let base = order[next] * blockSize
                    for e in 0..<blockSize { sums[e] += values[base + e].doubleValue }
                    next += 1
                }
                newColumns.append(column)
                if next == index + 1 {
                    let base = order[index] * blockSize
                    newValues.append(contentsOf: values[base..<(base + blockSize)])
                } else {
                    newValues.append(contentsOf: sums.map { Element($0) })
                }
                index = next
            }
            newOffsets[blockRow + 1] = Int32(newColumns.count)
        }
        return BSRMatrix(unchecked: rows, columns, blockRows, blockColumns, newOffsets, newColumns, newValues)
    }
}

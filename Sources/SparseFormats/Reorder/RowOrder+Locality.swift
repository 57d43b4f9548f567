extension RowOrder {
    /// Candidates the greedy chain compares at each step (``locality(_:groupSize:window:)``).
    public static let defaultLocalityWindow = 64

    /// A locality-aware order (LO-SpMM's reordering, done cheaply): rows whose column sets
    /// overlap are placed next to each other, so the rows a block takes together read the same
    /// rows of X (one load of X serves several rows; fewer distinct X rows per block).
    ///
    /// How: rows are first sorted by two MinHash values of their column sets (rows sharing their
    /// smallest hashed column are likely to overlap: the chance equals their Jaccard similarity),
    /// then a greedy chain takes, at each step, the candidate among the next `window` unplaced
    /// rows of that sorted list that shares the most columns with the union of the last
    /// `groupSize` rows placed (ties: the length closest to the previous row's, for even work per
    /// block, then the earlier candidate). A new group of `groupSize` rows starts from the
    /// longest remaining candidate of the window, so groups also carry similar work.
    ///
    /// Deterministic (fixed hashes, no randomness); pure. Cost O(rows x window x mean row
    /// length) plus the sort; empty rows go last. `groupSize` and `window` below 1 count as 1.
    public static func locality<E: SparseElement>(
        _ matrix: CSRMatrix<E>, groupSize: Int = 4, window: Int = defaultLocalityWindow
    ) -> RowOrder {
        let group = max(1, groupSize), width = max(1, window)
        let rows = matrix.rows
        let lengths = (0..<rows).map { matrix.range(ofRow: $0).count }
        let filled = (0..<rows).filter { lengths[$0] > 0 }
        let empty = (0..<rows).filter { lengths[$0] == 0 }
        let signatures = filled.map { row in LocalitySignature(matrix.columnIndices[matrix.range(ofRow: row)]) }
        var remaining = filled.indices.sorted { a, b in
            let (sa, sb) = (signatures[a], signatures[b])
            if sa.first != sb.first { return sa.first < sb.first }
            if sa.second != sb.second { return sa.second < sb.second }
            return filled[a] < filled[b]
        }.map { filled[$0] }
        var order: [Int32] = []
        order.reserveCapacity(rows)
        var union = ColumnSet(columns: matrix.columns)
        while !remaining.isEmpty {
            let candidates = remaining.prefix(width).indices
            let pick: Int
            if order.count % group == 0 {
                // A new group: the longest candidate (first one on ties).
                var longest = candidates.lowerBound
                for index in candidates where lengths[remaining[index]] > lengths[remaining[longest]] { longest = index }
                pick = longest
            } else {
                let previous = lengths[Int(order[order.count - 1])]
                var best = candidates.lowerBound, bestScore = (Int.min, Int.min)
                for index in candidates {
                    let row = remaining[index]
                    let shared = matrix.columnIndices[matrix.range(ofRow: row)].reduce(0) { $0 + (union.contains($1) ? 1 : 0) }
                    let score = (shared, -abs(lengths[row] - previous))
                    if score > bestScore { (best, bestScore) = (index, score) }
                }
                pick = best
            }
            let row = remaining.remove(at: pick)
            order.append(Int32(truncatingIfNeeded: row))
            // The union of the last `group` rows of the current group.
            if order.count % group == 0 {
                union.clear()
            } else {
                union.insert(matrix.columnIndices[matrix.range(ofRow: row)])
            }
        }
        order += empty.map { Int32(truncatingIfNeeded: $0) }
        return RowOrder(unchecked: order)
    }
}

/// Two MinHash values of a row's column set (multiplicative hashes with fixed odd constants).
private struct LocalitySignature {
    var first = UInt32.max, second = UInt32.max

    init(_ columns: ArraySlice<Int32>) {
        for column in columns {
            let c = UInt32(bitPattern: column)
            first = min(first, (c &* 0x9E37_79B1) ^ 0x5BD1_E995)
            second = min(second, (c &* 0x85EB_CA77) &+ 0xC2B2_AE3D)
        }
    }
}

/// A set of columns of one matrix as a bitset, cleared in O(columns / 64).
private struct ColumnSet {
    private var words: [UInt64]

    init(columns: Int) { words = [UInt64](repeating: 0, count: (columns + 63) / 64) }

    func contains(_ column: Int32) -> Bool { words[Int(column) >> 6] & (1 << UInt64(column & 63)) != 0 }

    mutating func insert(_ columns: ArraySlice<Int32>) {
        for column in columns { words[Int(column) >> 6] |= 1 << UInt64(column & 63) }
    }

    mutating func clear() { for i in words.indices { words[i] = 0 } }
}

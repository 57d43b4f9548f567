/// What a kernel that packs each group of `groupSize` consecutive rows onto the union of their
/// columns would multiply (vector-sparse, as DTC-SpMM and VENOM do): a tensor-core kernel
/// multiplies every row of a group against every column its rows use, so it keeps
/// ``fractionOfK`` of the dense math and stores ``storedElements`` weights, padding included.
///
/// Rows are taken in `ordering`'s order (``RowOrdering/rowOrder(for:groupSize:)``, the locality
/// order grouping `groupSize` rows), so the effect of a reordering on the packing can be measured.
/// The last group may hold fewer rows. An explicit zero counts as an entry, as in
/// ``BlockStatistics``. For a uniformly random pattern of density d, a group of g rows uses
/// about 1 - (1 - d)^g of the columns (57% at g = 8, d = 0.1; 94% at g = 8, d = 0.3).
public struct RowGroupStatistics: Codable, Sendable, Hashable {
    public var groupSize: Int
    /// The order the rows were grouped in.
    public var ordering: RowOrdering
    /// `ceil(rows / groupSize)`.
    public var groups: Int
    /// Sum over groups of the distinct columns their rows use.
    public var packedColumns: Int
    /// `packedColumns / (groups x columns)`: the share of the dense math a packed kernel keeps
    /// (0 for a matrix without rows or columns).
    public var fractionOfK: Double
    /// Sum over groups of (rows in the group) x (columns it uses): what the packed tiles hold.
    public var storedElements: Int
    /// `nnz / storedElements`, in (0, 1]; 0 when the matrix has no entries.
    public var fill: Double

    /// Counts in O(nnz + rows + columns) after building the order. A `groupSize` below 1 counts as 1.
    public init<E: SparseElement>(_ matrix: CSRMatrix<E>, groupSize: Int, ordering: RowOrdering) {
        self.init(matrix, groupSize: groupSize, ordering: ordering, order: ordering.rowOrder(for: matrix, groupSize: max(1, groupSize)))
    }

    /// The counts with rows taken in `order` (slot `i` holds row `order[i]`; nil: in row order),
    /// recorded as `ordering`. `order` must be a permutation of the matrix's rows (a programmer
    /// error otherwise).
    init<E: SparseElement>(_ matrix: CSRMatrix<E>, groupSize: Int, ordering: RowOrdering, order: RowOrder?) {
        precondition(order.map { $0.count == matrix.rows } ?? true, "a row order of \(order?.count ?? 0) rows for \(matrix.rows)")
        let size = max(1, groupSize)
        self.groupSize = size
        self.ordering = ordering
        groups = (matrix.rows + size - 1) / size
        // `stamp[c] == group + 1` marks column c as counted in this group.
        var stamp = [Int](repeating: 0, count: matrix.columns)
        var packed = 0, stored = 0
        for group in 0..<groups {
            let slots = (group * size)..<min(matrix.rows, (group + 1) * size)
            var used = 0
            for slot in slots {
                for position in matrix.range(ofRow: order.map { $0[slot] } ?? slot) {
                    let column = Int(matrix.columnIndices[position])
                    if stamp[column] != group + 1 {
                        stamp[column] = group + 1
                        used += 1
                    }
                }
            }
            packed += used
            stored += used * slots.count
        }
        packedColumns = packed
        storedElements = stored
        let dense = Double(groups) * Double(matrix.columns)
        fractionOfK = dense == 0 ? 0 : Double(packed) / dense
        fill = stored == 0 ? 0 : Double(matrix.nnz) / Double(stored)
    }
}

extension CSRMatrix {
    /// Row-group packing in row order and in the locality order built for that group size: what
    /// `sparrow info --tiles` reports, for each of `groupSizes`.
    public func rowGroupStatistics(groupSizes: [Int] = [8, 16]) -> [RowGroupStatistics] {
        groupSizes.flatMap { size in [RowOrdering.identity, .locality].map { RowGroupStatistics(self, groupSize: size, ordering: $0) } }
    }
}

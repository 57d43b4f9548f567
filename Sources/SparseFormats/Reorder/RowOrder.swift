/// An order of a matrix's rows: `rows[slot]` is the original row placed at position `slot`.
///
/// A permutation of `0..<count`, checked when built, stored as `Int32` so it can be handed to a
/// kernel as is (the generated kernels read `rowOrder[slot]` the same way). Applying it to a
/// matrix moves row `rows[i]` to row `i`; the ``inverse`` moves it back, so a product computed on
/// the reordered matrix is restored with `order.inverse.applied(to: y)`.
public struct RowOrder: Sendable, Hashable {
    /// `rows[slot]` = the original row at `slot`; each of `0..<count` exactly once.
    public let rows: [Int32]

    /// Checks that `rows` is a permutation of `0..<rows.count`.
    public init(_ rows: [Int32]) throws(RowOrderError) {
        try checkIndexable(rows.count)
        var seenAt = [Int32](repeating: -1, count: rows.count)
        for (slot, row) in rows.enumerated() {
            guard row >= 0, Int(row) < rows.count else {
                throw .rowOutOfRange(slot: slot, row: Int(row), count: rows.count)
            }
            guard seenAt[Int(row)] < 0 else {
                throw .duplicateRow(slot: slot, row: Int(row), firstSlot: Int(seenAt[Int(row)]))
            }
            seenAt[Int(row)] = Int32(truncatingIfNeeded: slot)
        }
        self.rows = rows
    }

    /// Checks that `rows` is a permutation of `0..<rows.count`.
    public init(_ rows: [Int]) throws(RowOrderError) {
        try checkIndexable(rows.count)
        // Out-of-range values must be reported as such, not truncated into range.
        for (slot, row) in rows.enumerated() where row < 0 || row >= rows.count {
            throw .rowOutOfRange(slot: slot, row: row, count: rows.count)
        }
        try self.init(rows.map { Int32(truncatingIfNeeded: $0) })
    }

    /// For orders that are permutations by construction.
    init(unchecked rows: [Int32]) {
        self.rows = rows
    }

    /// Rows in their own order. `count` must lie in `0...Int32.max` (a matrix's row count).
    public static func identity(_ count: Int) -> RowOrder {
        precondition(count >= 0 && count <= Int(Int32.max), "row count \(count) outside 0...Int32.max")
        return RowOrder(unchecked: (0..<Int32(truncatingIfNeeded: count)).map { $0 })
    }

    /// Number of rows ordered.
    public var count: Int { rows.count }

    /// The original row placed at `slot`.
    public subscript(slot: Int) -> Int { Int(rows[slot]) }

    /// Whether every row stays in place.
    public var isIdentity: Bool { rows.enumerated().allSatisfy { $0.offset == Int($0.element) } }

    /// The order that undoes this one: `inverse[rows[slot]] == slot`.
    public var inverse: RowOrder {
        var slots = [Int32](repeating: 0, count: rows.count)
        for (slot, row) in rows.enumerated() { slots[Int(row)] = Int32(truncatingIfNeeded: slot) }
        return RowOrder(unchecked: slots)
    }

    /// This order followed by `next`: applying the result equals applying `self`, then `next`.
    public func followed(by next: RowOrder) throws(RowOrderError) -> RowOrder {
        guard next.count == count else { throw .countMismatch(orderCount: next.count, rows: count) }
        return RowOrder(unchecked: next.rows.map { rows[Int($0)] })
    }
}

private func checkIndexable(_ count: Int) throws(RowOrderError) {
    guard count <= Int(Int32.max) else { throw .tooManyRows(count: count, limit: Int(Int32.max)) }
}

/// A row order that is not a permutation, or that does not fit the matrix it is applied to.
public enum RowOrderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An entry is negative or not below the number of rows.
    case rowOutOfRange(slot: Int, row: Int, count: Int)
    /// A row appears twice.
    case duplicateRow(slot: Int, row: Int, firstSlot: Int)
    /// The order has a different number of rows than the matrix (or array) it is applied to.
    case countMismatch(orderCount: Int, rows: Int)
    /// More rows than Int32 indices reach.
    case tooManyRows(count: Int, limit: Int)

    public var description: String {
        switch self {
        case let .rowOutOfRange(slot, row, count):
            "row order entry \(row) at slot \(slot) is out of range 0..<\(count)"
        case let .duplicateRow(slot, row, firstSlot):
            "row order lists row \(row) twice (slots \(firstSlot) and \(slot)), so it is not a permutation"
        case let .countMismatch(orderCount, rows):
            "row order of \(orderCount) rows applied to \(rows) rows"
        case let .tooManyRows(count, limit):
            "row order of \(count) rows exceeds the Int32 index limit \(limit)"
        }
    }
}

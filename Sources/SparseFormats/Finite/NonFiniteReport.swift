/// What is not finite in a matrix's values, for reports and readers' diagnostics.
///
/// Counts stored values only (for BSR, every stored element of every block).
/// ``first`` is the non-finite element that comes first in row-major order.
public struct NonFiniteReport: Codable, Sendable, Hashable, CustomStringConvertible {
    /// A row and column of the matrix (element coordinates, also for BSR).
    public struct Position: Codable, Sendable, Hashable {
        public var row: Int
        public var column: Int
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    public var nanCount: Int = 0
    public var positiveInfinityCount: Int = 0
    public var negativeInfinityCount: Int = 0
    /// The first non-finite element in row-major order; nil when all values are finite.
    public var first: Position?

    public init() {}

    /// Infinities of either sign.
    public var infinityCount: Int { positiveInfinityCount + negativeInfinityCount }
    public var nonFiniteCount: Int { nanCount + infinityCount }
    public var isAllFinite: Bool { nonFiniteCount == 0 }

    public var description: String {
        guard let first else { return "all values finite" }
        return "\(nanCount) NaN, \(positiveInfinityCount) +Inf, \(negativeInfinityCount) -Inf; "
            + "first at row \(first.row), column \(first.column)"
    }

    /// Counts `value`; `row`, `column` are its coordinates.
    mutating func record<E: SparseElement>(_ value: E, row: Int, column: Int) {
        let d = value.doubleValue  // exact for every element type, NaN stays NaN
        if d.isNaN {
            nanCount += 1
        } else if d == .infinity {
            positiveInfinityCount += 1
        } else if d == -.infinity {
            negativeInfinityCount += 1
        } else {
            return
        }
        if let current = first, (current.row, current.column) <= (row, column) { return }
        first = Position(row: row, column: column)
    }
}

extension CSRMatrix {
    /// See ``NonFiniteReport``.
    public var nonFiniteReport: NonFiniteReport {
        var report = NonFiniteReport()
        for row in 0..<rows {
            for position in range(ofRow: row) where !values[position].isFinite {
                report.record(values[position], row: row, column: Int(columnIndices[position]))
            }
        }
        return report
    }
}

extension BSRMatrix {
    /// See ``NonFiniteReport``.
    public var nonFiniteReport: NonFiniteReport {
        var report = NonFiniteReport()
        for blockRow in 0..<blockRowCount {
            for block in Int(rowOffsets[blockRow])..<Int(rowOffsets[blockRow + 1]) {
                for within in 0..<blockSize where !values[block * blockSize + within].isFinite {
                    report.record(
                        values[block * blockSize + within],
                        row: blockRow * blockRows + within / blockColumns,
                        column: Int(columnIndices[block]) * blockColumns + within % blockColumns)
                }
            }
        }
        return report
    }
}

extension DenseMatrix {
    /// See ``NonFiniteReport``.
    public var nonFiniteReport: NonFiniteReport {
        var report = NonFiniteReport()
        for index in storage.indices where !storage[index].isFinite {
            report.record(storage[index], row: index / columns, column: index % columns)
        }
        return report
    }
}

import Runtime
import SparseFormats

/// One line of `sparrow selftest`.
package struct SelfTestResult: Codable, Sendable {
    package enum Status: String, Codable, Sendable { case passed, failed, skipped }
    package var group: String
    package var name: String
    package var status: Status
    package var detail: String

    package init(group: String, name: String, status: Status, detail: String) {
        self.group = group
        self.name = name
        self.status = status
        self.detail = detail
    }
}

extension CSRMatrix where Element == Float {
    /// The same matrix with values rounded through `type`, so a reference computed from it
    /// sees exactly the weights a kernel in that precision sees.
    func roundedValues(through type: ElementType) throws -> CSRMatrix<Float> {
        let rounded = values.map { ElementBytes.roundTrip($0, type) }
        return try CSRMatrix(rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices, values: rounded)
    }
}

extension ElementBytes {
    /// `v` rounded through `type` and back.
    static func roundTrip(_ v: Float, _ type: ElementType) -> Float {
        type.swiftType.init(v).floatValue
    }
}


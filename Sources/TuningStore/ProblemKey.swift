/// What a trial was measured on, as the database keys it: the op and every value of the problem
/// that changes which kernel wins. Device limits are not here: they follow from the
/// ``TuningContext``'s device.
package struct ProblemKey: Sendable, Hashable, Codable {
    /// The operation (`"spmm"`, `"spmm-cpu"`).
    package var op: String
    /// W's pattern digest, 16 lowercase hex digits.
    package var patternDigest: String
    /// Rows of W (N, output features).
    package var matrixRows: Int
    /// Columns of W (K, input features).
    package var matrixColumns: Int
    /// Stored entries of W.
    package var nnz: Int
    /// The dense width n (columns of X and Y).
    package var width: Int
    /// The element type's name (`"f32"`).
    package var elementType: String
    /// The accumulator's name (`"f32"`).
    package var accumulator: String
    /// The op's other knobs that change the kernel, as `name=value` pairs joined by commas
    /// (`"epilogue=none,rows=identity"`); empty when the op has none.
    package var variant: String

    package init(
        op: String, patternDigest: String, matrixRows: Int, matrixColumns: Int, nnz: Int, width: Int,
        elementType: String, accumulator: String, variant: String = ""
    ) {
        self.op = op
        self.patternDigest = patternDigest
        self.matrixRows = matrixRows
        self.matrixColumns = matrixColumns
        self.nnz = nnz
        self.width = width
        self.elementType = elementType
        self.accumulator = accumulator
        self.variant = variant
    }

    /// The database's column names (a ``StoredTrial`` encodes its problem flat, beside its own fields).
    enum CodingKeys: String, CodingKey {
        case op
        case patternDigest = "pattern_digest"
        case matrixRows = "matrix_rows"
        case matrixColumns = "matrix_columns"
        case nnz, width
        case elementType = "element_type"
        case accumulator, variant
    }
}

/// ``ProblemKey`` under a name that modules with a `ProblemKey` of their own (Bench's resume
/// key) can use: `TuningStore.ProblemKey` would name a member of the ``TuningStore`` struct.
package typealias StoredProblemKey = ProblemKey

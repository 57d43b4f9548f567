import SparseFormats

/// What a check of one output found.
package struct Verdict: Sendable, Equatable {
    /// ‖y − ref‖ / ‖ref‖; nil when it could not be computed (wrong length, NaN in the output).
    package var relativeError: Double?
    /// Why the output is wrong; nil when it is correct.
    package var failure: String?

    /// Whether the output is within the tolerance of its precision.
    package var isCorrect: Bool { failure == nil }
}

/// The one check of a kernel's output against the Float64 reference.
///
/// Every candidate, configuration, baseline and self-test output goes through ``check(_:precision:)``:
/// the output must have the reference's length, hold no NaN (outputs are poisoned with NaN
/// before a run, so a NaN is an element the kernel never wrote) and be within
/// ``ComputePrecision/relativeTolerance`` of the reference.
package struct Verifier: Sendable {
    /// Y in Float64, row-major.
    package let reference: [Double]

    package init(reference: [Double]) { self.reference = reference }

    /// The reference of Y = W X (+ bias per row) (then ReLU), accumulated in Float64.
    package init<W: SparseElement, X: SparseElement>(
        w: CSRMatrix<W>, x: DenseMatrix<X>, bias: [Double]? = nil, relu: Bool = false
    ) throws(SparseFormatError) {
        reference = try ReferenceSpMM.multiply(w, x, bias: bias, relu: relu).storage
    }

    /// Checks `output` (as many elements as the reference, row-major) for `precision`.
    package func check<T: SparseElement>(_ output: [T], precision: ComputePrecision) -> Verdict {
        guard output.count == reference.count else {
            return Verdict(relativeError: nil, failure: "output has \(output.count) elements, expected \(reference.count)")
        }
        let error = ReferenceSpMM.relativeError(output, reference: reference)
        if error.isNaN { return Verdict(relativeError: nil, failure: "output holds NaN (an element was not written)") }
        let tolerance = precision.relativeTolerance
        guard error <= tolerance else {
            return Verdict(relativeError: error, failure: "relative error \(error) > \(tolerance)")
        }
        return Verdict(relativeError: error, failure: nil)
    }
}

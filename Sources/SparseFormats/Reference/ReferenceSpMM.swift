/// The Float64 reference SpMM every kernel is checked against.
///
/// Convention (DLMC, Sputnik): W is sparse `N x K`, X is dense `K x M`, Y = W X is
/// `N x M`, all row-major. Products and sums are accumulated in Float64; the result
/// is returned in Float64 so checks can measure the kernel's rounding.
public enum ReferenceSpMM {
    /// Y = W X (+ bias per output row) (then ReLU), accumulated in Float64.
    public static func multiply<W: SparseElement, X: SparseElement>(
        _ w: CSRMatrix<W>, _ x: DenseMatrix<X>, bias: [Double]? = nil, relu: Bool = false
    ) throws(SparseFormatError) -> DenseMatrix<Double> {
        guard w.columns == x.rows else {
            throw .shapeMismatch(operation: "spmm W x X", left: w.shape, right: x.shape)
        }
        if let bias, bias.count != w.rows {
            throw .shapeMismatch(operation: "spmm bias", left: w.shape, right: [bias.count])
        }
        let m = x.columns
        var y = [Double](repeating: 0, count: w.rows * m)
        let xd = x.storage.map(\.doubleValue)
        for row in 0..<w.rows {
            let out = row * m
            for position in w.range(ofRow: row) {
                let a = w.values[position].doubleValue
                let base = Int(w.columnIndices[position]) * m
                for j in 0..<m { y[out + j] += a * xd[base + j] }
            }
            if let bias { for j in 0..<m { y[out + j] += bias[row] } }
            if relu { for j in 0..<m { y[out + j] = max(y[out + j], 0) } }
        }
        return DenseMatrix(unchecked: w.rows, m, y)
    }

    /// The `linear` convention (PyTorch, TVM): X is `M x K`, Y = X Wᵀ is `M x N`.
    ///
    /// This is the same product as ``multiply(_:_:bias:relu:)`` with X and Y
    /// transposed: `(X Wᵀ)ᵀ = W Xᵀ`. It exists as an adapter, not a second algorithm.
    public static func linear<W: SparseElement, X: SparseElement>(
        _ x: DenseMatrix<X>, _ w: CSRMatrix<W>, bias: [Double]? = nil, relu: Bool = false
    ) throws(SparseFormatError) -> DenseMatrix<Double> {
        guard x.columns == w.columns else {
            throw .shapeMismatch(operation: "linear X x W^T", left: x.shape, right: w.shape)
        }
        let yT = try multiply(w, x.transposed(), bias: bias, relu: relu)
        return yT.transposed()
    }

    /// Relative error ‖a − b‖₂ / ‖b‖₂ (or ‖a − b‖₂ when b is zero); NaN anywhere gives NaN.
    public static func relativeError<T: SparseElement>(_ a: [T], reference b: [Double]) -> Double {
        precondition(a.count == b.count, "relativeError: lengths differ")
        var diff = 0.0, norm = 0.0
        for i in 0..<a.count {
            let d = a[i].doubleValue - b[i]
            diff += d * d
            norm += b[i] * b[i]
        }
        if diff.isNaN { return .nan }
        return norm == 0 ? diff.squareRoot() : (diff / norm).squareRoot()
    }
}

extension DenseMatrix {
    /// The transpose, as a new row-major matrix.
    public func transposed() -> DenseMatrix {
        var out = [Element](repeating: .zero, count: storage.count)
        for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = storage[r * columns + c] } }
        return DenseMatrix(unchecked: columns, rows, out)
    }
}

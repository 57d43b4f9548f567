extension ReferenceSpMM {
    /// Y = W X (+ bias per output row) (then ReLU) for a BSR W, accumulated in Float64.
    ///
    /// Same convention and options as ``multiply(_:_:bias:relu:)`` for CSR. Every stored
    /// element of every block (explicit zeros included) takes part, so NaN in a block
    /// propagates as it would in a kernel.
    public static func multiply<W: SparseElement, X: SparseElement>(
        _ w: BSRMatrix<W>, _ x: DenseMatrix<X>, bias: [Double]? = nil, relu: Bool = false
    ) throws(SparseFormatError) -> DenseMatrix<Double> {
        guard w.columns == x.rows else {
            throw .shapeMismatch(operation: "spmm W x X", left: w.shape, right: x.shape)
        }
        if let bias, bias.count != w.rows {
            throw .shapeMismatch(operation: "spmm bias", left: w.shape, right: [bias.count])
        }
        let m = x.columns, r = w.blockRows, c = w.blockColumns
        var y = [Double](repeating: 0, count: w.rows * m)
        let xd = x.storage.map(\.doubleValue)
        for blockRow in 0..<w.blockRowCount {
            for block in Int(w.rowOffsets[blockRow])..<Int(w.rowOffsets[blockRow + 1]) {
                let firstColumn = Int(w.columnIndices[block]) * c
                for i in 0..<r {
                    let out = (blockRow * r + i) * m
                    for j in 0..<c {
                        let a = w.values[block * w.blockSize + i * c + j].doubleValue
                        let base = (firstColumn + j) * m
                        for k in 0..<m { y[out + k] += a * xd[base + k] }
                    }
                }
            }
        }
        for row in 0..<w.rows {
            let out = row * m
            if let bias { for k in 0..<m { y[out + k] += bias[row] } }
            if relu { for k in 0..<m { y[out + k] = max(y[out + k], 0) } }
        }
        return DenseMatrix(unchecked: w.rows, m, y)
    }

    /// The `linear` convention for a BSR W: X is `M x K`, Y = X Wᵀ is `M x N`;
    /// an adapter over the BSR `multiply`.
    public static func linear<W: SparseElement, X: SparseElement>(
        _ x: DenseMatrix<X>, _ w: BSRMatrix<W>, bias: [Double]? = nil, relu: Bool = false
    ) throws(SparseFormatError) -> DenseMatrix<Double> {
        guard x.columns == w.columns else {
            throw .shapeMismatch(operation: "linear X x W^T", left: x.shape, right: w.shape)
        }
        return try multiply(w, x.transposed(), bias: bias, relu: relu).transposed()
    }
}

import SparseFormats

extension CPUSpMMPlan {
    /// `y = W x` (+ epilogue) with shapes checked: x is `K x M`, y must be `N x M`.
    package func multiply(
        _ x: DenseMatrix<Float>, into y: inout DenseMatrix<Float>, epilogue: CPUEpilogue = .none
    ) throws(CPUKernelError) {
        guard x.rows == columns else {
            throw .shapeMismatch(operation: "spmm W x X", operand: "X", expected: [columns, x.columns], actual: x.shape)
        }
        guard y.rows == rows, y.columns == x.columns else {
            throw .shapeMismatch(operation: "spmm W x X", operand: "Y", expected: [rows, x.columns], actual: y.shape)
        }
        try checkBias(epilogue)
        let workspace = makeWorkspace(maxM: x.columns)
        x.storage.withUnsafeBufferPointer { xb in
            y.storage.withUnsafeMutableBufferPointer { yb in
                run(x: xb, y: yb, m: x.columns, epilogue: epilogue, workspace: workspace)
            }
        }
    }

    /// `W x` (+ epilogue) as a new `N x M` matrix.
    package func multiply(_ x: DenseMatrix<Float>, epilogue: CPUEpilogue = .none) throws(CPUKernelError) -> DenseMatrix<Float> {
        var y = try Self.output(rows: rows, columns: x.columns)
        try multiply(x, into: &y, epilogue: epilogue)
        return y
    }

    /// The `linear` convention, `x Wᵀ` (+ epilogue): x is `M x K`, the result `M x N`.
    package func linear(_ x: DenseMatrix<Float>, epilogue: CPUEpilogue = .none) throws(CPUKernelError) -> DenseMatrix<Float> {
        guard x.columns == columns else {
            throw .shapeMismatch(operation: "linear X x W^T", operand: "X", expected: [x.rows, columns], actual: x.shape)
        }
        try checkBias(epilogue)
        var y = try Self.output(rows: x.rows, columns: rows)
        let workspace = makeWorkspace(maxM: x.rows)
        x.storage.withUnsafeBufferPointer { xb in
            y.storage.withUnsafeMutableBufferPointer { yb in
                runLinear(x: xb, y: yb, m: x.rows, workspace: workspace, epilogue: epilogue)
            }
        }
        return y
    }

    func checkBias(_ epilogue: CPUEpilogue) throws(CPUKernelError) {
        if let bias = epilogue.bias, bias.count != rows { throw .biasCount(expected: rows, actual: bias.count) }
    }

    static func output(rows: Int, columns: Int) throws(CPUKernelError) -> DenseMatrix<Float> {
        do { return try DenseMatrix<Float>(zeros: rows, columns) } catch {
            throw .shapeMismatch(operation: "allocate output", operand: "Y", expected: [rows, columns], actual: [rows, columns])
        }
    }
}

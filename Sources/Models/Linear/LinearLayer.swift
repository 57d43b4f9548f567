import CPUKernels
import SparseFormats

/// `Y = X Wᵀ + b` for activations X of `m x inputs` (one row per token), Y of `m x outputs`,
/// row-major, with the kernel its ``LinearPlan`` chose: dense GEMM over Wᵀ kept transposed, or
/// Sparrow's sparse kernels over W's nonzeros with the bias fused in their epilogue.
package struct LinearLayer: Sendable {
    /// The weight's checkpoint name.
    package let name: String
    package let outputs: Int
    package let inputs: Int
    /// Fraction of W's entries that are zero.
    package let sparsity: Double
    /// The block shape the sparse kernels run (`[1, 1]`: CSR), nil for a dense layer.
    package let blockShape: [Int]?
    package let kernel: LinearKernel
    let storage: Storage

    enum Storage: Sendable {
        /// Wᵀ (`inputs x outputs`, row-major) and the bias.
        case dense(transposed: [Float], bias: [Float])
        case sparse(CPUSpMMPlan, CPUEpilogue)
    }

    /// Prepares the layer; fails only when W holds more nonzeros than Int32 indices reach.
    package init(_ weights: LinearWeights, plan: LinearPlan, pool: CPUWorkerPool = .shared) throws(ModelError) {
        let w = weights.weight
        name = weights.name
        outputs = w.rows
        inputs = w.columns
        let zeros = w.storage.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        sparsity = w.storage.isEmpty ? 0 : Double(zeros) / Double(w.storage.count)
        kernel = plan.kernel(for: weights.name, sparsity: sparsity)
        switch kernel {
        case .dense:
            var transposed = [Float](repeating: 0, count: w.storage.count)
            for row in 0..<w.rows {
                for column in 0..<w.columns { transposed[column * w.rows + row] = w.storage[row * w.columns + column] }
            }
            storage = .dense(transposed: transposed, bias: weights.bias)
            blockShape = nil
        case .sparse:
            let csr: CSRMatrix<Float>
            do { csr = try CSRMatrix(w) } catch { throw ModelError(path: weights.name, .unsupported(field: "nonzeros", value: error.description)) }
            let options = CPUSpMMOptions(pool: pool)
            // A block-pruned weight runs on the BSR kernels, which load each block's X rows once.
            if let plan = CPUSpMMPlan(exactlyBlocked: csr, options: options) {
                storage = .sparse(plan, CPUEpilogue(bias: weights.bias))
                blockShape = [plan.blockRows, plan.blockColumns]
            } else {
                storage = .sparse(CPUSpMMPlan(csr: csr, options: options), CPUEpilogue(bias: weights.bias))
                blockShape = [1, 1]
            }
        }
    }

    /// Floats of ``CPUSpMMWorkspace`` a call with `m` rows needs (0 for a dense layer).
    package func workspaceCount(m: Int) -> Int {
        if case let .sparse(plan, _) = storage { return plan.workspaceCount(m: m) }
        return 0
    }

    /// `y = x Wᵀ + b`: `x` holds at least `m x inputs` floats, `y` at least `m x outputs`.
    func apply(
        _ x: UnsafeBufferPointer<Float>, m: Int, into y: UnsafeMutableBufferPointer<Float>,
        gemm: DenseGEMM, workspace: CPUSpMMWorkspace
    ) {
        precondition(x.count >= m * inputs && y.count >= m * outputs, "LinearLayer \(name): buffers too small for m = \(m)")
        guard m > 0 else { return }
        switch storage {
        case let .dense(transposed, bias):
            // Each row of Y starts as the bias; the GEMM adds X Wᵀ (beta = 1).
            bias.withUnsafeBufferPointer { b in
                for row in 0..<m { (y.baseAddress! + row * outputs).update(from: b.baseAddress!, count: outputs) }
            }
            transposed.withUnsafeBufferPointer { wt in
                gemm.sgemm(
                    m: m, n: outputs, k: inputs, a: x.baseAddress!, lda: inputs, b: wt.baseAddress!, ldb: outputs,
                    beta: 1, c: y.baseAddress!, ldc: outputs)
            }
        case let .sparse(plan, epilogue):
            plan.runLinear(x: x, y: y, m: m, workspace: workspace, epilogue: epilogue)
        }
    }
}

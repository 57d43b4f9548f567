import CPUKernels
import SparseFormats

/// `Y = W X + b` over feature-major activations (X: `inputs x m`, one row per feature and one
/// column per token; Y: `outputs x m`), with the kernel its ``LinearPlan`` chose: dense GEMM
/// (OpenBLAS) then CPUKernels' epilogue, or Sparrow's sparse kernels over W's nonzeros with the
/// epilogue fused in their stores. The epilogue: the bias, then (when asked) the exact GELU, then
/// (when given) a residual.
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
    /// Runs the dense layer's row ranges (GEMM and epilogue).
    let pool: CPUWorkerPool
    /// The dense epilogue's instruction-set path (the sparse plan carries its own).
    let isa: CPUISA

    enum Storage: Sendable {
        /// W (`outputs x inputs`, row-major) and the bias.
        case dense(weight: [Float], bias: [Float])
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
        self.pool = pool
        isa = CPUISA.automatic
        switch kernel {
        case .dense:
            storage = .dense(weight: w.storage, bias: weights.bias)
            blockShape = nil
        case .sparse:
            let csr: CSRMatrix<Float>
            do { csr = try CSRMatrix(w) } catch { throw ModelError(path: weights.name, .unsupported(field: "nonzeros", value: error.description)) }
            let options = CPUSpMMOptions(pool: pool, panelColumns: CPUSpMMOptions.panelColumns(forDensity: 1 - sparsity))
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

    /// `y = W x + b`, then GELU when `gelu`, then `+ residual`, feature-major: `x` holds `inputs`
    /// rows of at least `m` floats, `ldx` apart; `y` (and `residual`, which may not be `y`)
    /// `outputs` rows, `ldy` (`ldr`) apart. Columns `m...` of Y's rows are not written.
    func apply(
        _ x: UnsafeBufferPointer<Float>, ldx: Int, m: Int, into y: UnsafeMutableBufferPointer<Float>, ldy: Int,
        gelu: Bool = false, residual: UnsafeBufferPointer<Float>? = nil, ldr: Int = 0, gemm: DenseGEMM
    ) {
        guard m > 0, outputs > 0 else { return }
        precondition(
            ldx >= m && ldy >= m && x.count >= (inputs - 1) * ldx + m && y.count >= (outputs - 1) * ldy + m
                && residual.map { ldr >= m && $0.count >= (outputs - 1) * ldr + m } ?? true,
            "LinearLayer \(name): buffers too small for m = \(m)")
        let xBase = x.baseAddress ?? CPUSpMMPlan.neverRead, yBase = y.baseAddress!
        let residualBase = residual.map { $0.baseAddress ?? CPUSpMMPlan.neverRead }
        switch storage {
        case let .dense(weight, bias):
            // Rows of W (and Y) split over the pool, one single-threaded GEMM and its epilogue per
            // piece, so OpenBLAS's own threads never wake to compete with the pool's.
            weight.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    gemm.withSingleThreadedBLAS { singleThreaded in
                        let pieces = singleThreaded && outputs * m * inputs >= 1 << 18 ? min(outputs, pool.threadCount) : 1
                        pool.run(items: pieces) { piece in
                            let rows = (outputs * piece / pieces)..<(outputs * (piece + 1) / pieces)
                            guard !rows.isEmpty else { return }
                            gemm.sgemm(
                                m: rows.count, n: m, k: inputs, a: (w.baseAddress ?? CPUSpMMPlan.neverRead) + rows.lowerBound * inputs,
                                lda: max(1, inputs), b: xBase, ldb: ldx, c: yBase + rows.lowerBound * ldy, ldc: ldy)
                            CPUEncoderKernels.epilogue(
                                isa: isa, y: yBase, ldy: ldy, columns: m, rows: rows, bias: b.baseAddress, gelu: gelu,
                                residual: residualBase, ldr: ldr)
                        }
                    }
                }
            }
        case let .sparse(plan, epilogue):
            var fused = epilogue
            fused.gelu = gelu
            plan.run(x: xBase, ldx: ldx, y: yBase, ldy: ldy, m: m, epilogue: fused, residual: residualBase, ldr: ldr)
        }
    }
}

import Runtime
import CPUKernels
import Foundation
import SparseFormats

/// A candidate that runs on the host into a Float output array it owns.
///
/// Checking poisons that array with NaN and runs once; timing runs the same call on the
/// monotonic clock, so every host candidate is checked and timed the same way.
protocol HostSpMMCandidate: SpMMCandidate {
    var y: [Float] { get set }
    /// Y = W X into `y`.
    func run()
}

extension HostSpMMCandidate {
    package func output() throws -> [Float] {
        for i in y.indices { y[i] = .nan }
        run()
        return y
    }

    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        CPUBenchmark.time(iterations: iterations, warmup: warmup) { run() }
    }
}

/// Sparrow's multithreaded SIMD SpMM (CSR plan with its workspace, all cores), or its BSR plan
/// for a matrix that is exactly block-sparse.
package final class SparrowCPUCandidate: HostSpMMCandidate {
    package let name: String
    package let role = CandidateRole.ours
    package let precision = ComputePrecision.fp32
    /// Run the BSR plan at the first of ``CPUSpMMPlan/specialisedBlockShapes`` that stores no
    /// explicit zero; skipped for a matrix that no such blocking fits.
    let blocked: Bool
    /// The CSR plan's row order (``CPUKernels/CPUSpMMOptions/rowOrdering``).
    let rowOrdering: RowOrdering
    var plan: CPUSpMMPlan?
    var workspace: CPUSpMMWorkspace?
    var x: [Float] = [], y: [Float] = [], m = 0

    /// The CSR plan (`sparrow-cpu`, `sparrow-cpu@locality` in a row order) or, with `blocked`,
    /// the BSR plan (`sparrow-cpu-bsr`, rows in order).
    package init(blocked: Bool = false, rowOrdering: RowOrdering = .identity) {
        self.blocked = blocked
        self.rowOrdering = blocked ? .identity : rowOrdering
        name = blocked ? "sparrow-cpu-bsr" : "sparrow-cpu" + (rowOrdering == .identity ? "" : "@\(rowOrdering.rawValue)")
    }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let plan = blocked ? try Self.blockPlan(problem.matrix) : CPUSpMMPlan(csr: problem.matrix, options: CPUSpMMOptions(rowOrdering: rowOrdering))
        self.plan = plan
        workspace = plan.makeWorkspace(maxM: problem.m)
        self.x = x
        m = problem.m
        y = [Float](repeating: .nan, count: problem.matrix.rows * problem.m)
    }

    /// The BSR plan at the largest block shape whose blocks are all full.
    static func blockPlan(_ w: CSRMatrix<Float>) throws -> CPUSpMMPlan {
        guard let plan = CPUSpMMPlan(exactlyBlocked: w) else {
            let shapes = CPUSpMMPlan.specialisedBlockShapes.map { "\($0.rows)x\($0.columns)" }.joined(separator: ", ")
            throw CandidateSkipped("not block-sparse: no \(shapes) blocking stores only nonzeros")
        }
        return plan
    }

    func run() {
        guard let plan else { return }
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in plan.run(x: xb, y: yb, m: m, workspace: workspace) }
        }
    }

    package func release() {
        plan = nil
        workspace = nil
        x = []
        y = []
    }
}

/// Dense sgemm (OpenBLAS when loaded, else Sparrow's Swift GEMM) on W with its zeros.
package final class DenseGEMMCandidate: HostSpMMCandidate {
    package let name: String
    package let role = CandidateRole.baseline
    package let precision = ComputePrecision.fp32
    let gemm: DenseGEMM
    var w: [Float] = [], x: [Float] = [], y: [Float] = []
    var shape = (n: 0, k: 0, m: 0)

    package init(gemm: DenseGEMM = .shared) {
        self.gemm = gemm
        switch gemm.backend {
        case .blas: name = "openblas-sgemm"
        case .swift: name = "swift-sgemm"
        }
    }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        w = problem.matrix.dense().storage
        self.x = x
        shape = (problem.matrix.rows, problem.matrix.columns, problem.m)
        y = [Float](repeating: .nan, count: shape.n * shape.m)
    }

    func run() {
        let (n, k, m) = shape
        guard n > 0, m > 0 else { return }
        if k == 0 {
            for i in y.indices { y[i] = 0 }
            return
        }
        w.withUnsafeBufferPointer { wb in
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeMutableBufferPointer { yb in
                    // Bounds: W is n x k, X is k x m, Y is n x m, all dense row-major.
                    gemm.sgemm(m: n, n: m, k: k, a: wb.baseAddress!, lda: k, b: xb.baseAddress!, ldb: m, c: yb.baseAddress!, ldc: m)
                }
            }
        }
    }

    package func release() {
        w = []
        x = []
        y = []
    }
}

/// A plain single-threaded CSR loop: what a naive implementation does.
package final class NaiveCSRCandidate: HostSpMMCandidate {
    package let name = "naive-csr"
    package let role = CandidateRole.baseline
    package let precision = ComputePrecision.fp32
    var kernel: NaiveCSR?
    var x: [Float] = [], y: [Float] = [], m = 0

    package init() {}

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        kernel = NaiveCSR(problem.matrix)
        self.x = x
        m = problem.m
        y = [Float](repeating: .nan, count: problem.matrix.rows * problem.m)
    }

    func run() {
        kernel?.multiply(x, into: &y, m: m)
    }

    package func release() {
        kernel = nil
        x = []
        y = []
    }
}

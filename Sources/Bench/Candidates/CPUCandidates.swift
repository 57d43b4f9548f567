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
    public func output() throws -> [Float] {
        for i in y.indices { y[i] = .nan }
        run()
        return y
    }

    public func time(warmup: Int, iterations: Int) throws -> [Double] {
        CPUBenchmark.time(iterations: iterations, warmup: warmup) { run() }
    }
}

/// Sparrow's multithreaded SIMD SpMM (CSR plan with its workspace, all cores).
public final class SparrowCPUCandidate: HostSpMMCandidate {
    public let name = "sparrow-cpu"
    public let role = CandidateRole.ours
    public let precision = ComputePrecision.fp32
    var plan: CPUSpMMPlan?
    var workspace: CPUSpMMWorkspace?
    var x: [Float] = [], y: [Float] = [], m = 0

    public init() {}

    public func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let plan = CPUSpMMPlan(csr: problem.matrix)
        self.plan = plan
        workspace = plan.makeWorkspace(maxM: problem.m)
        self.x = x
        m = problem.m
        y = [Float](repeating: .nan, count: problem.matrix.rows * problem.m)
    }

    func run() {
        guard let plan else { return }
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in plan.run(x: xb, y: yb, m: m, workspace: workspace) }
        }
    }

    public func release() {
        plan = nil
        workspace = nil
        x = []
        y = []
    }
}

/// Dense sgemm (OpenBLAS when loaded, else Sparrow's Swift GEMM) on W with its zeros.
public final class DenseGEMMCandidate: HostSpMMCandidate {
    public let name: String
    public let role = CandidateRole.baseline
    public let precision = ComputePrecision.fp32
    let gemm: DenseGEMM
    var w: [Float] = [], x: [Float] = [], y: [Float] = []
    var shape = (n: 0, k: 0, m: 0)

    public init(gemm: DenseGEMM = .shared) {
        self.gemm = gemm
        switch gemm.backend {
        case .blas: name = "openblas-sgemm"
        case .swift: name = "swift-sgemm"
        }
    }

    public func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
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

    public func release() {
        w = []
        x = []
        y = []
    }
}

/// A plain single-threaded CSR loop: what a naive implementation does.
public final class NaiveCSRCandidate: HostSpMMCandidate {
    public let name = "naive-csr"
    public let role = CandidateRole.baseline
    public let precision = ComputePrecision.fp32
    var kernel: NaiveCSR?
    var x: [Float] = [], y: [Float] = [], m = 0

    public init() {}

    public func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        kernel = NaiveCSR(problem.matrix)
        self.x = x
        m = problem.m
        y = [Float](repeating: .nan, count: problem.matrix.rows * problem.m)
    }

    func run() {
        kernel?.multiply(x, into: &y, m: m)
    }

    public func release() {
        kernel = nil
        x = []
        y = []
    }
}

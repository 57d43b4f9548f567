import Runtime
import CPUKernels
import SparseFormats

/// The CPU kernels against the Float64 reference on the same awkward shapes as the GPU.
package struct CPUSelfTest {
    package var progress: (@Sendable (String) -> Void)?

    package init(progress: (@Sendable (String) -> Void)? = nil) { self.progress = progress }

    package func run() -> [SelfTestResult] {
        guard let shapes = try? SelfTestShape.all() else {
            return [SelfTestResult(group: "cpu", name: "shapes", status: .failed, detail: "could not build the test shapes")]
        }
        var results: [SelfTestResult] = []
        // Every kernel path this CPU runs, not only the one picked by default.
        for shape in shapes {
            for isa in CPUISA.supported {
                let path = isa.rawValue
                results.append(check("\(path) csr serial", shape, options: CPUSpMMOptions(maxThreads: 1, isa: isa), blocks: nil, epilogue: false))
                results.append(check(
                    "\(path) csr threaded, 3-vector tiles, prefetch, streaming, gathering SpMV", shape,
                    options: CPUSpMMOptions(
                        parallelThreshold: 0, isa: isa, tileVectors: 3, streamingStores: true, prefetchDistance: 4,
                        gatherSpMV: true),
                    blocks: nil, epilogue: false))
                results.append(check("\(path) csr bias+relu", shape, options: CPUSpMMOptions(isa: isa), blocks: nil, epilogue: true))
                for (r, c) in [(1, 4), (1, 8), (4, 1), (4, 4)] {
                    results.append(check("\(path) bsr \(r)x\(c)", shape, options: CPUSpMMOptions(isa: isa), blocks: (r, c), epilogue: false))
                }
            }
            results.append(checkDense(shape))
        }
        progress?("checked the CPU kernels (paths: \(CPUISA.supported.map(\.rawValue).joined(separator: ", "))) on \(shapes.count) shapes")
        return results
    }

    func input(_ shape: SelfTestShape) -> [Float] {
        var rng = SeededGenerator(label: "selftest/cpu/\(shape.name)/\(shape.m)")
        return rng.signedUnitValues(shape.matrix.columns * shape.m)
    }

    func check(_ kind: String, _ shape: SelfTestShape, options: CPUSpMMOptions, blocks: (Int, Int)?, epilogue: Bool) -> SelfTestResult {
        let name = "\(kind) \(shape.name)"
        do {
            let w = shape.matrix
            let x = try DenseMatrix(rows: w.columns, columns: shape.m, storage: input(shape))
            let bias: [Float]? = epilogue ? (0..<w.rows).map { Float(Int($0 % 17) - 8) / 8 } : nil
            let plan: CPUSpMMPlan
            if let (r, c) = blocks {
                plan = CPUSpMMPlan(bsr: try w.bsr(blockRows: r, blockColumns: c, padShape: true), options: options)
            } else {
                plan = CPUSpMMPlan(csr: w, options: options)
            }
            // A padded BSR matrix has more rows and columns: pad X and cut Y to compare.
            var xs = x.storage
            if plan.columns > w.columns { xs += [Float](repeating: 0, count: (plan.columns - w.columns) * shape.m) }
            let xPadded = try DenseMatrix(rows: plan.columns, columns: shape.m, storage: xs)
            let biasPadded = bias.map { $0 + [Float](repeating: 0, count: plan.rows - w.rows) }
            var y = try DenseMatrix<Float>(rows: plan.rows, columns: shape.m, storage: [Float](repeating: .nan, count: plan.rows * shape.m))
            try plan.multiply(xPadded, into: &y, epilogue: CPUEpilogue(bias: biasPadded, relu: epilogue))
            let verifier = try Verifier(w: w, x: x, bias: bias?.map(Double.init), relu: epilogue)
            let verdict = verifier.check(Array(y.storage.prefix(w.rows * shape.m)), precision: .fp32)
            return SelfTestResult(group: "cpu", name: name, status: verdict.isCorrect ? .passed : .failed,
                                  detail: verdict.failure ?? String(format: "relative error %.2e", verdict.relativeError ?? 0))
        } catch {
            return SelfTestResult(group: "cpu", name: name, status: .failed, detail: "\(error)")
        }
    }

    /// Dense GEMM (OpenBLAS or the Swift fallback) and the naive CSR loop on the same shape.
    func checkDense(_ shape: SelfTestShape) -> SelfTestResult {
        let problem = SpMMBenchProblem(name: shape.name, suite: "selftest", nominalSparsity: 0, matrix: shape.matrix, m: shape.m)
        let runner = BenchRunner(warmup: 0, iterations: 1, ceilings: MachineCeilings(peakFlops: 1, bandwidthBytesPerSecond: 1, source: "unused"))
        let result = runner.measure(problem, candidates: Baselines.cpu(withScipy: false, note: { _ in }) + [SparrowCPUCandidate()])
        let bad = result.candidates.filter { $0.status != .ok }
        if bad.isEmpty {
            return SelfTestResult(group: "cpu", name: "gemm, naive, plan \(shape.name)", status: .passed,
                                  detail: result.candidates.map { "\($0.name) \(String(format: "%.1e", $0.relativeError ?? 0))" }.joined(separator: ", "))
        }
        return SelfTestResult(group: "cpu", name: "gemm, naive, plan \(shape.name)", status: .failed,
                              detail: bad.map { "\($0.name): \($0.detail ?? $0.status.rawValue)" }.joined(separator: "; "))
    }
}

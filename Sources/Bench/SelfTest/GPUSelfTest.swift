import Runtime
import CUDA
import KernelGen
import SparseFormats
import Tuner

/// Every generated kernel and every baseline against the Float64 reference, on the GPU.
package struct GPUSelfTest {
    package var device: GPUDevice
    /// Check every config of the space (else a sweep-sized sample of each space).
    package var everyConfig: Bool
    /// Run only the CUDA checks and the compact family's cases (``compactChecks()``).
    package var compactOnly: Bool
    /// Run only the CUDA checks and the tensor-core SpMM families' cases (``bitmapChecks()``, ``twoFourChecks()``, ``fragmentCOOChecks()``).
    package var bitmapOnly: Bool
    /// Run only the CUDA checks and the sparse attention cases (``attentionChecks()``).
    package var attentionOnly: Bool
    /// Run only the CUDA checks, the specialised family's cases and the locality row order's.
    package var specialisedOnly = false
    /// Run only the CUDA checks and the baselines (``baselines(_:)`` on every shape and the 2:4 ones).
    package var baselinesOnly = false
    package var progress: (@Sendable (String) -> Void)?

    package init(
        device: GPUDevice, everyConfig: Bool = true, compactOnly: Bool = false, bitmapOnly: Bool = false, attentionOnly: Bool = false,
        progress: (@Sendable (String) -> Void)? = nil
    ) {
        self.bitmapOnly = bitmapOnly
        self.device = device
        self.everyConfig = everyConfig
        self.compactOnly = compactOnly
        self.attentionOnly = attentionOnly
        self.progress = progress
    }

    struct Variant {
        var type: ElementType
        var epilogue: Epilogue
        var ordering: RowOrdering
        /// Check every config of the space (the plain variants), or a sample.
        var allConfigs: Bool
        var label: String { "\(type.rawValue) \(epilogue.rawValue) \(ordering.rawValue)" }
    }

    package func run() throws -> [SelfTestResult] {
        var results: [SelfTestResult] = []
        results += CUDAChecks.run(ordinal: 0)
        if compactOnly { return results + compactChecks() }
        if bitmapOnly { return results + bitmapChecks() + twoFourChecks() + fragmentCOOChecks() }
        if attentionOnly { return results + attentionChecks() }
        let shapes = try SelfTestShape.all()
        if baselinesOnly { return results + baselines(shapes + (try SelfTestShape.twoOfFour())) }
        if specialisedOnly {
            var sources: [KernelSource] = []
            for shape in shapes {
                for v in Self.localityVariants {
                    guard let problem = try? problem(shape, v) else { continue }
                    sources += configs(problem, v).compactMap { try? KernelGen.render(problem, $0) }
                }
            }
            device.precompile(sources)
            results += specialisedChecks()
            for shape in shapes { results += Self.localityVariants.map { check(shape, $0) } }
            return results
        }
        var variants: [Variant] = []
        for type in [ElementType.f32, .f16, .bf16] {
            variants.append(Variant(type: type, epilogue: .none, ordering: .identity, allConfigs: everyConfig))
        }
        variants.append(Variant(type: .f32, epilogue: .biasReLU, ordering: .byLengthDescending, allConfigs: false))
        variants.append(Variant(type: .f16, epilogue: .bias, ordering: .byLengthDescending, allConfigs: false))
        variants.append(Variant(type: .f32, epilogue: .reLU, ordering: .identity, allConfigs: false))
        variants += Self.localityVariants
        // Compile everything first, on all host cores.
        var sources: [KernelSource] = []
        for shape in shapes {
            for v in variants {
                guard let problem = try? problem(shape, v) else { continue }
                sources += configs(problem, v).compactMap { try? KernelGen.render(problem, $0) }
            }
        }
        progress?("compiling \(sources.count) kernels (\(Set(sources.map(\.entryPoint)).count) distinct entry points) with NVRTC")
        device.precompile(sources)
        for shape in shapes {
            for v in variants {
                results.append(check(shape, v))
            }
            progress?("checked \(shape.name)")
        }
        results += compactChecks()
        results += specialisedChecks()
        results += bitmapChecks()
        results += twoFourChecks()
        results += fragmentCOOChecks()
        results += attentionChecks()
        results += baselines(shapes + (try SelfTestShape.twoOfFour()))
        results += shapes.map(linearLayer)
        return results
    }

    /// The variants that check the kernels under the locality row order (``RowOrdering/locality``).
    static let localityVariants = [
        Variant(type: .f32, epilogue: .biasReLU, ordering: .locality, allConfigs: false),
        Variant(type: .f16, epilogue: .none, ordering: .locality, allConfigs: false),
        Variant(type: .bf16, epilogue: .none, ordering: .locality, allConfigs: false),
    ]

    func problem(_ shape: SelfTestShape, _ v: Variant) throws -> SpMMProblem {
        try SpMMProblem.make(shape.matrix, m: shape.m, type: v.type, epilogue: v.epilogue, rowOrdering: v.ordering, device: device.limits)
    }

    func configs(_ problem: SpMMProblem, _ v: Variant) -> [SpMMConfig] {
        // The specialised family (compiled per matrix) has its own sample, ``specialisedChecks()``.
        let space = SpMMSpace(specialise: false)
        if v.allConfigs { return space.configs(for: problem) }
        // The bench's shortlist and, for operands in row order, the row-order twins of its first
        // two (the knob: each binds its own permutation, built from W by the operands).
        let candidates = SearchCandidates(
            problem: problem, survivors: space.configs(for: problem), legality: { space.legalityError($0, for: problem) })
        return PortfolioShortlist.strategy(limit: 16).withRowOrderTwins().plan(candidates).shortlist
    }

    /// Checks every config of one (shape, variant) (or `only` those, for the problem they are
    /// given) and sums it up in one line.
    func check(_ shape: SelfTestShape, _ v: Variant, only: ((SpMMProblem) -> [SpMMConfig])? = nil) -> SelfTestResult {
        let name = "spmm \(v.label) \(shape.name)"
        do {
            let spmm = try problem(shape, v)
            let w = try shape.matrix.roundedValues(through: v.type)
            var rng = SeededGenerator(label: "selftest/gpu/\(shape.name)/\(shape.m)")
            let x: [Float] = (0..<(w.columns * shape.m)).map { _ in ElementBytes.roundTrip(rng.nextSignedUnitFloat(), v.type) }
            // Bias values are multiples of 1/8: exact in every precision.
            let bias: [Float]? = v.epilogue.hasBias ? (0..<w.rows).map { Float(Int($0 % 17) - 8) / 8 } : nil
            let verifier = try Verifier(
                w: w, x: DenseMatrix(rows: w.columns, columns: shape.m, storage: x), bias: bias?.map(Double.init),
                relu: v.epilogue.hasReLU)
            let order = v.ordering.rowOrder(for: w)?.rows
            let operands = try DeviceOperands(device: device, w: w, x: x, m: shape.m, type: v.type, bias: bias, rowOrder: order)
            var failures: [String] = [], checked = 0, worst = 0.0
            for config in only?(spmm) ?? configs(spmm, v) {
                checked += 1
                do {
                    let kernel = try BoundSpMMKernel(device: device, problem: spmm, config: config, operands: operands)
                    let verdict = verifier.check(try kernel.checkedOutput(device: device), precision: ComputePrecision(storage: v.type))
                    if let failure = verdict.failure {
                        failures.append("\(config.identifier): \(failure)")
                    } else {
                        worst = max(worst, verdict.relativeError ?? 0)
                    }
                } catch {
                    failures.append("\(config.identifier): \(error)")
                }
            }
            if failures.isEmpty {
                return SelfTestResult(group: "kernels", name: name, status: .passed, detail: "\(checked) configs, worst relative error \(String(format: "%.2e", worst))")
            }
            return SelfTestResult(group: "kernels", name: name, status: .failed,
                                  detail: "\(failures.count) of \(checked) configs failed: " + failures.prefix(4).joined(separator: "; "))
        } catch {
            return SelfTestResult(group: "kernels", name: name, status: .failed, detail: "\(error)")
        }
    }

    /// Every GPU baseline (``Baselines/gpu(_:precisions:)`` at fp32 and fp16) on the same shapes
    /// (cuSPARSELt runs where W is 2:4 and is skipped, saying why, elsewhere).
    func baselines(_ shapes: [SelfTestShape]) -> [SelfTestResult] {
        let candidates: [any SpMMCandidate]
        do {
            candidates = try Baselines.gpu(device, precisions: [.fp32, .fp16])
        } catch {
            return [SelfTestResult(group: "baselines", name: "cuSPARSE / cuBLAS", status: .failed, detail: "\(error)")]
        }
        let runner = BenchRunner(warmup: 1, iterations: 2, ceilings: MachineCeilings(peakFlops: 1, bandwidthBytesPerSecond: 1, source: "unused"))
        var results: [SelfTestResult] = []
        for shape in shapes {
            let problem = SpMMBenchProblem(name: shape.name, suite: "selftest", nominalSparsity: 0, matrix: shape.matrix, m: shape.m)
            for c in runner.measure(problem, candidates: candidates).candidates {
                let status: SelfTestResult.Status = c.status == .ok ? .passed : (c.status == .skipped ? .skipped : .failed)
                let detail = c.status == .ok ? "relative error \(String(format: "%.2e", c.relativeError ?? 0))" : (c.detail ?? c.status.rawValue)
                results.append(SelfTestResult(group: "baselines", name: "\(c.name) \(shape.name)", status: status, detail: detail))
            }
        }
        return results
    }

    /// A planned sparse linear layer with a bias (what the `Sparrow` library's `SparseLinear`
    /// runs on a GPU): tuned on seeded operands, then applied to another X and checked.
    func linearLayer(_ shape: SelfTestShape) -> SelfTestResult {
        let name = "linear layer \(shape.name)"
        do {
            let w = shape.matrix
            let bias: [Float] = (0..<w.rows).map { Float(Int($0 % 5) - 2) / 4 }
            let plan = try SparseLinearPlan(weights: w, bias: bias, m: shape.m, device: .gpu(device), shortlist: 4)
            var rng = SeededGenerator(label: "selftest/linear/\(shape.name)")
            let x = try DenseMatrix(rows: w.columns, columns: shape.m, storage: rng.signedUnitValues(w.columns * shape.m, as: Float.self))
            let verdict = try Verifier(w: w, x: x, bias: bias.map(Double.init)).check(try plan.apply(x).storage, precision: .fp32)
            return SelfTestResult(
                group: "layers", name: name, status: verdict.isCorrect ? .passed : .failed,
                detail: verdict.failure ?? "\(plan.report.kernel), \(plan.report.correct) of \(plan.report.measured) correct")
        } catch {
            return SelfTestResult(group: "layers", name: name, status: .failed, detail: "\(error)")
        }
    }
}

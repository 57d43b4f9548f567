import CUDA
import KernelGen
import Runtime
import SparseFormats
import Tuner

/// One layer of a GPU plan: what was measured and chosen at one token count.
package struct GPUPlanEntry: Sendable, Codable, Hashable {
    package var layer: String
    /// `[outputs, inputs]`.
    package var shape: [Int]
    package var tokens: Int
    package var sparsity: Double
    package var epilogue: String
    /// "cublas" or "spmm CONFIG".
    package var kernel: String
    /// Median ms of cuBLAS plus the epilogue kernel, and of the fastest SpMM config (nil: none ran).
    package var denseMs: Double?
    package var sparseMs: Double?
    /// Where the SpMM config came from: "tuned" (the tuning database) or "shortlist".
    package var configOrigin: String?
    /// The fastest SpMM config measured, whether or not it was chosen.
    package var bestConfig: SpMMConfig?
}

/// Chooses each linear layer's kernel for a session by timing, on the device and in the
/// session's own buffers, cuBLAS (plus the epilogue kernel) against Sparrow's SpMM with the
/// epilogue fused: the tuned config when the database holds one, else the tuner's shortlist.
package struct GPULinearPlanner {
    /// Shortlist length per layer when no tuned config exists.
    package var shortlistLimit = 8
    /// The CSR families: a layer holds W as CSR (``GPULinear``), not in the compact formats, and
    /// binds no row-order permutation (its rows stay in order).
    package static let space = SpMMSpace(families: SpMMSpace.csrFamilies, rowOrders: [.identity])
    /// Tuned config of a problem (the tuning database, through Bench), or nil.
    package var recall: (SpMMProblem) -> SpMMConfig? = { _ in nil }
    /// Layers less sparse than this run dense without measuring the SpMM (it cannot win there).
    package var minimumSparsity = 0.3
    package var warmup = 2
    package var iterations = 7

    package init() {}

    /// Measures every linear layer of `session` and returns the plan and its entries.
    package func plan(_ session: GPUEncoderSession, note: (String) -> Void = { _ in }) throws -> (plan: [String: GPULinearKernel], entries: [GPUPlanEntry]) {
        let device = session.encoder.device
        var plan: [String: GPULinearKernel] = [:]
        var entries: [GPUPlanEntry] = []
        for slot in session.linearSlots {
            let layer = slot.layer
            func median(_ kernel: GPULinearKernel) -> Double? {
                guard let bound = try? session.bind(slot, kernel),
                      let samples = try? LaunchTiming.samples(stream: device.stream, warmup: warmup, iterations: iterations, { try bound.run() })
                else { return nil }
                return Statistics.median(samples) * 1e3
            }
            let denseMs = median(.dense)
            var best: (config: SpMMConfig, ms: Double)?
            var origin: String?
            if layer.sparsity >= minimumSparsity {
                let plain = try layer.problem(tokens: session.tokens, epilogue: .none, device: device)
                let fused = try layer.problem(tokens: session.tokens, epilogue: layer.epilogue, device: device)
                let candidates: [SpMMConfig]
                if let tuned = recall(plain) ?? recall(fused), Self.space.families.contains(tuned.family),
                   (try? tuned.validate(for: fused)) != nil {
                    candidates = [tuned]
                    origin = "tuned"
                } else {
                    candidates = PortfolioShortlist.configs(for: fused, limit: shortlistLimit, space: Self.space).configs
                    origin = "shortlist"
                }
                device.precompile(candidates.compactMap { try? KernelGen.render(fused, $0, pattern: layer.pattern) })
                for config in candidates {
                    if let ms = median(.sparse(config)), ms < best?.ms ?? .infinity { best = (config, ms) }
                }
            }
            let kernel: GPULinearKernel
            if let best, best.ms < denseMs ?? .infinity {
                kernel = .sparse(best.config)
            } else if denseMs != nil {
                kernel = .dense
            } else {
                throw CUDAError.invalidArgument("\(layer.name): neither cuBLAS nor any SpMM config ran")
            }
            plan[layer.name] = kernel
            entries.append(GPUPlanEntry(
                layer: layer.name, shape: [layer.outputs, layer.inputs], tokens: session.tokens, sparsity: layer.sparsity,
                epilogue: layer.epilogue.rawValue, kernel: kernel.description, denseMs: denseMs, sparseMs: best?.ms,
                configOrigin: best == nil ? nil : origin, bestConfig: best?.config))
        }
        return (plan, entries)
    }

    /// Times both attention kernels in `session` and returns the faster with each median ms
    /// (a kernel that fails to run is left out).
    package func attention(_ session: GPUEncoderSession) throws -> (kernel: GPUAttentionKernel, ms: [String: Double]) {
        let stream = session.encoder.device.stream
        var ms: [String: Double] = [:]
        for kernel in GPUAttentionKernel.allCases {
            guard let step = try? session.attentionStep(kernel),
                  let samples = try? LaunchTiming.samples(stream: stream, warmup: warmup, iterations: iterations, step)
            else { continue }
            ms[kernel.rawValue] = Statistics.median(samples) * 1e3
        }
        guard let best = ms.min(by: { $0.value < $1.value }), let kernel = GPUAttentionKernel(rawValue: best.key) else {
            throw CUDAError.invalidArgument("neither attention kernel ran")
        }
        return (kernel, ms)
    }

    /// A whole-forward candidate and its median ms per graph replay.
    package struct GraphTrial: Sendable, Codable, Hashable {
        package var name: String
        /// Median ms per replay; nil when the candidate was not timed (see `note`).
        package var ms: Double?
        /// Why the candidate was not timed (nil: it was).
        package var note: String?

        package init(name: String, ms: Double?, note: String? = nil) {
            self.name = name
            self.ms = ms
            self.note = note
        }
    }

    /// Per-layer timings miss how kernels interact inside the graph (order, L2, launch overlap),
    /// so the session's final choice is made on whole graphs: the per-layer plan, the same with
    /// every layer on cuBLAS, and the per-layer plan with every SpMM-capable layer (sparsity at
    /// least ``minimumSparsity``) on its best SpMM config, each in every ``GPUEncoderForm``
    /// (attention kernel, epilogues separate or folded, dependent launches, LayerNorm blocks),
    /// captured and timed. Then, in the fastest form, each kind of linear layer (QKV, attention
    /// output, FFN up, FFN down) is switched between SpMM and cuBLAS in turn, kept when the graph
    /// gets faster. The fastest is left prepared in `session`. Each candidate's output on the
    /// session's current input is first compared with the first candidate's (the per-layer plan,
    /// separate epilogues, GEMM attention): one below ``EmbeddingCosine/bar(_:)`` is not timed,
    /// and its trial says so (a kernel that fails to build or launch likewise), so a wrong kernel
    /// cannot be chosen.
    package func chooseGraph(
        _ session: GPUEncoderSession, plan: [String: GPULinearKernel], entries: [GPUPlanEntry]
    ) throws -> (plan: [String: GPULinearKernel], form: GPUEncoderForm, trials: [GraphTrial]) {
        var allSparse = plan
        for entry in entries where entry.sparseMs != nil {
            if let config = entry.bestConfig { allSparse[entry.layer] = .sparse(config) }
        }
        var candidates: [(String, [String: GPULinearKernel])] = [("measured per layer", plan), ("all cublas", [:])]
        if allSparse != plan { candidates.append(("spmm wherever it ran", allSparse)) }
        let reference = GPUEncoderForm(attention: .gemm)
        let forms = [reference] + GPUEncoderForm.available(
            on: session.encoder.device.limits.computeCapability, type: session.encoder.type, hidden: session.encoder.config.hiddenSize,
            heads: session.encoder.config.headCount).filter { $0 != reference }
        let hidden = session.encoder.config.hiddenSize, bar = EmbeddingCosine.bar(session.encoder.type)
        var expected: [Float]?
        var trials: [GraphTrial] = []
        var best: (plan: [String: GPULinearKernel], form: GPUEncoderForm, ms: Double)?
        // Captures, checks and times one candidate; the median ms, or nil (recorded why).
        func trial(_ label: String, _ candidate: [String: GPULinearKernel], _ form: GPUEncoderForm) -> Double? {
            do {
                try session.prepare(plan: candidate, form: form)
                let output = try session.run()
                if let expected {
                    let cosine = EmbeddingCosine.minimum(output, expected, dimension: hidden)
                    guard cosine >= bar else {
                        trials.append(GraphTrial(name: label, ms: nil, note: "rejected: cosine \(cosine) against the first candidate"))
                        return nil
                    }
                } else {
                    expected = output
                }
                let ms = Statistics.median(try session.time(warmup: warmup, iterations: iterations)) * 1e3
                trials.append(GraphTrial(name: label, ms: ms))
                return ms
            } catch {
                trials.append(GraphTrial(name: label, ms: nil, note: "failed: \(error)"))
                return nil
            }
        }
        for (index, (name, candidate)) in candidates.enumerated() {
            // A fused-CSR or tensor-core form does not use the plan: it is timed once, with the first candidate.
            for form in forms where index == 0 || form.usesPlan {
                if let ms = trial("\(name), \(form)", candidate, form), ms < best?.ms ?? .infinity { best = (candidate, form, ms) }
            }
        }
        guard var chosen = best else { throw CUDAError.invalidArgument("no graph candidate ran: \(trials.compactMap(\.note))") }
        // Slot i of the forward is layer kind i % 4 (``GPUEncoderSession/linearSlots``).
        let names = session.linearSlots.map(\.layer.name)
        for (kind, kindName) in ["qkv", "attention output", "ffn up", "ffn down"].enumerated() where chosen.form.usesPlan {
            var switched = chosen.plan
            for (index, name) in names.enumerated() where index % 4 == kind {
                if case .sparse = chosen.plan[name] ?? .dense {
                    switched[name] = .dense
                } else if let sparse = allSparse[name], sparse != .dense {
                    switched[name] = sparse
                }
            }
            guard switched != chosen.plan else { continue }
            let label = "switch \(kindName) to \(switched[names[kind]].map { $0 == .dense ? "cublas" : "spmm" } ?? "cublas"), \(chosen.form)"
            if let ms = trial(label, switched, chosen.form), ms < chosen.ms { chosen = (switched, chosen.form, ms) }
        }
        try session.prepare(plan: chosen.plan, form: chosen.form)
        return (chosen.plan, chosen.form, trials)
    }

    /// The plan as a table: layer, shape, sparsity, kernel, expected ms (and the loser's).
    package static func table(_ entries: [GPUPlanEntry]) -> String {
        func ms(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }
        var lines = ["layer | shape | tokens | sparsity | epilogue | kernel | cublas ms | spmm ms"]
        for e in entries {
            lines.append("\(e.layer) | \(e.shape[0])x\(e.shape[1]) | \(e.tokens) | \(String(format: "%.2f", e.sparsity)) | \(e.epilogue) | \(e.kernel) | \(ms(e.denseMs)) | \(ms(e.sparseMs))")
        }
        return lines.joined(separator: "\n")
    }
}

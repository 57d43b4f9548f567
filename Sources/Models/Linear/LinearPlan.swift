/// How a linear layer multiplies: dense GEMM (OpenBLAS, else Sparrow's Swift GEMM) or Sparrow's
/// sparse CPU kernels over the weight's nonzeros.
package enum LinearKernel: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case dense, sparse

    package var description: String { rawValue }
}

/// Which kernel each linear layer of a model uses, as a value: chosen by a rule on each weight's
/// sparsity for now, and overridable per layer (by checkpoint name), so a planner that measures can
/// replace the rule without touching the layers.
package struct LinearPlan: Sendable, Hashable, Codable {
    /// Choices by weight name (a checkpoint's, or `encoder.layer.N.attention.self.qkv.weight` for
    /// the stacked query, key and value); these win over the rule.
    package var kernels: [String: LinearKernel]
    /// The rule for layers not named: sparse from this fraction of zeros on.
    package var minimumSparsity: Double

    /// The default threshold, until the planner measures per layer and width: 0.7. Measured with
    /// `sparrow embed --linear dense|sparse` on all-MiniLM-L6-v2 pruned by `sparrow prune`, 16 texts
    /// of 128 tokens, release build (CPU kernels' AVX-512 path, OpenBLAS 2 threads), 2-core EPYC,
    /// ms per text dense / sparse: 0.5: 23 / 19 at batch 1, 21 / 28 at batch 8; 0.7: 23 / 15 and
    /// 21 / 20; 0.9: 23 / 13 and 23 / 13 (token-major encoder). With the feature-major encoder the
    /// planner kept 21 and 16 of 24 layers sparse at 0.5 and every one (one at batch 8) at 0.7
    /// (docs/perf/2026-11-30-cpu-epyc-minilm2); 0.7 stays the rule's conservative threshold.
    package static let defaultMinimumSparsity = 0.7

    package init(kernels: [String: LinearKernel] = [:], minimumSparsity: Double = LinearPlan.defaultMinimumSparsity) {
        self.kernels = kernels
        self.minimumSparsity = minimumSparsity
    }

    /// Every layer dense.
    package static var dense: LinearPlan { LinearPlan(minimumSparsity: .infinity) }
    /// Every layer sparse, whatever its zeros.
    package static var sparse: LinearPlan { LinearPlan(minimumSparsity: 0) }

    /// How far below the threshold a layer's sparsity may fall and still count as reaching it:
    /// pruning to a fraction rounds to whole elements, so a 384 x 384 weight pruned to 0.7 holds
    /// 0.699999 zeros (half an element is at most 3.4e-6 of a matrix of 147,456).
    package static let sparsityTolerance = 1e-4

    package func kernel(for name: String, sparsity: Double) -> LinearKernel {
        kernels[name] ?? (sparsity >= minimumSparsity - Self.sparsityTolerance ? .sparse : .dense)
    }
}

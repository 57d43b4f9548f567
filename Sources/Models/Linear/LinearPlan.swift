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
    /// Choices by weight name; these win over the rule.
    package var kernels: [String: LinearKernel]
    /// The rule for layers not named: sparse from this fraction of zeros on.
    package var minimumSparsity: Double

    /// The default threshold. Until the planner measures per shape, 0.5: below it the sparse
    /// kernels lose to OpenBLAS on the widths an encoder runs (tokens in a batch); at 0.7 and above
    /// they win by 1.7-2.5x on this project's measurements (docs/perf/2026-11-21-cpu-epyc).
    package static let defaultMinimumSparsity = 0.5

    package init(kernels: [String: LinearKernel] = [:], minimumSparsity: Double = LinearPlan.defaultMinimumSparsity) {
        self.kernels = kernels
        self.minimumSparsity = minimumSparsity
    }

    /// Every layer dense.
    package static var dense: LinearPlan { LinearPlan(minimumSparsity: .infinity) }
    /// Every layer sparse, whatever its zeros.
    package static var sparse: LinearPlan { LinearPlan(minimumSparsity: 0) }

    package func kernel(for name: String, sparsity: Double) -> LinearKernel {
        kernels[name] ?? (sparsity >= minimumSparsity ? .sparse : .dense)
    }
}

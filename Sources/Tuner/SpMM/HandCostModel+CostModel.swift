import KernelGen

extension HandCostModel: CostModel {
    package var name: String { "hand model (H100/H200 figures, calibrated 2026-11-21)" }

    /// ``estimatedNanoseconds(_:for:)``: only its order between configs means anything.
    package func estimate(_ config: SpMMConfig, for problem: SpMMProblem) -> Double {
        estimatedNanoseconds(config, for: problem)
    }
}

import Models

/// What `sparrow bench model` measured: per (pattern, sparsity, batch), Sparrow's forward pass
/// (token ids to pooled embeddings) and ONNX Runtime's on the same pruned weights, dense.
package struct ModelBenchReport: Codable, Sendable {
    package var tool = "sparrow bench model"
    package var command: String
    package var date: String
    package var commit: String
    package var machine: String
    package var model: String
    package var sequenceLength: Int
    /// Sparrow's CPU threads, and ONNX Runtime's intra-op threads (the same).
    package var threads: Int
    package var warmup: Int
    package var iterations: Int
    /// onnxruntime's version, or nil when it was skipped (``baselineSkipped`` says why).
    package var onnxRuntime: String?
    package var baselineSkipped: String?
    package var loadAtStart: MachineLoad?
    package var loadAtEnd: MachineLoad?
    package var rows: [Row]

    package struct Row: Codable, Sendable {
        package var pattern: String
        /// The pruned linear layers' sparsity (what was asked; N:M's own).
        package var sparsity: Double
        package var batch: Int
        /// Median ms of a forward pass over `batch x sequenceLength` token ids.
        package var sparrowMs: Double
        /// Sparrow with every linear layer dense (OpenBLAS) on the same pruned weights.
        package var sparrowDenseMs: Double
        package var onnxRuntimeMs: Double?
        /// Tokenising the batch's texts (not in ``sparrowMs``).
        package var tokenizeMs: Double
        /// Mean ms per pass by layer kind (linear, attention, norms, other), from profiled passes apart from the timed ones.
        package var split: [String: Double]
        /// Linear layers on the sparse kernels, of all.
        package var sparseLayers: Int
        package var layers: Int
        /// Smallest cosine of Sparrow's embeddings against its dense path, and against ONNX Runtime's.
        package var cosineDense: Double
        package var cosineOnnxRuntime: Double?
        /// The planner's measurements and choices for this batch shape; nil under the sparsity rule.
        package var plan: [MeasuredLinearPlan.Entry]?

        /// ONNX Runtime's time over Sparrow's.
        package var speedup: Double? { onnxRuntimeMs.map { $0 / sparrowMs } }
    }
}

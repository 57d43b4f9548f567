import KernelGen

/// A rough analytic ranking of attention configs (lower is faster), for ``RankedTopK``: the
/// tensor-core kernel's padded tile work (every tile of a block's span is computed in full), the
/// CUDA-core kernels' useful work at a CUDA-core rate, and the unfused path's score traffic.
/// Rates are orders of magnitude for an H100/H200, not measurements: only the order matters.
package struct AttentionHandCostModel: CostModel {
    package typealias Problem = AttentionTuningProblem
    package typealias Config = AttentionConfig

    package init() {}

    package var name: String { "attention-hand" }

    package func estimate(_ config: AttentionConfig, for p: AttentionTuningProblem) -> Double {
        let d = Double(p.problem.headSize), heads = Double(p.shape.batchHeads), length = Double(p.shape.length)
        let useful = 4 * Double(p.shape.nnz) * d * heads
        let sms = Double(p.problem.device.multiprocessorCount)
        switch config.variant {
        case .tensorCore:
            let bq = Double(config.queriesPerBlock), bk = Double(config.keysPerTile)
            let blocks = (length / bq).rounded(.up) * heads
            let tiles = ((bq + p.meanKeysPerRow) / bk).rounded(.up) * Double(max(1, p.shape.segmentsPerRow))
            let padded = blocks * tiles * 4 * bq * bk * d
            // Tensor-core rate, plus a per-tile cost (barriers, softmax, copies) spread over the SMs,
            // single-stage tiles paying their copy latency in full.
            let perTile = config.stages == 2 ? 0.4e-6 : 0.8e-6
            return padded / 300e12 + blocks * tiles * perTile / sms
        case .rowWarp:
            return useful / 15e12
        case .unfused:
            return useful / 15e12 + 12 * Double(p.shape.nnz) * heads / 3e12
        }
    }
}

import KernelGen

/// A rough analytic ranking of attention configs (lower is faster), for ``RankedTopK``: the
/// tensor-core kernel's padded tile work (every tile of a block's span is computed in full), the
/// CUDA-core kernels' useful work at a CUDA-core rate, and the unfused path's score traffic.
/// Rates are orders of magnitude for an H200; only the order matters. Tiles of 128 keys run at
/// two thirds of the 64-key tiles' rate: on the H200 (docs/perf/2026-11-30-h200-attention) they
/// took 1.4-1.6x longer for 1.2x the padded work (255 registers a thread, half the resident blocks).
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
            let rate = config.keysPerTile >= 128 ? 200e12 : 300e12
            let perTile = config.stages == 2 ? 0.1e-6 : 0.2e-6
            return padded / rate + blocks * tiles * perTile / sms
        case .rowWarp:
            return useful / 15e12
        case .unfused:
            return useful / 15e12 + 12 * Double(p.shape.nnz) * heads / 3e12
        }
    }
}

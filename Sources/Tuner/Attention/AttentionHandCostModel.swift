import KernelGen

/// A rough analytic ranking of attention configs (lower is faster), for ``RankedTopK``: the
/// tensor-core kernels' (tc, wg) padded tile work (every tile of a block's span is computed in full), the
/// CUDA-core kernels' useful work at a CUDA-core rate, and the unfused path's score traffic.
/// Rates are orders of magnitude for an H200; only the order matters. Tiles of 128 keys run at
/// two thirds of the 64-key tiles' rate: on the H200 (docs/perf/2026-11-30-h200-attention) they
/// took 1.4-1.6x longer for 1.2x the padded work (255 registers a thread, half the resident blocks).
///
/// The tensor-core estimate is the larger of that throughput time and the critical path: the
/// block holding the longest row walks its span alone at the end. On the H200 the 16 global rows
/// of global 16 + window 256 set the time that way: 0.805 / 1.296 ms at 16k (d 64 / 128), 1.619 ms
/// at 32k d 64, for walks of about L / 64 tiles, i.e. 2.9-5 us a tile, modelled as
/// (1 + 0.03 d) us x BK / 64. A split config (T > 0) cuts that walk to T tiles plus a merge of
/// its partials; every item it adds costs a tile's overhead and its partial's fp32 traffic
/// (written, then read by the merge), and a block of the mean walk splits too when T is shorter.
/// The long blocks are assumed to be one per head (global rows at the start of the sequence).
/// Measured with the split (docs/perf/2026-11-30-h200-attention-split): the same config split at
/// 8 tiles ran 1.9-2.7x faster than unsplit at 16k-32k, T = 8 and 32 within 7%; global + window
/// still took 1.4-1.7x the window's time (more tiles walked, not the merge). Not re-fitted on it.
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
        case .tensorCore, .warpGroup:
            let bq = Double(config.queriesPerBlock), bk = Double(config.keysPerTile)
            let blocks = (length / bq).rounded(.up) * heads
            let tiles = ((bq + p.meanKeysPerRow) / bk).rounded(.up) * Double(max(1, p.shape.segmentsPerRow))
            let padded = blocks * tiles * 4 * bq * bk * d
            // Tensor-core rate, plus a per-tile cost (barriers, softmax, copies) spread over the SMs,
            // single-stage tiles paying their copy latency in full.
            // The wg kernel (wgmma, each tile's MMAs waited for before its softmax) ran 1.19-1.33x
            // slower than tc at the same tile on the H200 (docs/perf/2026-12-02-h200-session14-wgmma,
            // call 4: window 256 / 512, dilated, 8k-32k, d 64 and 128): ranked at 0.8x the tc rate.
            let rate = (config.keysPerTile >= 128 ? 200e12 : 300e12) * (config.variant == .warpGroup ? 0.8 : 1)
            let perTile = config.stages == 2 ? 0.1e-6 : 0.2e-6
            let throughput = padded / rate + blocks * tiles * perTile / sms
            let tileLatency = (1 + 0.03 * d) * 1e-6 * bk / 64
            let longest = ((bq + Double(p.shape.longestRow)) / bk).rounded(.up)
            guard config.tilesPerSplit > 0 else { return max(throughput, longest * tileLatency) }
            let t = Double(config.tilesPerSplit)
            // Extra items: the long block's splits, and every block's when its mean walk exceeds T;
            // every block reads its work item (a small fixed cost, so a split that never cuts a
            // walk ranks just behind its unsplit twin).
            let longSplits = longest > t ? (longest / t).rounded(.up) : 1
            let meanSplits = tiles > t ? (tiles / t).rounded(.up) : 1
            let extra = heads * (longSplits - 1) + blocks * (meanSplits - 1)
            let partialBytes = (heads * (longSplits > 1 ? longSplits : 0) + blocks * (meanSplits > 1 ? meanSplits : 0)) * bq * (d + 2) * 4 * 2
            let critical = min(t, longest) * tileLatency + longSplits * 0.02e-6 + bq * d * 4 * longSplits / 100e9
            return max(throughput + (extra * 4 + blocks * 0.1) * perTile / sms + partialBytes / 3e12, critical)
        case .rowWarp:
            return useful / 15e12
        case .unfused:
            return useful / 15e12 + 12 * Double(p.shape.nnz) * heads / 3e12
        }
    }
}

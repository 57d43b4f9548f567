import KernelGen

/// Configs measured to win, timed besides the ranked ones.
package enum MeasuredPortfolio {
    /// Configs that won the most problems in recorded sweeps, timed by the sweep besides
    /// the ranked ones, so a cost-model error cannot hide a config measured to win. Until the
    /// tuner's database exists this list is the record of those measurements (H200, 2026-11-21,
    /// DLMC rn50 at n = 256, transformer at n = 2048, synthetic 4096^2; the sweeps are in
    /// docs/perf/2026-11-21-h200-v4/explore):
    /// - `r8.t32.c256.v4.k64.db0.u8`: most rn50 wins (57 of 270), a transformer FFN layer;
    /// - `r1.t32.c128.v4.k32.db0.s4.u8`, `r2.t32.c128.v4.k32.db0.s2.u8`, `r1.t32.c128.v4.k32.db0.s8`,
    ///   `r1.t32.c128.v4.k32.db1.s8`: the split configs that won most of the other rn50 layers;
    /// - `r16.t32.c256.v4.k64.db0.u4` and `r16.t32.c256.v4.k64.db0`: the 512^2 transformer
    ///   layers and the synthetic problem.
    package static let all: [SpMMConfig] = [
        .tiled(subwarpSize: 32, rowsPerBlock: 8, tileWidth: 256, vectorWidth: 4, chunkSize: 64, doubleBuffered: false, unroll: 8),
        .tiled(subwarpSize: 32, rowsPerBlock: 1, tileWidth: 128, vectorWidth: 4, chunkSize: 32, doubleBuffered: false, rowSplit: 4, unroll: 8),
        .tiled(subwarpSize: 32, rowsPerBlock: 2, tileWidth: 128, vectorWidth: 4, chunkSize: 32, doubleBuffered: false, rowSplit: 2, unroll: 8),
        .tiled(subwarpSize: 32, rowsPerBlock: 1, tileWidth: 128, vectorWidth: 4, chunkSize: 32, doubleBuffered: false, rowSplit: 8),
        .tiled(subwarpSize: 32, rowsPerBlock: 1, tileWidth: 128, vectorWidth: 4, chunkSize: 32, doubleBuffered: true, rowSplit: 8),
        .tiled(subwarpSize: 32, rowsPerBlock: 16, tileWidth: 256, vectorWidth: 4, chunkSize: 64, doubleBuffered: false, unroll: 4),
        .tiled(subwarpSize: 32, rowsPerBlock: 16, tileWidth: 256, vectorWidth: 4, chunkSize: 64, doubleBuffered: false),
    ]

    /// The configs of ``compact`` (decoding shapes) then ``all`` that are legal for `problem`, in that order,
    /// each kernel once: a compact config whose chunk passes K goes by the covering chunk's name
    /// (``SpMMSpace/coveringChunkName(_:for:)``), so at K = 4096 the `k4096` and `k16384` entries of one
    /// design are one trial, not two of the shortlist's few portfolio places.
    package static func configs(for problem: SpMMProblem) -> [SpMMConfig] {
        var list: [SpMMConfig] = []
        for config in (compact + all).map({ SpMMSpace.coveringChunkName($0, for: problem) })
        where !list.contains(config) && (try? config.validate(for: problem)) != nil {
            list.append(config)
        }
        return list
    }
}

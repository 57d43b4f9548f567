import KernelGen

extension MeasuredPortfolio {
    /// The compact family's measured winners at decoding shapes (H200, 2026-12-01, llm suite fp16,
    /// four shapes at 0.5 / 0.7 / 0.9, cold search and cold timing; docs/perf/2026-12-01-h200-session6):
    /// - `compact.i16.w16.v8.u2.s1.b2.k4096`: n = 1 at 0.9 on the three shapes with K = 4096
    ///   (1.83-2.08x cuBLAS); `...k16384` the same on K = 11008 (2.24x);
    /// - `compact.i4.w16.v8.u1.s1.b2.k4096`: n = 1 at 0.7 (0.88-1.04x; the hand model ranks it third
    ///   among the compact configs, and a diversified shortlist of 6 left it out);
    /// - `compact.i16.w16.v8.u2.s1.b1.k4096`: n = 16 at 0.9 (0.78-0.87x).
    /// The hand model ranks by bytes and so prefers delta4 at 0.9, where its per-round decode made
    /// it slower than CSR16 (ncu: 20.1 against 14.0 us on 11008 x 4096).
    ///
    /// Since session 10 (docs/perf/2026-12-01-h200-session10, call 3, same protocol), the
    /// double-buffered walk of the first config leads at n = 1: `compact.i16.w16.v8.u1.s1.b2.k4096.db1`
    /// (K = 4096) and `...k16384.db1` (K = 11008) were 1.12-1.21x faster than their single-buffered
    /// twins on all twelve n = 1 problems (11008 x 4096 at 0.9: 11.1 against 13.1 us).
    ///
    /// Since session 19 (docs/perf/2026-12-02-h200-session19-delta4, calls 1-4, same protocol), delta4's
    /// double-buffered walk through a 3-stage cp.async ring, `compact.i4.w16.v8.u1.s1.b2.k16384.db1.rg3`,
    /// replaces its single-buffered config and comes second: at n = 1, 0.5 and 0.7 a ring config was the
    /// fastest compact config on every shape, this one on 5 of the 8 and within 3% of the fastest on
    /// the rest (call 4: 12.7 / 27.4 / 25.1 / 33.7 us at 0.5 against csr16's 14.1 / 30.5 / 29.4 / 37.9;
    /// its twin without the ring 14.1 / 30.7 / 28.0 / 39.0; single-buffered delta4 about twice that),
    /// and at n = 8, 0.9 a ring config was the fastest of every family on all four shapes (this one
    /// 10.6 / 20.1 / 23.3 / 24.6 us). csr16 still wins at 0.9, n = 1.
    ///
    /// Since session 20 (docs/perf/2026-12-02-h200-session20-swar, call 1, same protocol), delta4 decodes a
    /// vector's columns with SWAR byte sums and reads fp32 X at n = 1, and its double-buffered walk without
    /// the ring, `compact.i4.w16.v8.u1.s1.b2.k16384.db1`, leads: the fastest compact config on 11 of the 12
    /// n = 1 problems at 0.5-0.9 (within 2% of csr16 on the twelfth, 4096 x 4096 at 0.9), 1.20-1.26x faster
    /// than in session 19's binary at 0.5 (14336 x 4096: 30.8 against 38.6 us) and 1.03-1.08x faster than
    /// the 3-stage ring (whose issue path now costs more than its second round in flight saves).
    package static let compact: [SpMMConfig] = [
        .compact(CompactConfig(format: .delta4, warps: 16, vectorWidth: 8, unroll: 1, split: 1, blocksPerSM: 2, chunk: 16384, doubleBuffered: true)),
        .compact(CompactConfig(format: .csr16, warps: 16, vectorWidth: 8, unroll: 1, split: 1, blocksPerSM: 2, chunk: 4096, doubleBuffered: true)),
        .compact(CompactConfig(format: .csr16, warps: 16, vectorWidth: 8, unroll: 1, split: 1, blocksPerSM: 2, chunk: 16384, doubleBuffered: true)),
        .compact(CompactConfig(format: .csr16, warps: 16, vectorWidth: 8, unroll: 2, split: 1, blocksPerSM: 2, chunk: 4096)),
        .compact(CompactConfig(format: .csr16, warps: 16, vectorWidth: 8, unroll: 2, split: 1, blocksPerSM: 1, chunk: 4096)),
        .compact(CompactConfig(format: .csr16, warps: 16, vectorWidth: 8, unroll: 2, split: 1, blocksPerSM: 2, chunk: 16384)),
    ]
}

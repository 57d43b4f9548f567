extension AttentionKernels {
    /// The wg kernel's shared-memory layout, the one `wgmma` reads through descriptors without a
    /// swizzle: a tile is 8-row groups, each group its D / 8 core matrices (8 rows x 16 bytes, 128
    /// contiguous bytes) one after another along the features. Row r, features p.. (p a multiple of
    /// 8) at element (r / 8) 8 D + (p / 8) 64 + (r mod 8) 8. Measured on the H200 (session 14's
    /// probe): for Q and K read K-major (features the K of Q Kᵀ) the leading byte offset is the
    /// step between core matrices along the features (128 B) and the stride byte offset the step
    /// between 8-row groups (16 D B); for V read N-major (trans-b: keys the K of P V, features its
    /// N) the two swap: leading 16 D B between 8-key groups, stride 128 B between 8-feature parts.
    /// Eight consecutive threads copy one part of 8 consecutive rows, 128 contiguous shared bytes.
    static let warpGroupLayout = """
        #define TILE_OFF(row, part) (((row) >> 3) * (8 * D) + ((part) >> 3) * 64 + ((row) & 7) * 8)
        #define LOAD_ROW(t) (((t) & 7) + 8 * ((t) / D))
        #define LOAD_PART(t) ((((t) >> 3) % (D / 8)) * 8)
        """

    /// Descriptors, fences and the two `wgmma` shapes of the wg kernel: `wg_qk` (m64 n BK k16, A and
    /// B from shared memory; `first` drops the old accumulators, so S needs no zeroing) and `wg_pv`
    /// (m64 n D k16, A from registers, B transposed). A descriptor's address field counts 16-byte
    /// units, so a k step adds its byte offset / 16 to the descriptor.
    static func warpGroupHelpers(_ problem: AttentionProblem, _ config: AttentionConfig) -> String {
        let type = problem.elementType == .bf16 ? "bf16" : "f16"
        let bk = config.keysPerTile, d = problem.headSize
        func outputs(_ n: Int, _ name: String) -> String {
            (0..<(n / 2)).map { "\"+f\"(\(name)[\($0 / 4)][\($0 % 4)])" }.joined(separator: ", ")
        }
        func registers(_ n: Int) -> String { (0..<(n / 2)).map { "%\($0)" }.joined(separator: ",") }
        let qkOut = bk / 2, pvOut = d / 2
        return """
            __device__ __forceinline__ unsigned long long smem_desc(const elem_t* p, unsigned long long lbo, unsigned long long sbo) {
              const unsigned a = (unsigned)__cvta_generic_to_shared(p);
              return (unsigned long long)((a & 0x3FFFF) >> 4) | ((lbo >> 4) << 16) | ((sbo >> 4) << 32);
            }
            // Q or K read K-major: 128 B between a row group's core matrices, 16 D B between row groups.
            __device__ __forceinline__ unsigned long long kmajor_desc(const elem_t* p) { return smem_desc(p, 128, 16 * D); }
            // V read N-major (trans-b): 16 D B between 8-key groups, 128 B between 8-feature parts.
            __device__ __forceinline__ unsigned long long nmajor_desc(const elem_t* p) { return smem_desc(p, 16 * D, 128); }
            __device__ __forceinline__ void wg_fence() { asm volatile("wgmma.fence.sync.aligned;\\n" ::: "memory"); }
            __device__ __forceinline__ void wg_commit() { asm volatile("wgmma.commit_group.sync.aligned;\\n" ::: "memory"); }
            template <int N> __device__ __forceinline__ void wg_wait() { asm volatile("wgmma.wait_group.sync.aligned %0;\\n" :: "n"(N) : "memory"); }
            // After a wait, ties the accumulators to it: the compiler sees them written here, so no read moves above it.
            template <int N> __device__ __forceinline__ void hold(float (&d)[N][4]) {
              #pragma unroll
              for (int n = 0; n < N; ++n) asm volatile("" : "+f"(d[n][0]), "+f"(d[n][1]), "+f"(d[n][2]), "+f"(d[n][3]) :: "memory");
            }
            __device__ __forceinline__ void wg_qk(float (&d)[BK / 8][4], unsigned long long a, unsigned long long b, int accumulate) {
              asm volatile("{\\n.reg .pred p;\\nsetp.ne.b32 p, %\(qkOut + 2), 0;\\n"
                           "wgmma.mma_async.sync.aligned.m64n\(bk)k16.f32.\(type).\(type) {\(registers(bk))}, %\(qkOut), %\(qkOut + 1), p, 1, 1, 0, 0;\\n}\\n"
                           : \(outputs(bk, "d"))
                           : "l"(a), "l"(b), "r"(accumulate));
            }
            __device__ __forceinline__ void wg_pv(float (&d)[D / 8][4], const unsigned (&a)[4], unsigned long long b) {
              asm volatile("wgmma.mma_async.sync.aligned.m64n\(d)k16.f32.\(type).\(type) {\(registers(d))}, {%\(pvOut),%\(pvOut + 1),%\(pvOut + 2),%\(pvOut + 3)}, %\(pvOut + 4), 1, 1, 1, 1;\\n"
                           : \(outputs(d, "d"))
                           : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));
            }
            """
    }

    /// The wg kernel's wait for its tile. `cp.async` writes shared memory through the generic
    /// proxy and `wgmma` reads it through the async one, so each thread fences between them
    /// (`fence.proxy.async`), and that fence (a `MEMBAR.ALL.CTA` in SASS) waits for every copy
    /// the thread has in flight: issued before it, the next tile's copy would be waited for too
    /// (call 3's profile: 5% of the stall samples on the fence, the double buffer lost). So the
    /// tile is waited for alone, fenced, and the next tile's copy issued after the barrier, into
    /// the stage the previous step read: every warp passed the barrier after its `wgmma` read
    /// that stage (waited for in that step), so no barrier closes the step.
    static let warpGroupTileWait = """
            cp_async_wait<0>();
            asm volatile("fence.proxy.async.shared::cta;\\n" ::: "memory");
            __syncthreads();
        #if STAGES == 2
            if (ns < S) load_tile(ksm + (stage ^ 1) * TILE_ELEMS, vsm + (stage ^ 1) * TILE_ELEMS, kh, vh, nu, r, vstr, L);
            cp_async_commit();
        #endif
        """

    /// The wg kernel's scores: every warp of a warpgroup takes part in its `wgmma`, so none skips
    /// a tile. S = Q Kᵀ in D / 16 `wgmma` (m64 n BK k16) from shared memory; a k step of 16 features
    /// is two core matrices, 256 B (16 descriptor units).
    static let warpGroupScores = """
            {
              float sc[BK / 8][4];
              const unsigned long long kdesc = kmajor_desc(kt);
              wg_fence();
              #pragma unroll
              for (int kk = 0; kk < D / 16; ++kk) wg_qk(sc, qdesc + kk * 16, kdesc + kk * 16, kk);
              wg_commit();
              wg_wait<0>();
              hold(sc);
        """

    /// The wg kernel's P V: the probabilities packed as A fragments (`pa`) before the `wgmma.fence`
    /// (`wgmma` must not read a register written after it), then BK / 16 `wgmma` (m64 n D k16),
    /// waited for at once; a k step of 16 keys is two 8-key groups, 32 D B (2 D descriptor units).
    static let warpGroupPV = """
              unsigned pa[BK / 16][4];
              #pragma unroll
              for (int kk = 0; kk < BK / 16; ++kk) pack_pa(pa[kk], sc, kk);
              const unsigned long long vdesc = nmajor_desc(vt);
              wg_fence();
              #pragma unroll
              for (int kk = 0; kk < BK / 16; ++kk) wg_pv(oacc, pa[kk], vdesc + kk * 2 * D);
              wg_commit();
              wg_wait<0>();
              hold(oacc);
        """
}

import SparseFormats

// The fused sparse linear kernels of the encoder's fused-CSR form: each linear layer reads W as
// the CSR arrays the SpMM families bind (row offsets, column indices, values in elem_t), and the
// epilogue that follows it (bias; bias + residual + LayerNorm; or GELU, the second layer, bias,
// residual and LayerNorm) runs in the same kernel. For a batch of few tokens every kernel of the
// forward is latency bound (4 us each at MiniLM 1 x 128 on an H200), so what counts is the
// number of dependent kernels: three per layer here (with attention, four) against seven.
//
// Why clusters: LayerNorm needs all `hidden` features of a token, and the FFN's second layer
// all `intermediate` of them, but one block computing every row for its tokens would read all
// of W from L2 per block (FFN: 118 K nonzeros, 700 KB, some 6 us at an SM's L2 bandwidth). A
// cluster of C blocks (sm_90) owns a group of G tokens instead; block q of the cluster computes
// rows [q n / C, (q + 1) n / C) for the G tokens and the blocks exchange what they must through
// distributed shared memory: the FFN's intermediate slices, and LayerNorm's per-token partial
// sums.

/// The geometry of the fused sparse linear kernels (``EncoderKernels/fusedLinear(_:kind:tokens:config:)``).
package struct EncoderFusedConfig: Sendable, Hashable, Codable {
    /// Tokens a block owns (G): 4 or 8; a warp sums 32 / G rows at once, one (row, token) a lane.
    package var tokens: Int
    /// Blocks sharing one token group (C), each taking 1 / C of every layer's output rows; the
    /// cluster size of the kernels with a LayerNorm (at most 8, the portable cluster size).
    package var chunks: Int
    /// Warps a block.
    package var warps: Int

    package init(tokens: Int, chunks: Int = 8, warps: Int = 16) {
        self.tokens = tokens
        self.chunks = chunks
        self.warps = warps
    }

    /// Token group sizes a form may take.
    package static let tokenGroups = [4, 8]
}

/// A fused-linear geometry the kernels do not serve.
package enum EncoderFusedConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case tokensPerBlock(Int)
    case chunks(Int)
    case warps(Int, tokens: Int)
    case rowsNotDivisible(rows: Int, chunks: Int)
    case tokensNotDivisible(tokens: Int, group: Int)
    case sharedMemory(Int, limit: Int)
    case tensorCoreElementType(ElementType)
    case tensorCoreTokens(Int)
    case tensorCoreRows(Int)
    case tensorCoreKSplit(Int)
    case tensorCoreInputs(Int, chunk: Int)
    case tensorCoreWarps(Int)
    case tensorCoreCluster(hidden: Int)

    package var description: String {
        switch self {
        case let .tokensPerBlock(g): "fused linear: \(g) tokens a block (4 or 8: a warp sums 32 / G rows of G tokens, in float4s)"
        case let .chunks(c): "fused linear: \(c) blocks a token group (1 to 8, the portable cluster size)"
        case let .warps(w, g): "fused linear: \(w) warps a block for \(g) tokens (LayerNorm takes one warp a token; at most 32)"
        case let .rowsNotDivisible(rows, chunks): "fused linear: \(rows) rows do not split into \(chunks) equal chunks"
        case let .tokensNotDivisible(t, g): "fused linear: \(t) tokens are not a multiple of the group of \(g)"
        case let .sharedMemory(bytes, limit): "fused linear: \(bytes) bytes of shared memory a block, over \(limit)"
        case let .tensorCoreElementType(type): "tensor-core linear: \(type.rawValue) elements (fp16 or bf16 only)"
        case let .tensorCoreTokens(g): "tensor-core linear: \(g) tokens a block (16 or 32: two or four n8 tiles)"
        case let .tensorCoreRows(r): "tensor-core linear: \(r) rows a block (32 or 64: m16 tiles)"
        case let .tensorCoreKSplit(k): "tensor-core linear: k split \(k) (1, 2 or 4 warps a row tile)"
        case let .tensorCoreInputs(k, chunk): "tensor-core linear: \(k) inputs are not a multiple of the chunk of \(chunk)"
        case let .tensorCoreWarps(w): "tensor-core linear: \(w) warps a block (at most 32)"
        case let .tensorCoreCluster(hidden): "tensor-core linear: \(hidden) features split into no cluster of 1 to 8 blocks of a multiple of 16 rows"
        }
    }
}

extension EncoderKernels {
    /// What a fused sparse linear kernel computes, with its rows.
    package enum FusedLinear: Sendable, Hashable {
        /// y = W x + b for W of `outputs x hidden` (the stacked QKV projection).
        case projection(outputs: Int)
        /// out = LayerNorm(W x + b + residual), W `hidden x hidden` (attention output).
        case attentionOutput
        /// out = LayerNorm(W2 GELU(W1 x + b1) + b2 + x), W1 `intermediate x hidden`, W2
        /// `hidden x intermediate` (the whole FFN block).
        case feedForward(intermediate: Int)
    }

    /// Shared memory above which the fused kernels are refused (an H100/H200's opt-in limit, 227 KiB).
    package static let fusedSharedLimit = 227 * 1024

    /// A fused sparse linear kernel of `kind` for T = `tokens` columns (sm_90).
    ///
    /// Geometry: grid C * T / G blocks of 32 W threads (C = chunks, G = tokens a block); block
    /// b takes tokens t0 = (b / C) G ..< t0 + G and output chunk q = b % C. The LayerNorm kinds
    /// are launched as clusters of C (`__cluster_dims__`), so the C chunks of a token group are
    /// one cluster and q is the block's rank in it.
    ///
    /// Every block: (1) stages X(:, t0 ..< t0 + G) into shared memory as fp32, xs[k G + t] (K G
    /// loads, all independent); (2) sums its rows: a warp takes R = 32 / G rows at once; for
    /// each of them lane l reads the nonzeros l, l + 32, ... of the row (coalesced column index
    /// and value; R rows' loads in flight together), multiplies by xs[c G ..< c G + G] (G / 4
    /// float4 reads, broadcast-free but conflict-light), and keeps R G = 32 fp32 partial sums;
    /// five halving exchanges (`fold`, 16 + 8 + 4 + 2 + 1 = 31 shuffles) leave lane l with the
    /// whole sum of (row l / G, token l % G), which it writes with its epilogue.
    ///
    /// - projection: out(r, t) = sum + b[r] into y (elem_t); no cluster.
    /// - attentionOutput: v(r, t) = sum + b[r] + residual(r, t) into ys (fp32, the block's n / C
    ///   rows); then the cluster LayerNorm: per token, warp t sums its column of ys, the C
    ///   blocks' partials are read through distributed shared memory and added in rank order
    ///   (the same mean in every block), and again for sum (v - mean)^2 (two-pass variance);
    ///   out = (v - mean) rsqrt(var + eps) gamma + beta. Cluster barriers: after each partial,
    ///   and an arrive after the last remote read whose wait ends the kernel (no block leaves
    ///   while another may still read its shared memory).
    /// - feedForward: step (2) for W1 rows q I / C ..< (q + 1) I / C, h = GELU(sum + b1) (erf,
    ///   the SpMM epilogue's expression) into hs[r G + t] at the row's own place; a cluster
    ///   barrier; each block copies the other C - 1 slices of hs from their owners (float4
    ///   distributed-shared-memory loads), so it holds the whole I x G intermediate; then step
    ///   (2) for W2 over hs, v = sum + b2 + xs (the residual is the staged input), and the
    ///   cluster LayerNorm as above.
    ///
    /// Desk check, MiniLM at T = 128, fp16, 0.9 zeros, G = 8, C = 8 (16 token groups, 128
    /// blocks of 512 threads): the FFN block reads X 384 x 8 (6 KB), 1 / 8 of W1 and of W2 (7.4 K
    /// nonzeros each, 44 KB each as int32 index + fp16 value), and 7 x 6 KB of its cluster's
    /// intermediate; it runs 2 x 7.4 K x 8 = 118 K FMAs (230 a thread). Shared memory: xs 12 KB,
    /// hs 48 KB, ys 1.5 KB. The attention-output block: 1 / 8 of W (1.8 K nonzeros, 11 KB), 15 K
    /// FMAs; the projection block: 1 / 8 of 1152 rows (5.5 K nonzeros, 33 KB), 44 K FMAs. Every
    /// kernel is far from any throughput limit: what it costs is its chain of dependent loads
    /// (X, then W's indices, then xs, then the exchanges), which is why the rows of a warp
    /// load together.
    ///
    /// Arguments: projection: offsets (int*), columns (int*), values (elem_t*), bias (elem_t*),
    /// x (elem_t*), y (elem_t*), T (int). attentionOutput: offsets, columns, values, bias, x,
    /// residual (elem_t*), gamma, beta (elem_t*), out (elem_t*), T. feedForward: offsets1,
    /// columns1, values1, bias1, offsets2, columns2, values2, bias2, x (also the residual), gamma,
    /// beta, out, T. `out` may not alias x or residual.
    package static func fusedLinear(
        _ shape: EncoderShape, kind: FusedLinear, tokens: Int, config: EncoderFusedConfig
    ) throws(EncoderFusedConfigError) -> KernelSource {
        let h = shape.hidden, g = config.tokens, c = config.chunks, w = config.warps
        guard EncoderFusedConfig.tokenGroups.contains(g) else { throw .tokensPerBlock(g) }
        guard (1...8).contains(c) else { throw .chunks(c) }
        guard w >= g, w <= 32 else { throw .warps(w, tokens: g) }
        guard tokens > 0, tokens % g == 0 else { throw .tokensNotDivisible(tokens: tokens, group: g) }
        let rows: [Int] = switch kind {
        case let .projection(outputs): [outputs]
        case .attentionOutput: [h]
        case let .feedForward(intermediate): [intermediate, h]
        }
        for n in rows where n <= 0 || n % c != 0 { throw .rowsNotDivisible(rows: n, chunks: c) }
        let floats: Int = switch kind {
        case .projection: h * g
        case .attentionOutput: h * g + (h / c) * g + 4 * g
        case let .feedForward(intermediate): h * g + intermediate * g + (h / c) * g + 4 * g
        }
        let bytes = 4 * floats
        guard bytes <= fusedSharedLimit else { throw .sharedMemory(bytes, limit: fusedSharedLimit) }
        let type = shape.elementType.rawValue
        let (name, what, body): (String, String, String) = switch kind {
        case let .projection(outputs):
            ("projection_n\(outputs)", "sparse projection + bias n=\(outputs)", projectionBody(outputs: outputs))
        case .attentionOutput:
            ("attention_output_layernorm", "sparse attention output + bias + residual + layernorm", attentionOutputBody())
        case let .feedForward(intermediate):
            ("ffn_layernorm_i\(intermediate)", "sparse ffn (up + gelu + down) + bias + residual + layernorm i=\(intermediate)",
             feedForwardBody(intermediate: intermediate))
        }
        let entry = "sparrow_fused_\(name)_\(type)_h\(h)_g\(g)_c\(c)_w\(w)"
        let clustered: Bool = if case .projection = kind { false } else { true }
        let constants = """
            constexpr int kHidden = \(h);
            constexpr int kTokens = \(g);  // tokens a block (G)
            constexpr int kChunks = \(c);  // blocks a token group (C), the cluster size of the LayerNorm kinds
            constexpr int kWarps = \(w);
            constexpr int kRowsPerPass = 32 / kTokens;  // rows a warp sums at once: 32 sums, one a lane
            constexpr float kEps = \(floatLiteral(shape.layerNormEpsilon));

            """
        let launchBounds = (clustered ? "__cluster_dims__(kChunks, 1, 1) " : "") + "__launch_bounds__(32 * kWarps)"
        let full = constants + fusedHelpers + (clustered ? clusterHelpers : "") + body
            .replacingOccurrences(of: "ENTRY", with: entry)
            .replacingOccurrences(of: "BOUNDS", with: launchBounds)
        var kernel = source(
            shape, "\(what) tokens-per-block=\(g) chunks=\(c) warps=\(w)", entryPoint: entry, body: full,
            grid: LaunchDimensions(x: c * (tokens / g)), block: LaunchDimensions(x: 32 * w), sharedBytes: bytes)
        kernel.minimumComputeCapability = ComputeCapability(major: 9, minor: 0)
        return kernel
    }

    /// Staging, the row sums and the halving exchange, shared by the three kinds.
    static let fusedHelpers = """
        // Halves the live sums (N of them) between lanes N / 2 apart: a lane whose bit N / 2 is set
        // keeps the upper half. After fold<32> ... fold<2>, lane l holds the whole sum number l.
        template <int N>
        __device__ __forceinline__ void fold(float (&v)[32], const int lane) {
          constexpr int kHalf = N / 2;
          const bool upper = (lane & kHalf) != 0;
        #pragma unroll
          for (int i = 0; i < kHalf; ++i) {
            const float send = upper ? v[i] : v[i + kHalf];
            const float keep = upper ? v[i + kHalf] : v[i];
            v[i] = keep + __shfl_xor_sync(0xffffffffu, send, kHalf);
          }
        }

        // xs[f * kTokens + t] = x(f, t0 + t) in fp32, for f < features.
        __device__ __forceinline__ void stage(const elem_t* __restrict__ x, float* xs, const int features, const int T, const int t0) {
          for (int i = threadIdx.x; i < features * kTokens; i += 32 * kWarps) {
            const int f = i / kTokens, t = i - f * kTokens;
            xs[i] = to_f32(x[(long long)f * T + t0 + t]);
          }
        }

        // For rows first ..< first + count of the CSR matrix: sum over the row's nonzeros of
        // value * xs[column][t], for each of the block's tokens; emit(row, t, sum) once per (row, t).
        template <typename Emit>
        __device__ __forceinline__ void sparse_rows(
            const int* __restrict__ offsets, const int* __restrict__ columns, const elem_t* __restrict__ values,
            const float* xs, const int first, const int count, Emit emit) {
          const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
          for (int base = warp * kRowsPerPass; base < count; base += kWarps * kRowsPerPass) {
            int begin[kRowsPerPass], length[kRowsPerPass];
            int longest = 0;
        #pragma unroll
            for (int r = 0; r < kRowsPerPass; ++r) {
              const bool live = base + r < count;
              const int row = first + base + r;
              begin[r] = live ? offsets[row] : 0;
              length[r] = live ? offsets[row + 1] - begin[r] : 0;
              longest = max(longest, length[r]);
            }
            float acc[32];
        #pragma unroll
            for (int i = 0; i < 32; ++i) acc[i] = 0.0f;
            for (int j = lane; j < longest; j += 32) {
              int column[kRowsPerPass];
              float weight[kRowsPerPass];
        #pragma unroll
              for (int r = 0; r < kRowsPerPass; ++r) {  // every row's loads first: they are in flight together
                const bool live = j < length[r];
                column[r] = live ? columns[begin[r] + j] : 0;
                weight[r] = live ? to_f32(values[begin[r] + j]) : 0.0f;
              }
        #pragma unroll
              for (int r = 0; r < kRowsPerPass; ++r) {
                const float4* const x4 = reinterpret_cast<const float4*>(xs + column[r] * kTokens);
        #pragma unroll
                for (int q = 0; q < kTokens / 4; ++q) {
                  const float4 v = x4[q];
                  acc[r * kTokens + 4 * q + 0] = fmaf(weight[r], v.x, acc[r * kTokens + 4 * q + 0]);
                  acc[r * kTokens + 4 * q + 1] = fmaf(weight[r], v.y, acc[r * kTokens + 4 * q + 1]);
                  acc[r * kTokens + 4 * q + 2] = fmaf(weight[r], v.z, acc[r * kTokens + 4 * q + 2]);
                  acc[r * kTokens + 4 * q + 3] = fmaf(weight[r], v.w, acc[r * kTokens + 4 * q + 3]);
                }
              }
            }
            fold<32>(acc, lane);
            fold<16>(acc, lane);
            fold<8>(acc, lane);
            fold<4>(acc, lane);
            fold<2>(acc, lane);
            const int r = lane / kTokens;
            if (base + r < count) emit(first + base + r, lane - r * kTokens, acc[0]);
          }
        }

        """

    /// Cluster rank, barriers, distributed shared memory and the cluster LayerNorm (sm_90).
    static let clusterHelpers = """
        __device__ __forceinline__ unsigned cluster_rank() {
          unsigned r;
          asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(r));
          return r;
        }
        // Every thread of the cluster arrives (release) / waits for all of them (acquire).
        __device__ __forceinline__ void cluster_arrive() { asm volatile("barrier.cluster.arrive;" ::: "memory"); }
        __device__ __forceinline__ void cluster_wait() { asm volatile("barrier.cluster.wait;" ::: "memory"); }
        __device__ __forceinline__ void cluster_sync() { cluster_arrive(); cluster_wait(); }
        // The address of p (this block's shared memory) in block `rank` of the cluster.
        __device__ __forceinline__ unsigned remote(const float* p, const unsigned rank) {
          unsigned a;
          asm volatile("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(a) : "r"((unsigned)__cvta_generic_to_shared(p)), "r"(rank));
          return a;
        }
        __device__ __forceinline__ float load_remote(const unsigned a) {
          float v;
          asm volatile("ld.shared::cluster.f32 %0, [%1];" : "=f"(v) : "r"(a) : "memory");
          return v;
        }
        __device__ __forceinline__ float4 load_remote4(const unsigned a) {
          float4 v;
          asm volatile("ld.shared::cluster.v4.f32 {%0, %1, %2, %3}, [%4];" : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w) : "r"(a) : "memory");
          return v;
        }

        // The sum over the warp's lanes, in the same order in every warp.
        __device__ __forceinline__ float warp_sum(float s) {
        #pragma unroll
          for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
          return s;
        }

        // LayerNorm over the cluster: ys holds v(r, t) for the block's rows first ..< first + rows
        // (fp32, ys[(r - first) * kTokens + t]); stats: 4 kTokens floats. Writes out(r, t0 + t).
        // Every thread of every block of the cluster calls it (it holds cluster barriers).
        __device__ __forceinline__ void cluster_layernorm(
            const float* ys, float* stats, const int first, const int rows, const elem_t* __restrict__ gamma,
            const elem_t* __restrict__ beta, elem_t* __restrict__ out, const int T, const int t0) {
          float* const sums = stats;
          float* const squares = stats + kTokens;
          float* const mean = stats + 2 * kTokens;
          float* const scale = stats + 3 * kTokens;
          const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
          for (int t = warp; t < kTokens; t += kWarps) {  // warp t sums token t (and t + kWarps, ...)
            float s = 0.0f;
            for (int r = lane; r < rows; r += 32) s += ys[r * kTokens + t];
            s = warp_sum(s);
            if (lane == 0) sums[t] = s;
          }
          cluster_sync();
          if (threadIdx.x < kTokens) {
            float s = 0.0f;
            for (int q = 0; q < kChunks; ++q) s += load_remote(remote(sums + threadIdx.x, q));
            mean[threadIdx.x] = s * (1.0f / kHidden);
          }
          __syncthreads();
          for (int t = warp; t < kTokens; t += kWarps) {
            const float m = mean[t];
            float s = 0.0f;
            for (int r = lane; r < rows; r += 32) {
              const float d = ys[r * kTokens + t] - m;
              s += d * d;
            }
            s = warp_sum(s);
            if (lane == 0) squares[t] = s;
          }
          cluster_sync();
          if (threadIdx.x < kTokens) {
            float s = 0.0f;
            for (int q = 0; q < kChunks; ++q) s += load_remote(remote(squares + threadIdx.x, q));
            scale[threadIdx.x] = rsqrtf(s * (1.0f / kHidden) + kEps);
          }
          cluster_arrive();  // done reading the other blocks' shared memory
          __syncthreads();
          for (int i = threadIdx.x; i < rows * kTokens; i += 32 * kWarps) {
            const int r = i / kTokens, t = i - r * kTokens, f = first + r;
            out[(long long)f * T + t0 + t] = from_f32((ys[i] - mean[t]) * scale[t] * to_f32(gamma[f]) + to_f32(beta[f]));
          }
          cluster_wait();  // nobody leaves while another block may still read its statistics
        }

        """

    static func projectionBody(outputs: Int) -> String {
        """
        constexpr int kRows = \(outputs) / kChunks;  // output rows a block

        extern "C" __global__ void BOUNDS
        ENTRY(const int* __restrict__ offsets, const int* __restrict__ columns, const elem_t* __restrict__ values, const elem_t* __restrict__ bias, const elem_t* __restrict__ x, elem_t* __restrict__ y, const int T) {
          wait_for_previous_grid();
          extern __shared__ float4 smem4[];
          float* const xs = reinterpret_cast<float*>(smem4);  // kHidden x kTokens
          const int t0 = (blockIdx.x / kChunks) * kTokens;
          const int first = (blockIdx.x % kChunks) * kRows;
          stage(x, xs, kHidden, T, t0);
          __syncthreads();
          sparse_rows(offsets, columns, values, xs, first, kRows, [&](const int row, const int t, const float sum) {
            y[(long long)row * T + t0 + t] = from_f32(sum + to_f32(bias[row]));
          });
        }

        """
    }

    static func attentionOutputBody() -> String {
        """
        constexpr int kRows = kHidden / kChunks;  // output rows a block

        extern "C" __global__ void BOUNDS
        ENTRY(const int* __restrict__ offsets, const int* __restrict__ columns, const elem_t* __restrict__ values, const elem_t* __restrict__ bias, const elem_t* __restrict__ x, const elem_t* __restrict__ residual, const elem_t* __restrict__ gamma, const elem_t* __restrict__ beta, elem_t* __restrict__ out, const int T) {
          wait_for_previous_grid();
          extern __shared__ float4 smem4[];
          float* const xs = reinterpret_cast<float*>(smem4);  // kHidden x kTokens
          float* const ys = xs + kHidden * kTokens;           // kRows x kTokens
          float* const stats = ys + kRows * kTokens;          // 4 x kTokens
          const int t0 = (blockIdx.x / kChunks) * kTokens;
          const int first = (int)cluster_rank() * kRows;
          stage(x, xs, kHidden, T, t0);
          __syncthreads();
          sparse_rows(offsets, columns, values, xs, first, kRows, [&](const int row, const int t, const float sum) {
            ys[(row - first) * kTokens + t] = sum + to_f32(bias[row]) + to_f32(residual[(long long)row * T + t0 + t]);
          });
          __syncthreads();
          cluster_layernorm(ys, stats, first, kRows, gamma, beta, out, T, t0);
        }

        """
    }

    static func feedForwardBody(intermediate: Int) -> String {
        """
        constexpr int kInter = \(intermediate);
        constexpr int kInterRows = kInter / kChunks;  // FFN-up rows a block
        constexpr int kRows = kHidden / kChunks;      // FFN-down (output) rows a block

        extern "C" __global__ void BOUNDS
        ENTRY(const int* __restrict__ offsets1, const int* __restrict__ columns1, const elem_t* __restrict__ values1, const elem_t* __restrict__ bias1, const int* __restrict__ offsets2, const int* __restrict__ columns2, const elem_t* __restrict__ values2, const elem_t* __restrict__ bias2, const elem_t* __restrict__ x, const elem_t* __restrict__ gamma, const elem_t* __restrict__ beta, elem_t* __restrict__ out, const int T) {
          wait_for_previous_grid();
          extern __shared__ float4 smem4[];
          float* const xs = reinterpret_cast<float*>(smem4);  // kHidden x kTokens: the input and the residual
          float* const hs = xs + kHidden * kTokens;           // kInter x kTokens: the whole intermediate
          float* const ys = hs + kInter * kTokens;            // kRows x kTokens
          float* const stats = ys + kRows * kTokens;          // 4 x kTokens
          const int t0 = (blockIdx.x / kChunks) * kTokens;
          const unsigned rank = cluster_rank();
          stage(x, xs, kHidden, T, t0);
          __syncthreads();
          sparse_rows(offsets1, columns1, values1, xs, (int)rank * kInterRows, kInterRows, [&](const int row, const int t, const float a) {
            const float b = to_f32(bias1[row]);
            hs[row * kTokens + t] = \(KernelGen.epilogueExpression(.biasGELU, "a"));
          });
          cluster_sync();  // every slice of the intermediate is written
          for (int q = 1; q < kChunks; ++q) {
            const unsigned owner = (rank + q) % kChunks;
            float* const slice = hs + owner * (kInterRows * kTokens);
            for (int i = 4 * threadIdx.x; i < kInterRows * kTokens; i += 4 * 32 * kWarps) {
              *reinterpret_cast<float4*>(slice + i) = load_remote4(remote(slice + i, owner));
            }
          }
          __syncthreads();
          const int first = (int)rank * kRows;
          sparse_rows(offsets2, columns2, values2, hs, first, kRows, [&](const int row, const int t, const float sum) {
            ys[(row - first) * kTokens + t] = sum + to_f32(bias2[row]) + xs[row * kTokens + t];
          });
          __syncthreads();
          cluster_layernorm(ys, stats, first, kRows, gamma, beta, out, T, t0);
        }

        """
    }
}

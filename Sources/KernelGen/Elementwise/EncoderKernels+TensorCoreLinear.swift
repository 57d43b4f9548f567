import SparseFormats

// The encoder's tensor-core linear kernels (dense W, fp16 / bf16, sm_90): each linear layer in
// one kernel with its epilogue, so that a transformer layer is five kernels (QKV, attention,
// attention output + LayerNorm, FFN up + GELU, FFN down + LayerNorm) against eight on cuBLAS
// with separate epilogues. For a batch of few tokens every kernel of the forward is latency
// bound (about 4 us each at MiniLM 1 x 128 on an H200), so the kernel count is the cost.
//
// Unlike the fused-CSR kernels (EncoderKernels+FusedLinear.swift), whose row sums wait on a
// chain of dependent loads (offsets, then indices, then X), every address here is known at the
// start: the block copies its slice of W and of X into shared memory with cp.async, many chunks
// in flight, and W's first S - 1 chunks are copied before the wait for the previous kernel (W is
// written by no kernel; S stages in flight, so none when K fits one chunk, as MiniLM's K = 384
// does in the kept forms' chunks of 512: only FFN down copies one chunk of W early). The LayerNorm kinds use the fused-CSR kernels' cluster LayerNorm: a
// cluster of C blocks owns a token group, each block 1 / C of the hidden features, the per-token
// sums exchanged through distributed shared memory.

/// The geometry of the encoder's tensor-core linear kernels
/// (``EncoderKernels/tensorCoreLinear(_:kind:tokens:config:)``).
package struct EncoderTensorCoreConfig: Sendable, Hashable, Codable {
    /// Tokens a block (G): 16 or 32 (two or four n8 tiles of the mma).
    package var tokens: Int
    /// Output rows a block of the kinds without LayerNorm (R): 32 or 64 (m16 tiles of the mma).
    package var rows: Int
    /// Most blocks a token group of the LayerNorm kinds (the cluster size): the kernel takes the
    /// largest C <= chunks with hidden a multiple of 16 C (each block hidden / C rows).
    package var chunks: Int
    /// Most warps sharing one m16 row tile, each taking every kSplit-th k16 step of a chunk (their
    /// partial sums added in shared memory): 1, 2, 4 or 8; the kernel takes the largest of these
    /// <= kSplit that keeps its block within 32 warps.
    package var kSplit: Int
    /// Most k a chunk (a multiple of 64): one cp.async stage of W (R x KC) and X (KC x G), one
    /// barrier; the kernel takes the largest multiple of 64 <= chunkK that divides K.
    package var chunkK: Int

    package init(tokens: Int = 16, rows: Int = 64, chunks: Int = 8, kSplit: Int = 2, chunkK: Int = 64) {
        self.tokens = tokens
        self.rows = rows
        self.chunks = chunks
        self.kSplit = kSplit
        self.chunkK = chunkK
    }

    /// Element types of the mma (fp16 and bf16, fp32 accumulation).
    package static let elementTypes: [ElementType] = [.f16, .bf16]
    package static let tokenGroups = [16, 32]
    package static let rowTiles = [32, 64]
    package static let kSplits = [1, 2, 4, 8]
    /// Chunks are multiples of this many k (4 k16 steps; 128-byte rows of W).
    package static let chunkUnit = 64
    /// Chunks in flight at most.
    package static let maxStages = 8

    /// k a chunk for K = `inputs` (nil: K is not a multiple of 64).
    package func chunk(inputs: Int) -> Int? {
        stride(from: chunkK / Self.chunkUnit * Self.chunkUnit, through: Self.chunkUnit, by: -Self.chunkUnit).first { inputs % $0 == 0 }
    }

    /// The cluster size of the LayerNorm kinds for `hidden` features (nil: none fits).
    package func clusterSize(hidden: Int) -> Int? {
        stride(from: min(chunks, 8), through: 1, by: -1).first { hidden % (16 * $0) == 0 }
    }

    package var identifier: String {
        "g\(tokens)r\(rows)c\(chunks)ks\(kSplit)" + (chunkK == Self.chunkUnit ? "" : "k\(chunkK)")
    }
}

extension EncoderKernels {
    /// What a tensor-core linear kernel computes, W dense `outputs x inputs` (row-major).
    package enum TensorCoreLinear: Sendable, Hashable {
        /// y = W x, W `outputs x hidden` (the QKV projection; fused attention adds the bias).
        case projection(outputs: Int)
        /// y = GELU(W x + b) (erf), W `outputs x hidden` (the FFN's first layer).
        case biasGELU(outputs: Int)
        /// out = LayerNorm(W x + b + residual), W `hidden x inputs` (attention output, FFN down).
        case residualLayerNorm(inputs: Int)
    }

    /// A tensor-core linear kernel of `kind` for T = `tokens` columns (sm_90; fp16 or bf16).
    ///
    /// Geometry: a block computes R rows x G tokens of Y = W X (R = config.rows; the LayerNorm
    /// kind: R = hidden / C, C = ``EncoderTensorCoreConfig/clusterSize(hidden:)``) with
    /// (R / 16) x KS warps. Without LayerNorm, grid (N / R) x (T / G): block b takes row tile
    /// b % (N / R) and token group b / (N / R). With LayerNorm, grid C x (T / G) in clusters of
    /// C (`__cluster_dims__`): token group b / C, rows rank x R.
    ///
    /// K runs in chunks of KC (``EncoderTensorCoreConfig/chunk(inputs:)``): chunk c is W(rows,
    /// KC c ..< KC c + KC) (R x KC, rows padded to KC + 8 elements) and X(KC c ..< KC c + KC,
    /// tokens) (KC x G, rows padded to G + 8) in one stage of shared memory, copied with cp.async
    /// (16 bytes a copy), S = min(K / KC, 8, what fits) stages in flight, one barrier a chunk;
    /// the first S - 1 chunks of W are copied before `wait_for_previous_grid()`, X's after it. Warp w takes m16 tile w % (R / 16) and k16 steps w / (R / 16), + KS, ... of each
    /// chunk: A fragments by `ldmatrix` (W row-major), B fragments by `ldmatrix.trans` (X holds
    /// tokens contiguous for each feature), `mma.m16n8k16` with fp32 accumulators, G / 8 of them
    /// a warp. The KS partial tiles meet in shared memory (fp32, R x G each) and are added in
    /// order; then the epilogue per (row, token), tokens fastest (coalesced writes):
    /// - projection: y = sum;
    /// - biasGELU: y = GELU(sum + b) (the SpMM epilogue's expression);
    /// - residualLayerNorm: v = sum + b + residual into ys (fp32), then the cluster LayerNorm of
    ///   the fused-CSR kernels (two-pass mean and variance over the C blocks' rows through
    ///   distributed shared memory), out = (v - mean) rsqrt(var + eps) gamma + beta.
    ///
    /// Desk check, MiniLM at T = 128, fp16, G = 16, R = 64, C = 8, KS = 2, KC = 64: QKV 18 x 8 =
    /// 144 blocks of 8 warps, each W 64 x 384 (48 KB) and X 384 x 16 (12 KB) in 6 stages, 64 x 16
    /// x 384 = 393 K FMAs (96 mma a warp); FFN up 24 x 8 = 192 blocks, the same per block;
    /// attention output 64 blocks (8 clusters of 8) of 6 warps, W 48 x 384 (36 KB); FFN down 64
    /// blocks, W 48 x 1536 (144 KB) and X 1536 x 16 (48 KB) in 24 chunks, 8 in flight. Every
    /// kernel reads under 200 KB a block from L2 and is far from the tensor cores' rate. Measured
    /// (H200, docs/perf/2026-12-01-h200-session8): at KC = 64 these kernels took about 7 us each
    /// in the graph and 32 tokens a block was slower than 16; KC = 512 with KS = 8 brought the
    /// whole MiniLM graph from 0.23 to 0.200 ms, still slower than cuBLAS with separate epilogues
    /// (0.183 ms, eight kernels a layer against five). ncu: a block lives 5-7 k SM cycles at 25%
    /// of L2 throughput, bound by the latency of its copies (W is read once per token group:
    /// 8x at T = 128); bulk copies (one TMA copy a row) were slower still.
    ///
    /// Arguments: projection: w, x, y (elem_t*), T (int). biasGELU: w, bias, x, y, T.
    /// residualLayerNorm: w, bias, x, residual, gamma, beta, out (elem_t*), T. `out` may not alias
    /// x or residual. Pointers 16-byte aligned; T a multiple of G.
    package static func tensorCoreLinear(
        _ shape: EncoderShape, kind: TensorCoreLinear, tokens: Int, config: EncoderTensorCoreConfig
    ) throws(EncoderFusedConfigError) -> KernelSource {
        let h = shape.hidden, g = config.tokens
        guard EncoderTensorCoreConfig.elementTypes.contains(shape.elementType) else { throw .tensorCoreElementType(shape.elementType) }
        guard EncoderTensorCoreConfig.tokenGroups.contains(g) else { throw .tensorCoreTokens(g) }
        guard EncoderTensorCoreConfig.rowTiles.contains(config.rows) else { throw .tensorCoreRows(config.rows) }
        guard EncoderTensorCoreConfig.kSplits.contains(config.kSplit) else { throw .tensorCoreKSplit(config.kSplit) }
        guard tokens > 0, tokens % g == 0 else { throw .tokensNotDivisible(tokens: tokens, group: g) }
        let (outputs, inputs, rows, clusters): (Int, Int, Int, Int?) = switch kind {
        case let .projection(n), let .biasGELU(n): (n, h, config.rows, nil)
        case let .residualLayerNorm(k): (h, k, config.clusterSize(hidden: h).map { h / $0 } ?? 0, config.clusterSize(hidden: h))
        }
        if case .residualLayerNorm = kind, clusters == nil { throw .tensorCoreCluster(hidden: h) }
        guard outputs > 0, rows > 0, outputs % rows == 0 else { throw .rowsNotDivisible(rows: outputs, chunks: outputs / max(rows, 1)) }
        guard config.chunkK >= EncoderTensorCoreConfig.chunkUnit, inputs > 0, let kc = config.chunk(inputs: inputs) else {
            throw .tensorCoreInputs(inputs, chunk: EncoderTensorCoreConfig.chunkUnit)
        }
        // The k split: the largest allowed <= the config's that keeps the block within 32 warps.
        guard let ks = EncoderTensorCoreConfig.kSplits.last(where: { $0 <= config.kSplit && rows / 16 * $0 <= 32 }) else {
            throw .tensorCoreWarps(rows / 16)
        }
        let warps = rows / 16 * ks
        let stageBytes = 2 * (rows * (kc + 8) + kc * (g + 8))
        let epilogueBytes = 4 * (ks * rows * g + (clusters == nil ? 0 : rows * g + 4 * g))
        let stages = min(inputs / kc, EncoderTensorCoreConfig.maxStages, (fusedSharedLimit - epilogueBytes) / stageBytes)
        guard stages >= 1 else { throw .sharedMemory(stageBytes + epilogueBytes, limit: fusedSharedLimit) }
        let bytes = stages * stageBytes + epilogueBytes
        let type = shape.elementType.rawValue
        let (name, what): (String, String) = switch kind {
        case let .projection(n): ("projection_n\(n)", "tensor-core projection n=\(n)")
        case let .biasGELU(n): ("gelu_n\(n)", "tensor-core linear + bias + gelu n=\(n)")
        case let .residualLayerNorm(k): ("layernorm_k\(k)", "tensor-core linear + bias + residual + layernorm k=\(k)")
        }
        let tile = clusters.map { "c\($0)" } ?? "r\(rows)"
        let entry = "sparrow_tc_\(name)_\(type)_h\(h)_g\(g)_\(tile)_ks\(ks)_kc\(kc)_s\(stages)"
        let constants = """
            constexpr int kHidden = \(h);
            constexpr int kOutputs = \(outputs);
            constexpr int kInputs = \(inputs);          // K
            constexpr int kRows = \(rows);              // rows a block (R)
            constexpr int kTokens = \(g);               // tokens a block (G)
            constexpr int kSplitK = \(ks);              // warps sharing a row tile (KS)
            constexpr int kTilesM = kRows / 16;
            constexpr int kTilesN = kTokens / 8;
            constexpr int kWarps = kTilesM * kSplitK;
            constexpr int kChunkK = \(kc);
            constexpr int kChunksK = kInputs / kChunkK;
            constexpr int kStages = \(stages);
            constexpr int kLdw = kChunkK + 8;           // W stage row stride (elements)
            constexpr int kLdx = kTokens + 8;           // X stage row stride (elements)
            constexpr int kStageElems = kRows * kLdw + kChunkK * kLdx;
            constexpr int kChunks = \(clusters ?? 1);   // cluster size (LayerNorm)
            constexpr float kEps = \(floatLiteral(shape.layerNormEpsilon));

            """
        let full = constants + ElementCode.tensorCoreHelpers(shape.elementType) + "\n"
            + tensorCoreStaging
            + (clusters == nil ? "" : clusterHelpers) + tensorCoreBody(kind, entry: entry, clustered: clusters != nil)
        let grid = (clusters ?? outputs / rows) * (tokens / g)
        var kernel = source(
            shape, "\(what) tokens-per-block=\(g) rows-per-block=\(rows) k-split=\(ks) chunk-k=\(kc) stages=\(stages)", entryPoint: entry, body: full,
            grid: LaunchDimensions(x: grid), block: LaunchDimensions(x: 32 * warps), sharedBytes: bytes)
        kernel.minimumComputeCapability = ComputeCapability(major: 9, minor: 0)
        kernel.requiredPointerAlignment = 16
        return kernel
    }

    /// The cp.async copies of one chunk of W and of X.
    static let tensorCoreStaging = """
        // W(row0 ..< row0 + kRows, k0 ..< k0 + kChunkK) -> ws (row stride kLdw).
        __device__ __forceinline__ void stage_w(elem_t* ws, const elem_t* __restrict__ w, const int row0, const int k0) {
          for (int i = threadIdx.x; i < kRows * (kChunkK / 8); i += 32 * kWarps) {
            const int r = i / (kChunkK / 8), p = i - r * (kChunkK / 8);
            cp_async16(ws + r * kLdw + p * 8, w + (long long)(row0 + r) * kInputs + k0 + p * 8, 16);
          }
        }
        // X(k0 ..< k0 + kChunkK, t0 ..< t0 + kTokens) -> xs (row stride kLdx).
        __device__ __forceinline__ void stage_x(elem_t* xs, const elem_t* __restrict__ x, const int T, const int t0, const int k0) {
          for (int i = threadIdx.x; i < kChunkK * (kTokens / 8); i += 32 * kWarps) {
            const int k = i / (kTokens / 8), p = i - k * (kTokens / 8);
            cp_async16(xs + k * kLdx + p * 8, x + (long long)(k0 + k) * T + t0 + p * 8, 16);
          }
        }

        """

    static func tensorCoreBody(_ kind: TensorCoreLinear, entry: String, clustered: Bool) -> String {
        let parameters: String, epilogue: String
        switch kind {
        case .projection:
            parameters = "const elem_t* __restrict__ w, const elem_t* __restrict__ x, elem_t* __restrict__ y, const int T"
            epilogue = "y[(long long)(row0 + r) * T + t0 + t] = from_f32(sum);"
        case .biasGELU:
            parameters = "const elem_t* __restrict__ w, const elem_t* __restrict__ bias, const elem_t* __restrict__ x, elem_t* __restrict__ y, const int T"
            epilogue = """
                const float a = sum, b = to_f32(bias[row0 + r]);
                      y[(long long)(row0 + r) * T + t0 + t] = from_f32(\(KernelGen.epilogueExpression(.biasGELU, "a")));
                """
        case .residualLayerNorm:
            parameters = "const elem_t* __restrict__ w, const elem_t* __restrict__ bias, const elem_t* __restrict__ x, "
                + "const elem_t* __restrict__ residual, const elem_t* __restrict__ gamma, const elem_t* __restrict__ beta, elem_t* __restrict__ out, const int T"
            epilogue = "ys[i] = sum + to_f32(bias[row0 + r]) + to_f32(residual[(long long)(row0 + r) * T + t0 + t]);"
        }
        let placement = clustered
            ? """
              const int row0 = (int)cluster_rank() * kRows;
                const int t0 = (blockIdx.x / kChunks) * kTokens;
              """
            : """
              constexpr int kRowTiles = kOutputs / kRows;
                const int row0 = (blockIdx.x % kRowTiles) * kRows;
                const int t0 = (blockIdx.x / kRowTiles) * kTokens;
              """
        let layerNorm = clustered
            ? """
                __syncthreads();
                cluster_layernorm(ys, stats, row0, kRows, gamma, beta, out, T, t0);
              """
            : ""
        return """
            extern "C" __global__ void \(clustered ? "__cluster_dims__(kChunks, 1, 1) " : "")__launch_bounds__(32 * kWarps)
            \(entry)(\(parameters)) {
              extern __shared__ __align__(16) unsigned char smem_raw[];
              elem_t* const stage = reinterpret_cast<elem_t*>(smem_raw);
              float* const part = reinterpret_cast<float*>(smem_raw + kStages * kStageElems * sizeof(elem_t));  // kSplitK x kRows x kTokens
              float* const ys = part + kSplitK * kRows * kTokens;  // kRows x kTokens (LayerNorm)
              float* const stats = ys + kRows * kTokens;           // 4 x kTokens (LayerNorm)
              \(placement)
              const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
              const int mt = warp % kTilesM, kq = warp / kTilesM;
              // W is written by no kernel: its first chunks are copied before the wait.
              for (int s = 0; s < kStages - 1; ++s) stage_w(stage + s * kStageElems, w, row0, s * kChunkK);
              wait_for_previous_grid();
              for (int s = 0; s < kStages - 1; ++s) {
                stage_x(stage + s * kStageElems + kRows * kLdw, x, T, t0, s * kChunkK);
                cp_async_commit();
              }
              float acc[kTilesN][4];
            #pragma unroll
              for (int n = 0; n < kTilesN; ++n) acc[n][0] = acc[n][1] = acc[n][2] = acc[n][3] = 0.0f;
              for (int c = 0; c < kChunksK; ++c) {
                const int next = c + kStages - 1;
                if (next < kChunksK) {
                  elem_t* const s = stage + (next % kStages) * kStageElems;
                  stage_w(s, w, row0, next * kChunkK);
                  stage_x(s + kRows * kLdw, x, T, t0, next * kChunkK);
                }
                cp_async_commit();
                cp_async_wait<kStages - 1>();  // chunk c has landed
                __syncthreads();
                const elem_t* const ws = stage + (c % kStages) * kStageElems;
                const elem_t* const xs = ws + kRows * kLdw;
            #pragma unroll
                for (int kk = kq; kk < kChunkK / 16; kk += kSplitK) {
                  unsigned a[4];
                  ldsm_x4(a[0], a[1], a[2], a[3], ws + (mt * 16 + (lane & 15)) * kLdw + kk * 16 + (lane >> 4) * 8);
            #pragma unroll
                  for (int n = 0; n < kTilesN; n += 2) {
                    unsigned b0, b1, b2, b3;
                    ldsm_x4_trans(b0, b1, b2, b3, xs + (kk * 16 + (lane & 15)) * kLdx + n * 8 + (lane >> 4) * 8);
                    mma16816(acc[n], a, b0, b1);
                    mma16816(acc[n + 1], a, b2, b3);
                  }
                }
                __syncthreads();  // the stage is free for the copy of chunk c + kStages
              }
              float* const mine = part + kq * kRows * kTokens;
            #pragma unroll
              for (int n = 0; n < kTilesN; ++n) {
                const int r = mt * 16 + (lane >> 2), t = n * 8 + (lane & 3) * 2;
                mine[r * kTokens + t] = acc[n][0];
                mine[r * kTokens + t + 1] = acc[n][1];
                mine[(r + 8) * kTokens + t] = acc[n][2];
                mine[(r + 8) * kTokens + t + 1] = acc[n][3];
              }
              __syncthreads();
              for (int i = threadIdx.x; i < kRows * kTokens; i += 32 * kWarps) {
                const int r = i / kTokens, t = i - r * kTokens;
                float sum = 0.0f;
            #pragma unroll
                for (int q = 0; q < kSplitK; ++q) sum += part[q * kRows * kTokens + i];
                \(epilogue)
              }
            \(layerNorm)
            }

            """
    }
}

import SparseFormats

// The whole encoder forward in one persistent kernel (fp16; mma.m16n8k16, so sm_80 and later:
// NVRTC compiles it for sm_80 and sm_90 in the tests, but it has run only on an H200): a block per SM, every stage
// of every layer one after another, a grid-wide barrier between stages. At MiniLM batch 1 x 128
// each kernel of the multi-kernel forms costs ~4 us in a CUDA graph, most of it launch ramp,
// tail and the dependent-launch hand-over, not work (docs/perf/2026-12-01-h200-session8: 5-7 k
// SM-active cycles of 11-21 k elapsed). Here a stage boundary costs one barrier instead.
//
// Layout (private to the kernel; only `ids`, `typeIds`, `mask` and `pooled` are shared with the
// other forms): activations token-major, row t of `x` (T x H), `qk` (T x 2H: queries, keys),
// `context` (T x H), `inter` (T x I) holds token t's features; `sums` (T x H, fp32) holds the
// pre-LayerNorm sums; `valuesT` (H x T) holds the values feature-major, so attention's P V reads
// them as the mma's column-major B. W (N x K, row-major, as checkpoints store it) is the mma's
// column-major B of Y = X W^T.
//
// Stages (one barrier after each; 1 + 7 L barriers in all):
//   embed     x = LayerNorm(word[id] + position[s] + type[tt])                 a warp a token
//   per layer:
//   qkv       qk, valuesT = x Wqkv^T + bqkv                                   GEMM tiles
//   attend    context = softmax(q k^T / sqrt(D) + mask) v                     16 queries of a head over 4 warps
//   output    sums = context Wo^T + bo + x                                     GEMM tiles
//   norm1     x = LayerNorm(sums)                                              a warp a token
//   up        inter = GELU(x W1^T + b1) (erf)                                  GEMM tiles
//   down      sums = inter W2^T + b2 + x                                       GEMM tiles
//   norm2     x = LayerNorm(sums)                                              a warp a token
//             (the last norm2 also adds each real token's row to fp32 pooled sums, 8 tokens a block
//             summed in shared memory, then atomics: the order of the additions, and so the last
//             bits of the pooled mean, vary between runs)
//   pool      pooled = normalise(pooled sums / real tokens)                     a block a text
//
// GEMM tile (desk check). A tile is TM tokens x TN features of one linear layer, computed by the
// block's 8 warps: TN / 32 feature groups x KP = 8 / (TN / 32) k parts; warp (group g, part p)
// runs mma.m16n8k16 over TM / 16 m16 tiles x 4 n8 tiles (its 32 features) for k in
// [p K / KP, (p + 1) K / KP), fragments loaded straight from global memory (L2) into registers,
// no shared-memory staging: A and W rows are read 16 bytes a thread (8 when a k part is not a
// multiple of 32: chunks of 16, k 4t .. 4t + 3). The k order inside each
// 32-wide chunk is permuted the same way for A and W (thread t of a quad holds physical k
// 8t .. 8t + 7: the first four are logical {2t, 2t + 1, 2t + 8, 2t + 9} of the chunk's first
// k16 step, the last four those of its second), and a dot product does not depend on the order
// of its terms. The KP partial tiles meet in shared memory (fp32), and the block's 256 threads
// add them in order p = 0, 1, ... and apply the stage's epilogue, features fastest.
//
// Barrier (desk check): one counter, zeroed before every launch with the pooled sums (the
// launcher's memset, a node of the graph). At its n-th barrier each block, after `__syncthreads`,
// adds its arrival from thread 0 with a release reduction (the block's writes, ordered before it
// by the block barrier, become visible with it; no value comes back, so nothing waits for the
// atomic) and spins with acquire loads (from L2) until the count reaches n x grid;
// `__syncthreads` then releases the block, and every other block's writes before the barrier are
// visible to all its threads. (A self-resetting generation barrier with full fences, then with
// acquire / release atomics, cost 2.7-3 us a stage at least on an H200; this one 2.0.) Every
// block must be resident at once: the grid is at most one block per SM (the launcher's job:
// ``persistentEncoder``'s `blocks`), and the source asks for a cooperative launch, which the
// driver refuses (an error, not a hang) when the grid cannot be resident. Buffers written by the kernel are read with plain loads or
// `__ldcg`, never `__ldg`: L1 is not coherent across SMs, and the barrier's release / acquire is
// what makes other blocks' writes visible.

/// The geometry of the persistent encoder kernel (``EncoderKernels/persistentEncoder(_:layers:intermediate:batch:blocks:config:)``).
package struct EncoderPersistentConfig: Sendable, Hashable, Codable {
    /// Tokens a tile of the QKV and FFN-up GEMMs (16 or 32) and of the attention-output and
    /// FFN-down GEMMs (16 or 32).
    package var wideTokens: Int
    package var narrowTokens: Int
    /// Features a tile of the QKV / FFN-up GEMMs and of the attention-output / FFN-down GEMMs
    /// (32, 64, 128 or 256: one to eight warp groups of 32).
    package var wideFeatures: Int
    package var narrowFeatures: Int
    package init(wideTokens: Int = 32, wideFeatures: Int = 64, narrowTokens: Int = 16, narrowFeatures: Int = 32) {
        self.wideTokens = wideTokens
        self.wideFeatures = wideFeatures
        self.narrowTokens = narrowTokens
        self.narrowFeatures = narrowFeatures
    }

    package static let tokenTiles = [16, 32]
    package static let featureTiles = [32, 64, 128, 256]
    /// Warps a block.
    package static let warps = 8

    package var identifier: String { "w\(wideTokens)x\(wideFeatures)n\(narrowTokens)x\(narrowFeatures)" }
}

/// Why the persistent encoder kernel refuses a shape or configuration.
package enum EncoderPersistentError: Error, Equatable, Sendable, CustomStringConvertible {
    case elementType(ElementType)
    case headSize(Int)
    case hiddenNotMultipleOf128(Int)
    case tokenTile(Int)
    case featureTile(Int)
    case featuresNotDivisible(features: Int, tile: Int)
    case kPartNotMultipleOf16(inputs: Int, parts: Int)
    case tokensNotDivisible(tokens: Int, tile: Int)
    case noBlocks

    package var description: String {
        switch self {
        case let .elementType(type): "the persistent encoder kernel runs f16 only (mma.m16n8k16), not \(type.rawValue)"
        case let .hiddenNotMultipleOf128(h): "hidden size \(h) is not a multiple of 128 (a warp's LayerNorm takes 4 features a lane in 16-byte loads)"
        case let .headSize(d): "head size \(d): the persistent kernel's attention takes 32 (one k32 chunk of the mma)"
        case let .tokenTile(t): "token tile \(t): 16 or 32 (m16 tiles of the mma)"
        case let .featureTile(f): "feature tile \(f): 32, 64, 128 or 256 (groups of 32 a warp, at most 8 warps)"
        case let .featuresNotDivisible(features, tile): "\(features) features are not a multiple of the \(tile)-feature tile"
        case let .kPartNotMultipleOf16(inputs, parts): "K = \(inputs) over \(parts) k parts is not a multiple of 16 a part (one k16 step of the mma)"
        case let .tokensNotDivisible(tokens, tile): "\(tokens) tokens are not a multiple of the \(tile)-token tile"
        case .noBlocks: "the persistent kernel needs at least one block"
        }
    }
}

extension EncoderKernels {
    /// Entries of the per-layer pointer table the persistent kernel reads (`unsigned long long`
    /// each, in this order, `layers x 12` in all): Wqkv (3H x H), bqkv, Wo (H x H), bo, LayerNorm 1
    /// gamma, beta, W1 (I x H), b1, W2 (H x I), b2, LayerNorm 2 gamma, beta. Every pointer is
    /// fp16 and 16-byte aligned.
    package static let persistentTableEntries = 12

    /// Bytes of the kernel's private buffers for `tokens` tokens and `layers` layers: x, qk,
    /// valuesT, context (fp16), sums (fp32), inter (fp16), the timeline (one more
    /// `unsigned long long` than ``persistentStages(layers:)`` has stages: block 0's
    /// `%globaltimer` in ns at the start and after each stage; room for the longer list), each
    /// region 256-byte aligned; `offsets` gives where each starts.
    package static func persistentWorkspace(hidden: Int, intermediate: Int, tokens: Int, layers: Int) -> (offsets: [Int], bytes: Int) {
        let sizes = [
            hidden * tokens * 2, 2 * hidden * tokens * 2, hidden * tokens * 2, hidden * tokens * 2, hidden * tokens * 4, intermediate * tokens * 2,
            8 * (persistentStages(layers: layers).count + 1),
        ]
        var offsets: [Int] = [], position = 0
        for size in sizes {
            offsets.append(position)
            position += (size + 255) / 256 * 256
        }
        return (offsets, position)
    }

    /// Words of the buffer zeroed before every launch: the grid barrier's counter, then the pooled
    /// sums (fp32, batch x hidden) the last LayerNorm adds each real token's row to.
    package static func persistentZeroedWords(batch: Int, hidden: Int) -> Int { 1 + batch * hidden }

    /// The kernel's stages in order, each ended by a grid barrier (the last by the kernel's end):
    /// what the timeline's intervals are. Names: embed; per layer qkv, attend, output, norm1, up,
    /// down, norm2 (the last also adds each real token's row to the pooled sums); pool.
    package static func persistentStages(layers: Int) -> [String] {
        ["embed"] + (0..<layers).flatMap { _ in ["qkv", "attend", "output", "norm1", "up", "down", "norm2"] } + ["pool"]
    }

    /// Why the persistent kernel does not serve a model of `hidden` features in `heads` heads in
    /// `type` (nil: it does): fp16 only, heads of 32, hidden a multiple of 128.
    package static func persistentRefusal(hidden: Int, heads: Int, type: ElementType) -> EncoderPersistentError? {
        guard type == .f16 else { return .elementType(type) }
        guard heads > 0, hidden % heads == 0, hidden / heads == 32 else { return .headSize(heads > 0 ? hidden / heads : 0) }
        guard hidden % 128 == 0 else { return .hiddenNotMultipleOf128(hidden) }
        return nil
    }

    /// The persistent encoder kernel for `layers` BERT layers of `shape` (fp16, head size 32),
    /// FFN width `intermediate`, `batch` rows of `shape.bucket` tokens, on a grid of `blocks`
    /// blocks of 256 threads (at most one a multiprocessor, so that all are resident: the
    /// barrier spins; the source asks for a cooperative launch, ``KernelSource/coResidentGrid``,
    /// which fails rather than hangs when the device cannot hold them all). Arguments, in order: ids (int*), typeIds (int*), mask (int*), word,
    /// position, tokenType (elem_t*: the embedding tables), embedding LayerNorm gamma, beta
    /// (elem_t*), table (unsigned long long*: ``persistentTableEntries`` a layer), workspace
    /// (unsigned char*: ``persistentWorkspace(hidden:intermediate:tokens:layers:)``), barrier
    /// (unsigned*: ``persistentZeroedWords(batch:hidden:)``, zero at every launch: the barrier's
    /// counter, then the pooled sums), pooled (float*, batch x H, L2-normalised means).
    package static func persistentEncoder(
        _ shape: EncoderShape, layers: Int, intermediate: Int, batch: Int, blocks: Int, config: EncoderPersistentConfig
    ) throws(EncoderPersistentError) -> KernelSource {
        if let refusal = persistentRefusal(hidden: shape.hidden, heads: shape.heads, type: shape.elementType) { throw refusal }
        guard blocks >= 1 else { throw .noBlocks }
        let h = shape.hidden, t = batch * shape.bucket
        // (tokens, features, inputs, outputs) of each GEMM.
        let gemms = [
            (config.wideTokens, config.wideFeatures, h, 3 * h), (config.narrowTokens, config.narrowFeatures, h, h),
            (config.wideTokens, config.wideFeatures, h, intermediate), (config.narrowTokens, config.narrowFeatures, intermediate, h),
        ]
        for (tokens, features, inputs, outputs) in gemms {
            guard EncoderPersistentConfig.tokenTiles.contains(tokens) else { throw .tokenTile(tokens) }
            guard EncoderPersistentConfig.featureTiles.contains(features) else { throw .featureTile(features) }
            guard outputs % features == 0 else { throw .featuresNotDivisible(features: outputs, tile: features) }
            let parts = EncoderPersistentConfig.warps / (features / 32)
            guard inputs % (16 * parts) == 0 else { throw .kPartNotMultipleOf16(inputs: inputs, parts: parts) }
            guard t % tokens == 0 else { throw .tokensNotDivisible(tokens: t, tile: tokens) }
        }
        let (offsets, _) = persistentWorkspace(hidden: h, intermediate: intermediate, tokens: t, layers: layers)
        // The GEMMs' partial tiles (rows of TN + 1), attention's parts (20 floats a lane), or the
        // last LayerNorm's 8 rows.
        let reduceFloats = max(EncoderPersistentConfig.warps * max(32 * 20, h), gemms.map { $0.0 * ($0.1 + 1) * (EncoderPersistentConfig.warps / ($0.1 / 32)) }.max() ?? 0)
        let attentionGroup = 4
        let entry = "sparrow_persistent_encoder_f16_h\(h)_l\(layers)_b\(batch)_s\(shape.bucket)_\(config.identifier)"
        let body = """
            constexpr int kH = \(h), kI = \(intermediate), kHeads = \(shape.heads), kD = 32;
            constexpr int kS = \(shape.bucket), kB = \(batch), kT = kB * kS, kLayers = \(layers);
            constexpr int kMaxPosition = \(shape.maxPositions - 1);
            constexpr float kEps = \(floatLiteral(shape.layerNormEpsilon));
            constexpr int kWarps = 8, kThreads = 256;
            constexpr int kReduceFloats = \(reduceFloats);
            // Softmax in base 2: scores scaled by log2(e) / sqrt(D).
            #define kNegativeInfinity __int_as_float(0xff800000)
            constexpr float kScoreScale = 1.4426950408889634f * \(floatLiteral(1 / Double(32).squareRoot()));

            \(ElementCode.tensorCoreHelpers(.f16))

            __device__ __forceinline__ float warp_sum(float v) {
            #pragma unroll
              for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
              return v;
            }

            // Block 0's thread 0 writes %globaltimer (ns) into timeline[i]: the stage timeline.
            __device__ __forceinline__ void mark(unsigned long long* timeline, int i) {
              if (blockIdx.x == 0 && threadIdx.x == 0) {
                unsigned long long now;
                asm volatile("mov.u64 %0, %globaltimer;" : "=l"(now));
                timeline[i] = now;
              }
            }

            __device__ __forceinline__ unsigned load_acquire(const unsigned* p) {
              unsigned v;
              asm volatile("ld.acquire.gpu.global.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
              return v;
            }
            // The grid barrier (see the file's desk check): the n-th call waits for n x grid arrivals.
            __device__ __forceinline__ void grid_barrier(unsigned* count, unsigned target) {
              __syncthreads();
              if (threadIdx.x == 0) {
                asm volatile("red.release.gpu.global.add.u32 [%0], %1;" :: "l"(count), "r"(1u) : "memory");
                while (load_acquire(count) < target) { }
              }
              __syncthreads();
            }

            // One token's LayerNorm by one warp: v holds features lane * 4 + 128 i + (0..3).
            constexpr int kPerLane = kH / 128;
            // (mean, 1 / sqrt(variance + eps)) of one token's features, two passes over registers.
            __device__ __forceinline__ float2 row_stats(const float (&v)[kPerLane][4]) {
              float s = 0.0f;
            #pragma unroll
              for (int i = 0; i < kPerLane; ++i) s += v[i][0] + v[i][1] + v[i][2] + v[i][3];
              const float mean = warp_sum(s) * (1.0f / kH);
              float q = 0.0f;
            #pragma unroll
              for (int i = 0; i < kPerLane; ++i)
            #pragma unroll
                for (int j = 0; j < 4; ++j) { const float d = v[i][j] - mean; q += d * d; }
              return make_float2(mean, rsqrtf(warp_sum(q) * (1.0f / kH) + kEps));
            }

            // One token's row of fp32 sums (row-major, kH wide) into v, lane's features as above.
            __device__ __forceinline__ void load_row(const float* row, float (&v)[kPerLane][4]) {
              const int lane = threadIdx.x & 31;
            #pragma unroll
              for (int i = 0; i < kPerLane; ++i) {
                const float4 a = *reinterpret_cast<const float4*>(row + 128 * i + 4 * lane);
                v[i][0] = a.x; v[i][1] = a.y; v[i][2] = a.z; v[i][3] = a.w;
              }
            }

            // One token's LayerNorm by one warp into out (fp16); with `keep`, also the fp16 values
            // written, as floats, into keep[0 .. kH).
            __device__ __forceinline__ void warp_layer_norm(float (&v)[kPerLane][4], const __half* gamma, const __half* beta, __half* out, float* keep = nullptr) {
              const float2 st = row_stats(v);
              const float mean = st.x, rstd = st.y;
              const int lane = threadIdx.x & 31;
            #pragma unroll
              for (int i = 0; i < kPerLane; ++i) {
                const int f = 128 * i + 4 * lane;
                const uint2 g = *reinterpret_cast<const uint2*>(gamma + f), b = *reinterpret_cast<const uint2*>(beta + f);
                uint2 o;
                o.x = pack2((v[i][0] - mean) * rstd * lo_f32(g.x) + lo_f32(b.x), (v[i][1] - mean) * rstd * hi_f32(g.x) + hi_f32(b.x));
                o.y = pack2((v[i][2] - mean) * rstd * lo_f32(g.y) + lo_f32(b.y), (v[i][3] - mean) * rstd * hi_f32(g.y) + hi_f32(b.y));
                *reinterpret_cast<uint2*>(out + f) = o;
                if (keep) *reinterpret_cast<float4*>(keep + f) = make_float4(lo_f32(o.x), hi_f32(o.x), lo_f32(o.y), hi_f32(o.y));
              }
            }

            // Fragments of one k chunk a thread loads: 32 k (two k16 steps) as 16 bytes, or 16 k as 8.
            template <int KC> struct ChunkType { typedef uint4 type; };
            template <> struct ChunkType<16> { typedef uint2 type; };
            // c += A B over one chunk, from the rows g and g + 8 of A and the row g of W (permuted k).
            __device__ __forceinline__ void mma_chunk(float (&c)[4], const uint4& a0, const uint4& a1, const uint4& b) {
              const unsigned lo[4] = {a0.x, a1.x, a0.y, a1.y}, hi[4] = {a0.z, a1.z, a0.w, a1.w};
              mma16816(c, lo, b.x, b.y);
              mma16816(c, hi, b.z, b.w);
            }
            __device__ __forceinline__ void mma_chunk(float (&c)[4], const uint2& a0, const uint2& a1, const uint2& b) {
              const unsigned f[4] = {a0.x, a1.x, a0.y, a1.y};
              mma16816(c, f, b.x, b.y);
            }

            // x[token] = LayerNorm(word[id] + position[s] + type[tt]) by one warp.
            __device__ __forceinline__ void embed_token(const int* ids, const int* typeIds, const __half* word, const __half* position,
                const __half* tokenType, const __half* gamma, const __half* beta, __half* x, int token) {
              const int lane = threadIdx.x & 31;
              const int id = ids[token], tt = typeIds[token], s = min(token % kS, kMaxPosition);
              float v[kPerLane][4];
            #pragma unroll
              for (int i = 0; i < kPerLane; ++i) {
                const int f = 128 * i + 4 * lane;
                const uint2 a = __ldg(reinterpret_cast<const uint2*>(word + (long long)id * kH + f));
                const uint2 b = __ldg(reinterpret_cast<const uint2*>(position + s * kH + f));
                const uint2 c = __ldg(reinterpret_cast<const uint2*>(tokenType + tt * kH + f));
                v[i][0] = lo_f32(a.x) + lo_f32(b.x) + lo_f32(c.x);
                v[i][1] = hi_f32(a.x) + hi_f32(b.x) + hi_f32(c.x);
                v[i][2] = lo_f32(a.y) + lo_f32(b.y) + lo_f32(c.y);
                v[i][3] = hi_f32(a.y) + hi_f32(b.y) + hi_f32(c.y);
              }
              warp_layer_norm(v, gamma, beta, x + (long long)token * kH);
            }

            // The attention-output and FFN-down epilogue: sums = s + bias + x (the residual), fp32.
            __device__ __forceinline__ void residual_sum(float* sums, const __half* x, const __half* bias, int token, int f, float s) {
              const long long e = (long long)token * kH + f;
              const float b = __half2float(bias[f]);
              sums[e] = \(KernelGen.epilogueExpression(.biasResidual, "s", residual: "__half2float(x[e])"));
            }

            // x = LayerNorm(sums) over every token, a warp a token.
            __device__ __forceinline__ void norm_stage(const float* sums, const __half* gamma, const __half* beta, __half* x, int firstWarp, int allWarps) {
              for (int token = firstWarp; token < kT; token += allWarps) {
                float v[kPerLane][4];
                load_row(sums + (long long)token * kH, v);
                warp_layer_norm(v, gamma, beta, x + (long long)token * kH);
              }
            }

            // The last LayerNorm, which also pools: a block takes 8 consecutive tokens (one text's:
            // the bucket is a multiple of 32), a warp each; the real ones' rows (mask != 0) meet in
            // shared memory, and the block adds their sum to pool[text * kH ..] (fp32 atomics, one a
            // feature a block: kS / 8 deep a text).
            __device__ __forceinline__ void norm_pool_stage(const float* sums, const __half* gamma, const __half* beta, __half* x, const int* mask,
                float* pool, float* red) {
              const int warp = threadIdx.x >> 5;
              for (int base = blockIdx.x * kWarps; base < kT; base += gridDim.x * kWarps) {
                const int token = base + warp;
                float* keep = red + warp * kH;
                if (token < kT) {
                  float v[kPerLane][4];
                  load_row(sums + (long long)token * kH, v);
                  warp_layer_norm(v, gamma, beta, x + (long long)token * kH, keep);
                }
                __syncthreads();
                for (int f = threadIdx.x; f < kH; f += kThreads) {
                  float total = 0.0f;
            #pragma unroll
                  for (int w = 0; w < kWarps; ++w) {
                    const int other = base + w;
                    if (other < kT && mask[other] != 0) total += red[w * kH + f];
                  }
                  atomicAdd(pool + (base / kS) * kH + f, total);
                }
                __syncthreads();  // red is reused by the next tokens
              }
            }


            // Y tile [TM tokens x TN features] of A (T x K, row-major, row stride K) times W^T
            // (W: N x K, row-major), partial sums of the KP k parts into red, then epi(token,
            // feature, sum) by every thread, features fastest (tokens fastest in tiles from feature
            // TF on: coalesced stores of a feature-major output). red's rows are TN + 1 floats, so
            // both orders read it without bank conflicts. See the file's desk check; a k part
            // that is not a multiple of 32 runs chunks of 16 (one k16 step, 8 bytes a thread: k
            // 4t .. 4t + 3 hold logical {2t, 2t + 1, 2t + 8, 2t + 9}).
            template <int TM, int TN, int K, int TF, typename Epilogue>
            __device__ __forceinline__ void gemm_tile(const __half* A, const __half* __restrict__ W, int m0, int n0, float* red, Epilogue epi) {
              constexpr int kGroups = TN / 32, kParts = kWarps / kGroups, kPartK = K / kParts;
              constexpr int KC = kPartK % 32 == 0 ? 32 : 16;
              constexpr int kChunks = kPartK / KC, kM = TM / 16;
              constexpr int kMostInFlight = KC == 32 ? 3 : 6;
              constexpr int kBatch = kChunks < kMostInFlight ? kChunks : kMostInFlight;  // chunks in flight at once
              typedef typename ChunkType<KC>::type Chunk;
              const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
              const int group = warp / kParts, part = warp % kParts;
              const int k0 = part * kPartK + (KC / 4) * t;
              float acc[kM][4][4];
            #pragma unroll
              for (int i = 0; i < kM; ++i)
            #pragma unroll
                for (int j = 0; j < 4; ++j)
            #pragma unroll
                  for (int e = 0; e < 4; ++e) acc[i][j][e] = 0.0f;
              const __half* aRow = A + (long long)(m0 + g) * K + k0;
              const __half* wRow = W + (long long)(n0 + 32 * group + g) * K + k0;

            #pragma unroll
              for (int c0 = 0; c0 < kChunks; c0 += kBatch) {
                Chunk a[kBatch][kM][2], b[kBatch][4];
            #pragma unroll
                for (int c = 0; c < kBatch; ++c) {
                  if (c0 + c < kChunks) {
            #pragma unroll
                    for (int i = 0; i < kM; ++i) {
                      a[c][i][0] = *reinterpret_cast<const Chunk*>(aRow + (16 * i) * K + KC * (c0 + c));
                      a[c][i][1] = *reinterpret_cast<const Chunk*>(aRow + (16 * i + 8) * K + KC * (c0 + c));
                    }
            #pragma unroll
                    for (int j = 0; j < 4; ++j) b[c][j] = __ldg(reinterpret_cast<const Chunk*>(wRow + (8 * j) * K + KC * (c0 + c)));
                  }
                }
            #pragma unroll
                for (int c = 0; c < kBatch; ++c) {
                  if (c0 + c < kChunks) {
            #pragma unroll
                    for (int i = 0; i < kM; ++i)
            #pragma unroll
                      for (int j = 0; j < 4; ++j) mma_chunk(acc[i][j], a[c][i][0], a[c][i][1], b[c][j]);
                  }
                }
              }
              // Partial tile of this k part: red[part][row][column], row = token - m0, column = feature - n0.
            #pragma unroll
              for (int i = 0; i < kM; ++i)
            #pragma unroll
                for (int j = 0; j < 4; ++j) {
                  const int column = 32 * group + 8 * j + 2 * t;
                  float* r0 = red + (part * TM + 16 * i + g) * (TN + 1) + column;
                  float* r1 = r0 + 8 * (TN + 1);
                  r0[0] = acc[i][j][0]; r0[1] = acc[i][j][1];
                  r1[0] = acc[i][j][2]; r1[1] = acc[i][j][3];
                }
              __syncthreads();
              const bool tokensFastest = n0 >= TF;
              for (int e = threadIdx.x; e < TM * TN; e += kThreads) {
                const int row = tokensFastest ? e % TM : e / TN, column = tokensFastest ? e / TM : e % TN;
                float s = 0.0f;
            #pragma unroll
                for (int p = 0; p < kParts; ++p) s += red[(p * TM + row) * (TN + 1) + column];
                epi(m0 + row, n0 + column, s);
              }
              __syncthreads();  // red is reused by the next tile
            }

            template <int TM, int TN, int N, int K, int TF = N, typename Epilogue>
            __device__ __forceinline__ void gemm(const __half* A, const __half* __restrict__ W, float* red, Epilogue epi) {
              constexpr int kTiles = (kT / TM) * (N / TN);
              for (int tile = blockIdx.x; tile < kTiles; tile += gridDim.x)
                gemm_tile<TM, TN, K, TF>(A, W, (tile / (N / TN)) * TM, (tile % (N / TN)) * TN, red, epi);
            }

            // Attention, an item (16 queries of one head of one text) over kAttentionParts warps, online
            // softmax over chunks of 32 keys; masked keys score -inf, and a row whose keys are all
            // masked writes 0. Warps an item's keys are split over (chunk c of 32 keys to part c % kParts):
            // 4, 2 or 1, dividing the bucket's chunks.
            constexpr int kAttentionParts = (kS / 32) % 4 == 0 ? 4 : (kS / 32) % 2 == 0 ? 2 : 1;
            constexpr int kPartChunks = kS / 32 / kAttentionParts;

            // One part of an attention item (16 queries of one head of one text): its chunks of keys,
            // online softmax; leaves the unnormalised o, the running max m and the row sums l (over
            // the quad) of rows g and g + 8 for the merge.
            __device__ __forceinline__ void attend(const __half* qk, const __half* valuesT, const int* mask, int item, int part,
                float (&o)[4][4], float (&m)[2], float (&l)[2]) {
              const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
              const int chunk = item % (kS / 16), head = (item / (kS / 16)) % kHeads, text = item / (kS / 16 * kHeads);
              const int q0 = text * kS + 16 * chunk;
              const uint4 qa = *reinterpret_cast<const uint4*>(qk + (long long)(q0 + g) * (2 * kH) + head * kD + 8 * t);
              const uint4 qb = *reinterpret_cast<const uint4*>(qk + (long long)(q0 + g + 8) * (2 * kH) + head * kD + 8 * t);
              const unsigned qlo[4] = {qa.x, qb.x, qa.y, qb.y}, qhi[4] = {qa.z, qb.z, qa.w, qb.w};
            #pragma unroll
              for (int j = 0; j < 4; ++j) o[j][0] = o[j][1] = o[j][2] = o[j][3] = 0.0f;
              m[0] = m[1] = kNegativeInfinity;
              l[0] = l[1] = 0.0f;
              // Keys in groups of kGroup chunks of 32: every load of a group (K, mask, V) is issued
              // before its first mma, one L2 round trip a group.
              constexpr int kGroup = kPartChunks < \(attentionGroup) ? kPartChunks : \(attentionGroup);
              for (int kg = 0; kg < kPartChunks; kg += kGroup) {
                uint4 keys[kGroup][4];
                int2 live[kGroup][4];
                unsigned values[kGroup][2][4][2];
            #pragma unroll
                for (int c = 0; c < kGroup; ++c) {
                  if (kg + c >= kPartChunks) break;
                  const int key0 = text * kS + 32 * (part + kAttentionParts * (kg + c));
            #pragma unroll
                  for (int j = 0; j < 4; ++j) {
                    keys[c][j] = *reinterpret_cast<const uint4*>(qk + (long long)(key0 + 8 * j + g) * (2 * kH) + kH + head * kD + 8 * t);
                    live[c][j] = *reinterpret_cast<const int2*>(mask + key0 + 8 * j + 2 * t);
                  }
            #pragma unroll
                  for (int step = 0; step < 2; ++step)
            #pragma unroll
                    for (int j = 0; j < 4; ++j) {
                      const __half* v = valuesT + (long long)(head * kD + 8 * j + g) * kT + key0 + 16 * step + 2 * t;
                      values[c][step][j][0] = *reinterpret_cast<const unsigned*>(v);
                      values[c][step][j][1] = *reinterpret_cast<const unsigned*>(v + 8);
                    }
                }
            #pragma unroll
                for (int c = 0; c < kGroup; ++c) {
                  if (kg + c >= kPartChunks) break;
                  float s[4][4];
            #pragma unroll
                  for (int j = 0; j < 4; ++j) {
                    s[j][0] = s[j][1] = s[j][2] = s[j][3] = 0.0f;
                    mma16816(s[j], qlo, keys[c][j].x, keys[c][j].y);
                    mma16816(s[j], qhi, keys[c][j].z, keys[c][j].w);
            #pragma unroll
                    for (int e = 0; e < 4; ++e) s[j][e] = ((e & 1) ? live[c][j].y : live[c][j].x) ? s[j][e] * kScoreScale : kNegativeInfinity;
                  }
                  float p[4][4];
            #pragma unroll
                  for (int r = 0; r < 2; ++r) {
                    float top = m[r];
            #pragma unroll
                    for (int j = 0; j < 4; ++j) top = fmaxf(top, fmaxf(s[j][2 * r], s[j][2 * r + 1]));
                    top = fmaxf(top, __shfl_xor_sync(0xffffffffu, top, 1));
                    top = fmaxf(top, __shfl_xor_sync(0xffffffffu, top, 2));
                    const float scale = top == kNegativeInfinity ? 1.0f : exp2f(m[r] - top);  // exp2f(-inf) = 0
                    m[r] = top;
                    l[r] *= scale;
            #pragma unroll
                    for (int j = 0; j < 4; ++j) {
                      o[j][2 * r] *= scale;
                      o[j][2 * r + 1] *= scale;
                      p[j][2 * r] = top == kNegativeInfinity ? 0.0f : exp2f(s[j][2 * r] - top);
                      p[j][2 * r + 1] = top == kNegativeInfinity ? 0.0f : exp2f(s[j][2 * r + 1] - top);
                      l[r] += p[j][2 * r] + p[j][2 * r + 1];
                    }
                  }
            #pragma unroll
                  for (int step = 0; step < 2; ++step) {
                    const unsigned pa[4] = {
                      pack2(p[2 * step][0], p[2 * step][1]), pack2(p[2 * step][2], p[2 * step][3]),
                      pack2(p[2 * step + 1][0], p[2 * step + 1][1]), pack2(p[2 * step + 1][2], p[2 * step + 1][3])};
            #pragma unroll
                    for (int j = 0; j < 4; ++j) mma16816(o[j], pa, values[c][step][j][0], values[c][step][j][1]);
                  }
                }
              }
            #pragma unroll
              for (int r = 0; r < 2; ++r) {
                l[r] += __shfl_xor_sync(0xffffffffu, l[r], 1);
                l[r] += __shfl_xor_sync(0xffffffffu, l[r], 2);
              }
            }

            // The attention stage: kWarps / kAttentionParts items a block at a time, each over
            // kAttentionParts warps; the parts' (o, m, l) meet in shared memory (20 floats a lane)
            // and part 0 merges them (rescaled to the largest max; a row whose keys are all masked
            // writes 0) and writes the context, fp16.
            __device__ __forceinline__ void attention_stage(const __half* qk, const __half* valuesT, const int* mask, __half* context, float* red) {
              constexpr int kItems = kB * kHeads * (kS / 16), kPerBlock = kWarps / kAttentionParts;
              const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
              const int slot = warp / kAttentionParts, part = warp % kAttentionParts;
              for (int base = blockIdx.x * kPerBlock; base < kItems; base += gridDim.x * kPerBlock) {
                const int item = base + slot;
                float o[4][4], m[2], l[2];
                if (item < kItems) attend(qk, valuesT, mask, item, part, o, m, l);
                float* mine = red + (warp * 32 + lane) * 20;
            #pragma unroll
                for (int j = 0; j < 4; ++j)
            #pragma unroll
                  for (int e = 0; e < 4; ++e) mine[4 * j + e] = o[j][e];
                mine[16] = m[0]; mine[17] = m[1]; mine[18] = l[0]; mine[19] = l[1];
                __syncthreads();
                if (part == 0 && item < kItems) {
                  float top[2] = {kNegativeInfinity, kNegativeInfinity};
            #pragma unroll
                  for (int p = 0; p < kAttentionParts; ++p) {
                    const float* theirs = red + ((warp + p) * 32 + lane) * 20;
                    top[0] = fmaxf(top[0], theirs[16]);
                    top[1] = fmaxf(top[1], theirs[17]);
                  }
                  float sum[2] = {0.0f, 0.0f}, acc[4][4] = {};
            #pragma unroll
                  for (int p = 0; p < kAttentionParts; ++p) {
                    const float* theirs = red + ((warp + p) * 32 + lane) * 20;
            #pragma unroll
                    for (int r = 0; r < 2; ++r) {
                      const float scale = theirs[16 + r] == kNegativeInfinity ? 0.0f : exp2f(theirs[16 + r] - top[r]);
                      sum[r] += theirs[18 + r] * scale;
            #pragma unroll
                      for (int j = 0; j < 4; ++j) {
                        acc[j][2 * r] += theirs[4 * j + 2 * r] * scale;
                        acc[j][2 * r + 1] += theirs[4 * j + 2 * r + 1] * scale;
                      }
                    }
                  }
                  const float inverse[2] = {sum[0] > 0.0f ? 1.0f / sum[0] : 0.0f, sum[1] > 0.0f ? 1.0f / sum[1] : 0.0f};
                  const int chunk = item % (kS / 16), head = (item / (kS / 16)) % kHeads, text = item / (kS / 16 * kHeads);
                  const int q0 = text * kS + 16 * chunk;
            #pragma unroll
                  for (int j = 0; j < 4; ++j) {
                    __half* c = context + (long long)(q0 + g) * kH + head * kD + 8 * j + 2 * t;
                    *reinterpret_cast<unsigned*>(c) = pack2(acc[j][0] * inverse[0], acc[j][1] * inverse[0]);
                    *reinterpret_cast<unsigned*>(c + 8 * kH) = pack2(acc[j][2] * inverse[1], acc[j][3] * inverse[1]);
                  }
                }
                __syncthreads();  // red is reused by the next items
              }
            }

            extern "C" __global__ void __launch_bounds__(kThreads, 1)
            \(entry)(const int* __restrict__ ids, const int* __restrict__ typeIds, const int* __restrict__ mask,
                const __half* __restrict__ word, const __half* __restrict__ position, const __half* __restrict__ tokenType,
                const __half* __restrict__ embedGamma, const __half* __restrict__ embedBeta,
                const unsigned long long* __restrict__ table, unsigned char* workspace, unsigned* barrier, float* __restrict__ pooled) {
              __shared__ __align__(16) float red[kReduceFloats];
              __half* const x = reinterpret_cast<__half*>(workspace + \(offsets[0]));
              __half* const qk = reinterpret_cast<__half*>(workspace + \(offsets[1]));
              __half* const valuesT = reinterpret_cast<__half*>(workspace + \(offsets[2]));
              __half* const context = reinterpret_cast<__half*>(workspace + \(offsets[3]));
              float* const sums = reinterpret_cast<float*>(workspace + \(offsets[4]));
              __half* const inter = reinterpret_cast<__half*>(workspace + \(offsets[5]));
              unsigned long long* const timeline = reinterpret_cast<unsigned long long*>(workspace + \(offsets[6]));
              int stage = 0;
              unsigned passed = 0;  // grid barriers passed
              float* const poolSums = reinterpret_cast<float*>(barrier + 1);  // batch x kH, zero at launch
              mark(timeline, stage++);
              const int lane = threadIdx.x & 31;
              // Warp-sized work items go to the blocks first (item w on block w % grid), so a stage of
              // fewer items than warps spreads over the SMs.
              const int firstWarp = (threadIdx.x >> 5) * gridDim.x + blockIdx.x, allWarps = gridDim.x * kWarps;

              // embed
              for (int token = firstWarp; token < kT; token += allWarps) embed_token(ids, typeIds, word, position, tokenType, embedGamma, embedBeta, x, token);
              grid_barrier(barrier, ++passed * gridDim.x);
              mark(timeline, stage++);

              for (int layer = 0; layer < kLayers; ++layer) {
                const unsigned long long* w = table + \(persistentTableEntries) * layer;
                const __half* wqkv = reinterpret_cast<const __half*>(w[0]);
                const __half* bqkv = reinterpret_cast<const __half*>(w[1]);
                gemm<\(config.wideTokens), \(config.wideFeatures), 3 * kH, kH, 2 * kH>(x, wqkv, red, [&](int token, int f, float s) {
                  const __half v = __float2half_rn(s + __half2float(bqkv[f]));
                  if (f < 2 * kH) qk[(long long)token * (2 * kH) + f] = v;
                  else valuesT[(long long)(f - 2 * kH) * kT + token] = v;
                });
                grid_barrier(barrier, ++passed * gridDim.x);
                mark(timeline, stage++);

                attention_stage(qk, valuesT, mask, context, red);
                grid_barrier(barrier, ++passed * gridDim.x);
                mark(timeline, stage++);

                const __half* bo = reinterpret_cast<const __half*>(w[3]);
                gemm<\(config.narrowTokens), \(config.narrowFeatures), kH, kH>(context, reinterpret_cast<const __half*>(w[2]), red, [&](int token, int f, float s) {
                  residual_sum(sums, x, bo, token, f, s);
                });
                grid_barrier(barrier, ++passed * gridDim.x);
                mark(timeline, stage++);

                norm_stage(sums, reinterpret_cast<const __half*>(w[4]), reinterpret_cast<const __half*>(w[5]), x, firstWarp, allWarps);
                grid_barrier(barrier, ++passed * gridDim.x);
                mark(timeline, stage++);

                const __half* b1 = reinterpret_cast<const __half*>(w[7]);
                gemm<\(config.wideTokens), \(config.wideFeatures), kI, kH>(x, reinterpret_cast<const __half*>(w[6]), red, [&](int token, int f, float s) {
                  const float b = __half2float(b1[f]);
                  inter[(long long)token * kI + f] = __float2half_rn(\(KernelGen.epilogueExpression(.biasGELU, "s")));
                });
                grid_barrier(barrier, ++passed * gridDim.x);
                mark(timeline, stage++);

                const __half* b2 = reinterpret_cast<const __half*>(w[9]);
                gemm<\(config.narrowTokens), \(config.narrowFeatures), kH, kI>(inter, reinterpret_cast<const __half*>(w[8]), red, [&](int token, int f, float s) {
                  residual_sum(sums, x, b2, token, f, s);
                });
                grid_barrier(barrier, ++passed * gridDim.x);
                mark(timeline, stage++);

                if (layer + 1 < kLayers) norm_stage(sums, reinterpret_cast<const __half*>(w[10]), reinterpret_cast<const __half*>(w[11]), x, firstWarp, allWarps);
                else norm_pool_stage(sums, reinterpret_cast<const __half*>(w[10]), reinterpret_cast<const __half*>(w[11]), x, mask, poolSums, red);
                grid_barrier(barrier, ++passed * gridDim.x);
                mark(timeline, stage++);
              }

              // pool: a block a text: the sums the last LayerNorm added (poolSums) over the text's
              // real tokens, then the L2 norm (sentence-transformers' Normalize, 1e-12 floor).
              for (int text = blockIdx.x; text < kB; text += gridDim.x) {
                const int warp = threadIdx.x >> 5;
                int count = 0;
                for (int s = lane; s < kS; s += 32) count += mask[text * kS + s] != 0;
                count = (int)warp_sum((float)count);
                const float inverse = 1.0f / (float)(count > 0 ? count : 1);
                constexpr int kPoolPer = (kH + kThreads - 1) / kThreads;
                float mean[kPoolPer];
                float squares = 0.0f;
            #pragma unroll
                for (int i = 0; i < kPoolPer; ++i) {
                  const int f = threadIdx.x + kThreads * i;
                  mean[i] = f < kH ? __ldcg(poolSums + text * kH + f) * inverse : 0.0f;
                  squares += mean[i] * mean[i];
                }
                squares = warp_sum(squares);
                if (lane == 0) red[warp] = squares;
                __syncthreads();
                float total = 0.0f;
            #pragma unroll
                for (int w = 0; w < kWarps; ++w) total += red[w];
                const float divisor = fmaxf(sqrtf(total), 1e-12f);
            #pragma unroll
                for (int i = 0; i < kPoolPer; ++i) {
                  const int f = threadIdx.x + kThreads * i;
                  if (f < kH) pooled[text * kH + f] = mean[i] / divisor;
                }
                __syncthreads();
              }
              mark(timeline, stage);
            }

            """
        var kernel = source(
            shape, "persistent encoder layers=\(layers) intermediate=\(intermediate) batch=\(batch) blocks=\(blocks) \(config.identifier)",
            entryPoint: entry, body: body, grid: LaunchDimensions(x: blocks), block: LaunchDimensions(x: 256))
        kernel.requiredPointerAlignment = 16  // 16-byte loads of W, the workspace's rows and the weight table's entries
        kernel.minimumComputeCapability = ComputeCapability(major: 8, minor: 0)  // mma.m16n8k16
        kernel.coResidentGrid = true  // the grid barriers spin: a cooperative launch, or an error
        return kernel
    }
}

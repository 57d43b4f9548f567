import SparseFormats

// The small kernels of a BERT encoder on the GPU, beside the SpMM families: LayerNorm (with the
// embedding gather as its first form), the bias epilogue after a dense GEMM, attention over the
// padding mask, and mean pooling with L2 normalisation. Pure source writers: which kernels run,
// and when, is Runtime's and the encoder's business.
//
// Layout contract (every kernel). Activations are feature-major: a tensor of F features over T
// tokens is F x T row-major, element (f, t) at f * T + t, so that a linear layer Y^T = W X^T is
// the plain SpMM / GEMM Y = W X with n = outputs, k = inputs, m = T. Token t = b * S + s: batch
// row b, position s < S, where S is the bucket (the padded sequence length) and T = B * S.
// Elements are `elem_t` (float or __half) in memory; every sum, mean, variance, softmax and
// dot product runs in fp32. `mask` holds T int32 (1: a real token, 0: padding).

/// The shape constants the encoder kernels are specialised to.
package struct EncoderShape: Sendable, Hashable, Codable {
    package var hidden: Int
    package var heads: Int
    /// Padded sequence length: positions 0 ..< bucket of every batch row.
    package var bucket: Int
    package var layerNormEpsilon: Double
    package var elementType: ElementType
    /// Rows of the position-embedding table; padding positions past it read its last row.
    package var maxPositions: Int

    package init(hidden: Int, heads: Int, bucket: Int, layerNormEpsilon: Double, elementType: ElementType, maxPositions: Int = 512) {
        self.maxPositions = maxPositions
        self.hidden = hidden
        self.heads = heads
        self.bucket = bucket
        self.layerNormEpsilon = layerNormEpsilon
        self.elementType = elementType
    }

    package var headSize: Int { hidden / heads }
}

/// A shape the encoder kernels do not serve.
package enum EncoderShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    case hiddenNotMultipleOf32(Int)
    case headSizeNotMultipleOf32(Int)
    case bucketNotMultipleOf32(Int)
    case bucketTooLong(Int, limit: Int)
    case unsupportedElementType(ElementType)

    package var description: String {
        switch self {
        case let .hiddenNotMultipleOf32(h): "hidden size \(h) is not a multiple of 32 (one warp's lanes per feature group)"
        case let .headSizeNotMultipleOf32(d): "head size \(d) is not a multiple of 32 (the attention kernel gives each lane head / 32 features)"
        case let .bucketNotMultipleOf32(s): "bucket \(s) is not a multiple of 32 (each lane scores bucket / 32 keys)"
        case let .bucketTooLong(s, limit): "bucket \(s) exceeds \(limit): K and V of one head no longer fit in shared memory"
        case let .unsupportedElementType(type): "element type \(type.rawValue): the encoder kernels run f32 and f16"
        }
    }
}

/// The geometry of the fused attention kernel (``EncoderKernels/attention(_:batch:config:)``),
/// and whether it adds the QKV layer's bias itself.
package struct EncoderAttentionConfig: Sendable, Hashable, Codable {
    /// Queries a block takes (its K and V are staged once for all of them).
    package var queriesPerBlock: Int
    /// Warps a block, each taking one query at a time.
    package var warps: Int
    /// Adds the QKV bias to queries, keys and values as they are read.
    package var qkvBias: Bool

    package init(queriesPerBlock: Int, warps: Int, qkvBias: Bool) {
        precondition(queriesPerBlock >= 1 && (1...32).contains(warps), "attention: \(queriesPerBlock) queries, \(warps) warps a block")
        self.queriesPerBlock = queriesPerBlock
        self.warps = warps
        self.qkvBias = qkvBias
    }

    /// 16 queries, 4 warps, no bias: the first version's geometry.
    package static let standard = EncoderAttentionConfig(
        queriesPerBlock: EncoderKernels.queriesPerBlock, warps: EncoderKernels.attentionWarps, qkvBias: false)
}

/// Writes the encoder's small kernels. Each rendered source's first line names what it was
/// generated for; the arguments are bound by position, in the order each renderer documents.
package enum EncoderKernels {
    /// Longest bucket the attention kernel takes (K and V of one head in fp32 shared memory).
    package static let maximumBucket = 512
    /// Queries per attention block, and warps per attention block.
    package static let queriesPerBlock = 16
    package static let attentionWarps = 4

    /// Refuses shapes the kernels do not serve.
    package static func validate(_ shape: EncoderShape) throws(EncoderShapeError) {
        guard shape.hidden % 32 == 0 else { throw .hiddenNotMultipleOf32(shape.hidden) }
        guard shape.headSize % 32 == 0, shape.hidden % shape.heads == 0 else { throw .headSizeNotMultipleOf32(shape.headSize) }
        guard shape.bucket % 32 == 0 else { throw .bucketNotMultipleOf32(shape.bucket) }
        guard shape.bucket <= maximumBucket else { throw .bucketTooLong(shape.bucket, limit: maximumBucket) }
        guard shape.elementType == .f32 || shape.elementType == .f16 else { throw .unsupportedElementType(shape.elementType) }
    }

    static func prelude(_ type: ElementType) -> String {
        """
        \(ElementCode.includes(type))typedef \(ElementCode.cType(type)) elem_t;
        \(ElementCode.conversions(type))

        // Every encoder kernel calls this first, before it reads anything.
        \(KernelSource.waitForPreviousGridFunction)
        """
    }

    static func source(
        _ shape: EncoderShape, _ what: String, entryPoint: String, body: String, grid: LaunchDimensions,
        block: LaunchDimensions, sharedBytes: Int = 0
    ) -> KernelSource {
        source(
            type: shape.elementType, "\(what): hidden=\(shape.hidden) heads=\(shape.heads) bucket=\(shape.bucket)",
            entryPoint: entryPoint, body: body, grid: grid, block: block, sharedBytes: sharedBytes)
    }

    static func source(
        type: ElementType, _ what: String, entryPoint: String, body: String, grid: LaunchDimensions,
        block: LaunchDimensions, sharedBytes: Int = 0
    ) -> KernelSource {
        let header = """
            // sparrow encoder kernel \(what) dtype=\(type.rawValue) grid=\(grid) block=\(block) smem=\(sharedBytes)
            // sparrow kernelgen v\(KernelGen.generatorVersion) encoder kernels (KernelGen/Elementwise/EncoderKernels.swift)

            """
        return KernelSource(
            source: header + prelude(type) + "\n" + body, entryPoint: entryPoint, grid: grid, block: block,
            dynamicSharedMemoryBytes: sharedBytes, parameters: [], minimumComputeCapability: ComputeCapability(major: 7, minor: 0),
            requiredPointerAlignment: 4, generatorVersion: KernelGen.generatorVersion)
    }

    /// Feature groups of the LayerNorm block: the largest of 32, 16, 8 dividing `hidden` (a block
    /// of at most 1024 threads; more threads a token shorten the chain of loads each one waits
    /// for, which is what a batch of one sequence is bound by), each thread keeping hidden / G
    /// features in registers between the two passes.
    package static func layerNormGroups(hidden: Int) -> Int {
        [32, 16, 8].first { hidden % $0 == 0 } ?? 1
    }

    /// LayerNorm over each token's `hidden` features, feature-major, in place allowed.
    ///
    /// Desk check: block (32, G), G = ``layerNormGroups(hidden:)`` (validation: hidden % 32 == 0,
    /// so G = 32 and P = H / 32), grid ceil(T / 32); thread
    /// (tx, ty) owns token t = blockIdx.x * 32 + tx and features f = ty * P + i, i < P = H / G,
    /// P values in registers. Pass 1: partial sums -> shared red[ty][tx]; every thread of column tx
    /// adds the G partials in order ty = 0, 1, ... (the same order for all: one mean). Pass 2 does
    /// the same for sum (v - mean)^2 (two-pass variance, no cancellation). Then out(f, t) =
    /// (v - mean) * rsqrt(var + eps) * gamma[f] + beta[f]. Tokens t >= T read nothing, write
    /// nothing but still reach both barriers. Each thread writes only the elements it read, so
    /// `out` may be `x`. For fixed i the 32 lanes of a warp read 32 consecutive tokens: coalesced.
    ///
    /// Gather form (`gather`: the embeddings): v = word[ids[t], f] + position[min(t % S, P - 1), f] +
    /// type[typeIDs[t], f] (P: the position table's rows; only padding positions can pass it, when
    /// the bucket is longer than the table), tables row-major (rows x H) in elem_t; each thread reads P consecutive
    /// features of its rows. Arguments: ids, typeIDs (int*), word, position, type (elem_t*),
    /// gamma, beta (elem_t*), out (elem_t*), T (int).
    /// Plain form arguments: x (elem_t*), gamma, beta (elem_t*), out (elem_t*), T (int).
    package static func layerNorm(_ shape: EncoderShape, tokens: Int, gather: Bool) -> KernelSource {
        layerNorm(shape, tokens: tokens, input: gather ? .gather : .plain)
    }

    /// What a LayerNorm kernel normalises (see ``layerNorm(_:tokens:input:)``).
    package enum LayerNormInput: String, Sendable, Hashable, Codable {
        /// x(f, t).
        case plain
        /// The embeddings: word + position + token type, gathered by id.
        case gather
        /// A linear layer's output before its epilogue: y(f, t) + bias[f] + residual(f, t) (the
        /// bias + residual epilogue and the LayerNorm after it, one kernel).
        case biasResidual = "bias_residual"
    }

    /// Tokens a LayerNorm block may take: 32 (one warp's lanes over 32 tokens, the first
    /// geometry) or fewer, for more blocks when a batch has few tokens (at batch 1 x 128 on an
    /// H200, 8 a block took 29 us off the forward: docs/perf/2026-11-30-h200-minilm2).
    package static let layerNormTokensPerBlock = [32, 16, 8, 4, 2]

    /// LayerNorm of `input`'s form, `tokensPerBlock` (one of ``layerNormTokensPerBlock``) tokens
    /// a block; see ``layerNorm(_:tokens:gather:)`` for the desk check, which holds with 32
    /// replaced by `tokensPerBlock` = B: block (B, G), grid ceil(T / B), token t = blockIdx.x * B
    /// + tx. With B < 32 a warp spans 32 / B feature groups, and for fixed i reads B consecutive
    /// tokens of each of those rows (B = 8 in fp16: 16 bytes of a 32-byte sector; B = 2: 4 bytes).
    ///
    /// Bias + residual form: v = y(f, t) + bias[f] + residual(f, t), summed in fp32 with no
    /// rounding to elem_t between the linear layer and the norm; each thread reads y and residual
    /// only at the elements it writes, so `out` may be `y` or `residual` (neither is
    /// `__restrict__`). Arguments: y (elem_t*), bias (elem_t*), residual (elem_t*), gamma, beta
    /// (elem_t*), out (elem_t*), T (int).
    package static func layerNorm(_ shape: EncoderShape, tokens: Int, input: LayerNormInput, tokensPerBlock: Int = 32) -> KernelSource {
        precondition(layerNormTokensPerBlock.contains(tokensPerBlock), "LayerNorm: \(tokensPerBlock) tokens a block")
        let h = shape.hidden, b = tokensPerBlock
        let groups = layerNormGroups(hidden: h)
        let per = h / groups
        let name = switch input {
        case .plain: "layernorm"
        case .gather: "embed_layernorm"
        case .biasResidual: "bias_residual_layernorm"
        }
        let entry = "sparrow_\(name)_\(shape.elementType.rawValue)_h\(h)" + (b == 32 ? "" : "_tb\(b)")
        let inputs = switch input {
        case .gather:
            "const int* __restrict__ ids, const int* __restrict__ typeIds, const elem_t* __restrict__ word, "
                + "const elem_t* __restrict__ position, const elem_t* __restrict__ tokenType"
        case .plain: "const elem_t* x"
        case .biasResidual: "const elem_t* y, const elem_t* __restrict__ bias, const elem_t* residual"
        }
        let load = switch input {
        case .gather:
            """
                const int id = ids[t], tt = typeIds[t], s = min(t % kBucket, kMaxPosition);
                #pragma unroll
                    for (int i = 0; i < kPer; ++i) {
                      const int f = ty * kPer + i;
                      v[i] = to_f32(word[(long long)id * kHidden + f]) + to_f32(position[s * kHidden + f]) + to_f32(tokenType[tt * kHidden + f]);
                    }
                """
        case .plain:
            """
                #pragma unroll
                    for (int i = 0; i < kPer; ++i) v[i] = to_f32(x[(long long)(ty * kPer + i) * T + t]);
                """
        case .biasResidual:
            """
                #pragma unroll
                    for (int i = 0; i < kPer; ++i) {
                      const int f = ty * kPer + i;
                      const long long e = (long long)f * T + t;
                      v[i] = to_f32(y[e]) + to_f32(bias[f]) + to_f32(residual[e]);
                    }
                """
        }
        let what = switch input {
        case .plain: "layernorm"
        case .gather: "embeddings + layernorm"
        case .biasResidual: "bias + residual + layernorm"
        }
        let body = """
            constexpr int kHidden = \(h);
            constexpr int kGroups = \(groups);  // feature groups (blockDim.y)
            constexpr int kTokens = \(b);  // tokens a block (blockDim.x)
            constexpr int kPer = \(per);  // features per thread, in registers
            constexpr int kBucket = \(shape.bucket);
            constexpr int kMaxPosition = \(shape.maxPositions - 1);  // last row of the position table
            constexpr float kEps = \(floatLiteral(shape.layerNormEpsilon));

            // Sums red[0..kGroups)[tx] in order ty = 0, 1, ...; every thread of column tx gets the same value.
            __device__ __forceinline__ float column_sum(float (*red)[kTokens], float partial) {
              red[threadIdx.y][threadIdx.x] = partial;
              __syncthreads();
              float s = 0.0f;
            #pragma unroll
              for (int g = 0; g < kGroups; ++g) s += red[g][threadIdx.x];
              __syncthreads();  // red is reused by the next call
              return s;
            }

            extern "C" __global__ void __launch_bounds__(kTokens * kGroups)
            \(entry)(\(inputs), const elem_t* __restrict__ gamma, const elem_t* __restrict__ beta, elem_t* out, const int T) {
              wait_for_previous_grid();
              __shared__ float red[kGroups][kTokens];
              const int ty = threadIdx.y;
              const int t = blockIdx.x * kTokens + threadIdx.x;
              const bool live = t < T;
              float v[kPer];
              float partial = 0.0f;
              if (live) {
            \(load)
            #pragma unroll
                for (int i = 0; i < kPer; ++i) partial += v[i];
              }
              const float mean = column_sum(red, partial) * (1.0f / kHidden);
              partial = 0.0f;
              if (live) {
            #pragma unroll
                for (int i = 0; i < kPer; ++i) { const float d = v[i] - mean; partial += d * d; }
              }
              const float variance = column_sum(red, partial) * (1.0f / kHidden);
              if (!live) return;  // after the last barrier
              const float scale = rsqrtf(variance + kEps);
            #pragma unroll
              for (int i = 0; i < kPer; ++i) {
                const int f = ty * kPer + i;
                out[(long long)f * T + t] = from_f32((v[i] - mean) * scale * to_f32(gamma[f]) + to_f32(beta[f]));
              }
            }

            """
        return source(
            shape, what + (b == 32 ? "" : " tokens-per-block=\(b)"), entryPoint: entry, body: body,
            grid: LaunchDimensions(x: (tokens + b - 1) / b), block: LaunchDimensions(x: b, y: groups))
    }

    /// The epilogue of a dense GEMM, in place: y(f, t) = epilogue(y(f, t)) with bias[f] (and
    /// residual(f, t) for bias + residual), the same expressions as the SpMM families' epilogues.
    ///
    /// Desk check: one thread per element e = blockIdx.x * 256 + threadIdx.x < rows * T, f = e / T;
    /// each element read and written by its own thread only. Arguments: y (elem_t*), bias
    /// (elem_t*), residual (elem_t*, bias + residual only), count = rows * T (int), T (int).
    package static func biasEpilogue(type: ElementType, epilogue: Epilogue, rows: Int, tokens: Int) -> KernelSource {
        precondition(epilogue.hasBias, "the GEMM epilogue kernel adds a bias")
        let entry = "sparrow_gemm_epilogue_\(epilogue.rawValue)_\(type.rawValue)"
        let residual = epilogue.hasResidual ? ", const elem_t* __restrict__ residual" : ""
        let expression = KernelGen.epilogueExpression(epilogue, "to_f32(y[e])", residual: "to_f32(residual[e])")
        let body = """
            extern "C" __global__ void __launch_bounds__(256)
            \(entry)(elem_t* y, const elem_t* __restrict__ bias\(residual), const long long count, const int T) {
              wait_for_previous_grid();
              const long long e = (long long)blockIdx.x * 256 + threadIdx.x;
              if (e >= count) return;
              const float b = to_f32(bias[e / T]);
              y[e] = from_f32(\(expression));
            }

            """
        let count = rows * tokens
        return source(
            type: type, "gemm epilogue \(epilogue.rawValue): rows=\(rows) tokens=\(tokens)", entryPoint: entry, body: body,
            grid: LaunchDimensions(x: (count + 255) / 256), block: LaunchDimensions(x: 256))
    }

    /// Shared memory of one attention block: K and V (S x (D + 1) each) of the head in fp32,
    /// each warp's probabilities (S) and query (D), the mask as floats (S).
    package static func attentionSharedBytes(_ shape: EncoderShape, warps: Int = attentionWarps) -> Int {
        let s = shape.bucket, d = shape.headSize
        return 4 * (2 * s * (d + 1) + warps * (s + d) + s)
    }

    /// Scaled dot-product attention of every head over the padding mask, one kernel, with the
    /// standard geometry (``queriesPerBlock`` queries, ``attentionWarps`` warps) and no bias.
    package static func attention(_ shape: EncoderShape, batch: Int) -> KernelSource {
        attention(shape, batch: batch, config: .standard)
    }

    /// Scaled dot-product attention of every head over the padding mask, one kernel.
    ///
    /// Desk check: grid (ceil(S / Q), heads, B), Q = `config.queriesPerBlock` queries a block,
    /// block W = `config.warps` warps. qkv is (3H) x T feature-major (rows 0 ..< H: queries,
    /// H ..< 2H: keys, 2H ..< 3H: values; head h's features h * D ..< (h + 1) * D of each). With
    /// `config.qkvBias` the QKV layer's bias (3H, the same row order) is added here, as each
    /// query, key and value is read (the QKV GEMM then runs without its epilogue kernel). The
    /// block stages its head's K and V for batch row b into shared memory in fp32, two
    /// consecutive keys of one feature per load (a 2-element vector load: the element index
    /// f * T + b * S + key is even since T, S and key are, so the address is aligned to two
    /// elements); rows padded to D + 1 floats (the two keys' banks (key * (D + 1) + f) % 32
    /// differ, and consecutive threads' keys step by 2: at most 2-way conflicts while staging;
    /// lane j reading key j's feature d hits distinct banks; reading V's row of one key at
    /// features j, j + 32, ... is consecutive) and the mask as an additive term (0 or -1e30;
    /// -1e30, not -inf, keeps a fully padded row finite), then one barrier; nothing is written
    /// to shared K, V or mask afterwards. Warp w takes queries qBase + w, qBase + w + W, ... below
    /// min(qBase + Q, S): loads the query's D features into its own row of sq (plus bias, scaled
    /// by 1 / sqrt(D)), __syncwarp, lane j scores keys j, j + 32, ... (S / 32 of them, in
    /// registers), warp max and sum by shuffles (every lane gets the same values), writes its
    /// exp(score - max) into the warp's sp row, __syncwarp, then lane j sums p[s] V[s, d] over
    /// s = 0 ..< S in order for d = j, j + 32, ... (each p[s] read once for all of the lane's d)
    /// and stores ctx(h * D + d, t) = sum / total. Every lane copies the query into registers
    /// after the __syncwarp, so the score loop reads only K from shared memory. The trailing
    /// __syncwarp keeps the next query from overwriting sq / sp while lanes still read them.
    /// Padding queries are computed like the others (pooling ignores them). Arguments: qkv
    /// (elem_t*), bias (elem_t*, with `qkvBias` only), mask (int*), ctx (elem_t*), T (int).
    package static func attention(_ shape: EncoderShape, batch: Int, config: EncoderAttentionConfig) -> KernelSource {
        let s = shape.bucket, d = shape.headSize, h = shape.hidden
        let q = config.queriesPerBlock, w = config.warps
        let entry = "sparrow_attention_\(shape.elementType.rawValue)_h\(h)_d\(d)_s\(s)_q\(q)_w\(w)\(config.qkvBias ? "_bias" : "")"
        let pairLoad = shape.elementType == .f16
            ? "const unsigned w = *reinterpret_cast<const unsigned*>(p);\n  return make_float2(lo_f32(w), hi_f32(w));"
            : "return *reinterpret_cast<const float2*>(p);"
        let biasParameter = config.qkvBias ? "const elem_t* __restrict__ bias, " : ""
        func bias(_ index: String) -> String { config.qkvBias ? "to_f32(bias[\(index)])" : "0.0f" }
        let body = """
            constexpr int kHidden = \(h);
            constexpr int kHeadSize = \(d);
            constexpr int kBucket = \(s);
            constexpr int kQueries = \(q);
            constexpr int kWarps = \(w);
            constexpr int kKeysPerLane = kBucket / 32;
            constexpr int kFeaturesPerLane = kHeadSize / 32;

            // Elements p[0] and p[1] in fp32; p is aligned to two elements.
            __device__ __forceinline__ float2 load_pair(const elem_t* p) {
              \(pairLoad)
            }

            extern "C" __global__ void __launch_bounds__(32 * kWarps)
            \(entry)(const elem_t* __restrict__ qkv, \(biasParameter)const int* __restrict__ mask, elem_t* __restrict__ ctx, const int T) {
              wait_for_previous_grid();
              extern __shared__ float smem[];
              float* const sk = smem;                                 // kBucket x (kHeadSize + 1)
              float* const sv = sk + kBucket * (kHeadSize + 1);        // kBucket x (kHeadSize + 1)
              float* const sm = sv + kBucket * (kHeadSize + 1);        // kBucket additive mask terms
              float* const sp = sm + kBucket;                          // kWarps x kBucket probabilities
              float* const sq = sp + kWarps * kBucket;                 // kWarps x kHeadSize queries
              const int head = blockIdx.y, b = blockIdx.z;
              const int tokenBase = b * kBucket;
              const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
              const elem_t* const keys = qkv + (long long)(kHidden + head * kHeadSize) * T + tokenBase;
              const elem_t* const values = qkv + (long long)(2 * kHidden + head * kHeadSize) * T + tokenBase;
              for (int i = threadIdx.x; i < (kBucket / 2) * kHeadSize; i += 32 * kWarps) {
                const int key = 2 * (i % (kBucket / 2)), f = i / (kBucket / 2);  // consecutive threads: consecutive key pairs
                const float kb = \(bias("kHidden + head * kHeadSize + f")), vb = \(bias("2 * kHidden + head * kHeadSize + f"));
                const float2 k2 = load_pair(keys + (long long)f * T + key);
                const float2 v2 = load_pair(values + (long long)f * T + key);
                sk[key * (kHeadSize + 1) + f] = k2.x + kb;
                sk[(key + 1) * (kHeadSize + 1) + f] = k2.y + kb;
                sv[key * (kHeadSize + 1) + f] = v2.x + vb;
                sv[(key + 1) * (kHeadSize + 1) + f] = v2.y + vb;
              }
              for (int i = threadIdx.x; i < kBucket; i += 32 * kWarps) sm[i] = mask[tokenBase + i] ? 0.0f : -1e30f;
              __syncthreads();
              float* const p = sp + warp * kBucket;
              float* const q = sq + warp * kHeadSize;
              const float scale = rsqrtf((float)kHeadSize);
              for (int query = blockIdx.x * kQueries + warp; query < (blockIdx.x + 1) * kQueries && query < kBucket; query += kWarps) {
                const elem_t* const qIn = qkv + (long long)(head * kHeadSize) * T + tokenBase + query;
            #pragma unroll
                for (int j = 0; j < kFeaturesPerLane; ++j) {
                  const int f = lane + 32 * j;
                  q[f] = (to_f32(qIn[(long long)f * T]) + \(bias("head * kHeadSize + f"))) * scale;
                }
                __syncwarp();
                float qr[kHeadSize];  // the whole query in every lane's registers
            #pragma unroll
                for (int f = 0; f < kHeadSize; ++f) qr[f] = q[f];
                float score[kKeysPerLane];
                float best = -3.0e38f;
            #pragma unroll
                for (int j = 0; j < kKeysPerLane; ++j) {
                  const float* const k = sk + (lane + 32 * j) * (kHeadSize + 1);
                  float dot = 0.0f;
            #pragma unroll
                  for (int f = 0; f < kHeadSize; ++f) dot = fmaf(qr[f], k[f], dot);
                  score[j] = dot + sm[lane + 32 * j];
                  best = fmaxf(best, score[j]);
                }
            #pragma unroll
                for (int o = 16; o > 0; o >>= 1) best = fmaxf(best, __shfl_xor_sync(0xffffffffu, best, o));
                float total = 0.0f;
            #pragma unroll
                for (int j = 0; j < kKeysPerLane; ++j) {
                  const float e = __expf(score[j] - best);
                  p[lane + 32 * j] = e;
                  total += e;
                }
            #pragma unroll
                for (int o = 16; o > 0; o >>= 1) total += __shfl_xor_sync(0xffffffffu, total, o);
                __syncwarp();
                const float inverse = 1.0f / total;
                float acc[kFeaturesPerLane];
            #pragma unroll
                for (int j = 0; j < kFeaturesPerLane; ++j) acc[j] = 0.0f;
            #pragma unroll 4
                for (int key = 0; key < kBucket; ++key) {
                  const float pk = p[key];  // one broadcast read for every feature of the lane
            #pragma unroll
                  for (int j = 0; j < kFeaturesPerLane; ++j) acc[j] = fmaf(pk, sv[key * (kHeadSize + 1) + lane + 32 * j], acc[j]);
                }
                elem_t* const out = ctx + (long long)(head * kHeadSize) * T + tokenBase + query;
            #pragma unroll
                for (int j = 0; j < kFeaturesPerLane; ++j) out[(long long)(lane + 32 * j) * T] = from_f32(acc[j] * inverse);
                __syncwarp();
              }
            }

            """
        var kernel = source(
            shape, "attention q=\(q) warps=\(w) bias=\(config.qkvBias)", entryPoint: entry, body: body,
            grid: LaunchDimensions(x: (s + q - 1) / q, y: shape.heads, z: batch),
            block: LaunchDimensions(x: 32 * w), sharedBytes: attentionSharedBytes(shape, warps: w))
        kernel.requiredPointerAlignment = 2 * shape.elementType.byteWidth
        return kernel
    }

    /// Rows of scores one softmax block takes (one warp each).
    package static let softmaxRowsPerBlock = 4

    /// The softmax of attention scores computed by batched GEMMs, over the padding mask.
    ///
    /// Desk check: scores are fp32, B * heads * S rows of S (batch-head bh = b * heads + h, query
    /// i: row bh * S + i, key j at column j, as the GEMM K Q^T leaves them). Block 4 warps, grid
    /// ceil(B * heads * S / 4); warp w takes row r = blockIdx.x * 4 + w (rows past the end
    /// return; no barriers). Lane l reads keys l, l + 32, ... (S / 32 of them, coalesced):
    /// v = score / sqrt(D) + (mask[b * S + j] ? 0 : -1e30), warp max and sum by shuffles, and
    /// writes p = exp(v - max) / sum as elem_t to the same place of `probabilities`. Arguments:
    /// scores (float*), mask (int*), probabilities (elem_t*), rows = B * heads * S (int).
    package static func maskedSoftmax(_ shape: EncoderShape, batch: Int) -> KernelSource {
        let s = shape.bucket
        let rows = batch * shape.heads * s
        let entry = "sparrow_masked_softmax_\(shape.elementType.rawValue)_s\(s)_d\(shape.headSize)"
        let body = """
            constexpr int kBucket = \(s);
            constexpr int kHeads = \(shape.heads);
            constexpr int kKeysPerLane = kBucket / 32;
            constexpr int kRows = \(softmaxRowsPerBlock);

            extern "C" __global__ void __launch_bounds__(32 * kRows)
            \(entry)(const float* __restrict__ scores, const int* __restrict__ mask, elem_t* __restrict__ probabilities, const int rows) {
              wait_for_previous_grid();
              const int row = blockIdx.x * kRows + (threadIdx.x >> 5);
              const int lane = threadIdx.x & 31;
              if (row >= rows) return;
              const int b = row / (kHeads * kBucket);
              const float scale = rsqrtf((float)\(shape.headSize));
              const float* const in = scores + (long long)row * kBucket;
              float v[kKeysPerLane];
              float best = -3.0e38f;
            #pragma unroll
              for (int j = 0; j < kKeysPerLane; ++j) {
                const int key = lane + 32 * j;
                v[j] = in[key] * scale + (mask[b * kBucket + key] ? 0.0f : -1e30f);
                best = fmaxf(best, v[j]);
              }
            #pragma unroll
              for (int o = 16; o > 0; o >>= 1) best = fmaxf(best, __shfl_xor_sync(0xffffffffu, best, o));
              float total = 0.0f;
            #pragma unroll
              for (int j = 0; j < kKeysPerLane; ++j) { v[j] = __expf(v[j] - best); total += v[j]; }
            #pragma unroll
              for (int o = 16; o > 0; o >>= 1) total += __shfl_xor_sync(0xffffffffu, total, o);
              const float inverse = 1.0f / total;
              elem_t* const out = probabilities + (long long)row * kBucket;
            #pragma unroll
              for (int j = 0; j < kKeysPerLane; ++j) out[lane + 32 * j] = from_f32(v[j] * inverse);
            }

            """
        return source(
            shape, "masked softmax", entryPoint: entry, body: body,
            grid: LaunchDimensions(x: (rows + softmaxRowsPerBlock - 1) / softmaxRowsPerBlock), block: LaunchDimensions(x: 32 * softmaxRowsPerBlock))
    }

    /// Threads of the pooling block (one warp per feature at a time).
    package static let poolThreads = 1024

    /// Mean pooling over the mask, then (when `normalize`) division by the L2 norm, into fp32.
    ///
    /// Desk check: grid B, block 1024 threads = 32 warps; lane l owns positions s = l, l + 32, ...
    /// (S / 32 of them) of batch row b and keeps their mask bits in registers; count = the warp's
    /// sum of them (every lane and warp gets the same). Warp w takes features f = w, w + 32, ...:
    /// its lanes read x(f, b * S + s) for their positions (consecutive lanes, consecutive tokens:
    /// coalesced), the masked partial sums are reduced by shuffles in a fixed order, and lane 0
    /// stores pooled[f] = sum / max(count, 1) in shared memory and adds its square to the warp's
    /// running total. One barrier; then the 32 warp totals are summed in order by every thread
    /// (one norm), and out[b * H + f] = pooled[f] / max(norm, 1e-12) (sentence-transformers'
    /// Normalize) for f = thread, thread + 1024, ... Arguments: x (elem_t*), mask (int*), out
    /// (float*), T (int).
    package static func meanPool(_ shape: EncoderShape, batch: Int, normalize: Bool) -> KernelSource {
        let h = shape.hidden
        let entry = "sparrow_mean_pool\(normalize ? "_l2" : "")_\(shape.elementType.rawValue)_h\(h)"
        let body = """
            constexpr int kHidden = \(h);
            constexpr int kBucket = \(shape.bucket);
            constexpr int kPositionsPerLane = kBucket / 32;
            constexpr int kWarps = \(poolThreads / 32);

            extern "C" __global__ void __launch_bounds__(\(poolThreads))
            \(entry)(const elem_t* __restrict__ x, const int* __restrict__ mask, float* __restrict__ out, const int T) {
              wait_for_previous_grid();
              __shared__ float pooled[kHidden];
              __shared__ float warpSquares[kWarps];
              const int b = blockIdx.x;
              const int tokenBase = b * kBucket;
              const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
              bool real[kPositionsPerLane];
              int count = 0;
            #pragma unroll
              for (int i = 0; i < kPositionsPerLane; ++i) {
                real[i] = mask[tokenBase + lane + 32 * i] != 0;
                count += real[i];
              }
            #pragma unroll
              for (int o = 16; o > 0; o >>= 1) count += __shfl_xor_sync(0xffffffffu, count, o);
              const float inverse = 1.0f / (float)(count > 0 ? count : 1);
              float squares = 0.0f;
              for (int f = warp; f < kHidden; f += kWarps) {
                const elem_t* const row = x + (long long)f * T + tokenBase + lane;
                float sum = 0.0f;
            #pragma unroll
                for (int i = 0; i < kPositionsPerLane; ++i) if (real[i]) sum += to_f32(row[32 * i]);
            #pragma unroll
                for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o);
                const float value = sum * inverse;
                if (lane == 0) pooled[f] = value;
                squares += value * value;
              }
              if (lane == 0) warpSquares[warp] = squares;
              __syncthreads();
              float total = 0.0f;
            #pragma unroll
              for (int w = 0; w < kWarps; ++w) total += warpSquares[w];
              const float divisor = \(normalize ? "fmaxf(sqrtf(total), 1e-12f)" : "1.0f");
              for (int f = threadIdx.x; f < kHidden; f += \(poolThreads)) out[b * kHidden + f] = pooled[f] / divisor;
            }

            """
        return source(
            shape, "mean pooling", entryPoint: entry, body: body, grid: LaunchDimensions(x: batch), block: LaunchDimensions(x: poolThreads))
    }

    /// A C float literal of `value` with enough digits to round-trip.
    static func floatLiteral(_ value: Double) -> String {
        let text = "\(Float(value))"
        return (text.contains(".") || text.contains("e") ? text : text + ".0") + "f"
    }
}

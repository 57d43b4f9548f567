import SparseFormats

// The Sputnik-class tiled kernel (Gale et al., SC20), as a fixed skeleton with named holes.
//
// Desk check of the index math (S = kSubwarp, R = kRows, T = kTile, V = kVec, C = kChunk,
// SV = kSparseVec, J = kVecsPerThread = T / (V * S), P = kSplit):
//
// Who computes what.
//   P = kSplit (rowSplit). block (bx, by), thread (lane = threadIdx.x in 0..<S, sub = threadIdx.y
//   in 0..<R, part = threadIdx.z in 0..<P). slot = bx * R + sub (grid.x = ceil(n / R) may
//   overshoot: slots >= n are inactive). row = rowOrder[slot] (or slot); a permutation, so each
//   row has exactly one group of P subwarps, and part p of it multiplies segment p of the row.
//   colBase = by * T (grid.y = ceil(m / T)).
//   For j in 0..<J the thread owns the V columns c0 .. c0 + V - 1 with
//       c0 = colBase + (j * S + lane) * V.
//   Over (by, j, lane, t) these columns are distinct and cover 0 ..< grid.y * T exactly once, so
//   with the slot -> row bijection every Y element has exactly one owner: the thread with these
//   (by, j, lane) in part 0 (parts 1 ..< P only hand their partial sums to it).
//   Consecutive lanes own consecutive V-vectors: for fixed j a subwarp touches S * V contiguous
//   elements of one X row (loads) and one Y row (stores), i.e. coalesced.
//
// Row segments (P > 1). rowAligned = start rounded down to a multiple of SV, L = end - rowAligned,
//   per = ceil(ceil(L / P) / SV) * SV (a multiple of SV, so every segment base stays SV-aligned
//   for the reverse-offset trick below). Segment p covers [segBase, segEnd) with
//   segBase = rowAligned + p * per, segEnd = min(end, segBase + per), and multiplies positions
//   max(start, segBase) ..< segEnd. Since P * per >= L, segment P - 1 reaches end; segments are
//   contiguous (segEnd(p) = segBase(p + 1) unless end came first, after which all are empty), so
//   their union is exactly start ..< end with no overlap. For p >= 1 and L > 0, per >= SV >
//   start - rowAligned, so max(start, segBase) = segBase: only segment 0 skips the previous row's
//   entries. Each segment is then staged exactly like a whole row with alignedStart = segBase.
//   With P = 1 there is one segment, the row itself (alignedStart = rowAligned, end = end).
//
// Tail columns. validate() requires m % V == 0, and c0 % V == 0, so either c0 + V <= m (the whole
//   vector is in range and aligned) or c0 >= m (entirely out). live[j] = c0 < m; dead vectors
//   are neither loaded nor stored. No tail masking within a vector is ever needed.
//
// Staging (reverse offset). Below, start ..< end is a segment's range (the row's when P = 1):
//   start = rowOffsets[row], end = rowOffsets[row + 1] (or the segment's bounds above);
//   alignedStart = start rounded down to a multiple of SV (a segment's base for P > 1), so every
//   staged vector load of values / columnIndices starts at a multiple of SV elements (aligned,
//   given 16-byte base pointers). Chunk ch covers positions base = alignedStart + ch * C ..< base + C; there are
//   ceil((end - alignedStart) / C) chunks when end > start, none for an empty row.
//   Lane `lane` stages groups g in 0..<C / (S * SV): offsets e = (g * S + lane) * SV .. e + SV - 1.
//   If base + e + SV <= end the group is one vector load; otherwise each position < end is
//   loaded alone and positions >= end are not loaded (never read, since hi <= end - base).
//   Positions alignedStart ..< start belong to the previous row: they are loaded (they lie in
//   the arrays, at >= 0) but skipped, because the first chunk is multiplied from lo = start -
//   alignedStart. So a staged entry is read only if it lies in start ..< end.
//
// Multiply. For chunk offsets i in lo ..< hi (hi = min(C, end - base)):
//   acc[j][t] += W[row, idx_i] * X[idx_i, c0 + t] for live j; the X address is
//   x + idx_i * m + c0 (64-bit), a multiple of V elements because m % V == 0.
//
// Synchronisation. A subwarp's staging area is private to it, so only its own S lanes
//   synchronise there (__syncwarp with the subwarp's lane mask); chunk counts are uniform within
//   a subwarp, so all its lanes reach each __syncwarp. Single buffer: stage, sync (data visible),
//   multiply, sync (all lanes done before the next chunk overwrites). Double buffer: chunk ch + 1
//   is copied with cp.async into the other buffer while ch is multiplied; that buffer was last
//   read in iteration ch - 1, which ended with a sync. wait_group 1 then sync makes chunk ch
//   visible to every lane.
//   P = 1: only subwarp-wide barriers exist, so a subwarp past the last row returns at once.
//   P > 1: one __syncthreads() separates the partial-tile writes from their reads, so NO thread
//   returns before it: inactive slots run with an empty segment (chunks = 0) and leave after it.
//
// Reduction (P > 1). Part p >= 1 writes each live vector of its partial tile to
//   red[(sub * (P - 1) + p - 1) * T + (j * S + lane) * V + t] (fp32 for every element type);
//   after the barrier part 0 adds parts 1, 2, ..., P - 1 in that order (deterministic) to its own
//   registers, reading the same (j, lane, t) positions it owns, then runs the epilogue. Parts
//   1 .. P - 1 store nothing to Y, so every Y element is still written exactly once.
//
// Latency (ILP). mac_chunk multiplies kUnroll staged nonzeros per step and issues all their
//   shared reads and X loads before the first FMA, so kUnroll X-load latencies overlap; the FMAs
//   then run in position order, so the sums are the same as a one-at-a-time loop.
//   kUnroll is the config's unroll (1, 2, 4 or 8) or, for unroll 0, clamp(16 / (J * V), 1, 4),
//   which keeps the loaded values within 16 registers (``TiledConfig/macUnroll``).
//
// Dependent launch. The body marks (KernelSource.dependentWaitMarker) where a programmatic
//   dependent launch waits for the previous grid: after the row offsets are read and, double
//   buffered, after chunk 0's cp.async copies are issued (they land during the wait); before the
//   first X load. W, the bias and the row order are never written by a kernel of the forward, so
//   reading them early is safe; X and the residual are read, and Y is written, only after the
//   wait. Every thread that has not returned reaches the marker (it precedes the split's
//   __syncthreads()). Single buffered, chunk 0 is staged inside the loop as before: staging it
//   ahead of the loop for every config measured 4% slower in fp32 on DLMC rn50 (H200,
//   docs/perf/2026-12-01-h200-session7, calls 5-8).
//
// Launch bounds. Blocks of 256 threads or fewer declare none: with bounds on every kernel ptxas
//   trimmed registers to occupancy tiers and spilled in about one config in twenty, and such a
//   block fits the register file at 255 registers a thread. Blocks of 512 and 1024 threads
//   declare __launch_bounds__(threads, 1024 / threads): 1024 resident threads, 64 registers
//   each; validation requires the tile's estimated registers to fit that budget.
//
// Epilogue. Each live vector: o = acc (+ bias[row]) (ReLU: o < 0 ? 0 : o, NaN stays NaN; GELU:
//   exact, with erff; bias + residual: + the kVec residual elements at the same row * m + c0,
//   read with load_x, the X loader, since the residual has Y's layout and alignment),
//   converted to the element type and stored at y + row * m + c0 (64-bit). Empty rows store
//   the bias (or 0): every owned element is written exactly once, whatever the row holds.
enum TiledKernel {
    static func render(_ problem: SpMMProblem, _ config: TiledConfig, entryPoint: String) -> String {
        let type = problem.elementType
        let parameters = KernelGen.parameters(for: problem)
        let split = config.rowSplit > 1
        return """
            \(ElementCode.includes(type))
            typedef \(ElementCode.cType(type)) elem_t;

            \(constants(problem, config))

            \(ElementCode.conversions(type))

            \(ElementCode.denseLoad(type, width: config.vectorWidth))

            \(ElementCode.denseStore(type, width: config.vectorWidth))

            \(config.doubleBuffered ? asyncHelpers(config, type) : "")
            \(split ? partialHelpers(config) : "")\(stageChunk(config, type))

            \(macChunk)

            // kSplit subwarps of kSubwarp lanes per output row, kVecsPerThread vectors of kVec columns
            // per lane; see the invariants in KernelGen's TiledKernel.swift.
            extern "C" __global__ void\(launchBounds(config))
            \(entryPoint)(\(KernelParameter.cList(parameters))) {
              extern __shared__ __align__(16) unsigned char smem[];
              const int lane = threadIdx.x;
              const int slot = blockIdx.x * kRows + threadIdx.y;
            \(split ? splitPrologue(problem) : plainPrologue(problem))
              // This subwarp's lanes within its warp (kSubwarp divides 32, blockDim.x == kSubwarp).
              const unsigned mask = kSubwarp == 32 ? 0xffffffffu
                  : ((1u << kSubwarp) - 1u) << ((sub * kSubwarp) & 31);
              int* const sIdx = reinterpret_cast<int*>(smem) + sub * kStagingStride;
              elem_t* const sVal = reinterpret_cast<elem_t*>(smem + kValuesOffset) + sub * kStagingStride;

              const int colBase = blockIdx.y * kTile;
              const elem_t* const xLane = x + colBase + lane * kVec;
              bool live[kVecsPerThread];
              float acc[kVecsPerThread][kVec];
            #pragma unroll
              for (int j = 0; j < kVecsPerThread; ++j) {
                live[j] = colBase + (j * kSubwarp + lane) * kVec < m;
            #pragma unroll
                for (int t = 0; t < kVec; ++t) acc[j][t] = 0.0f;
              }

            \(split ? splitSegment : plainSegment)

            \(config.doubleBuffered ? doubleBufferedLoop : singleBufferedLoop)
            \(split ? reduction : "")
            \(epilogue(problem))
            }

            """
    }

    /// ` __launch_bounds__(threads, blocks)` for blocks of more than 256 threads, which need
    /// bounds to be launchable: 1024 threads per SM at 64 registers each (``TiledConfig/minimumBlocksPerSM``).
    /// With bounds of the thread count alone on every kernel, 191 kernels of the CI corpus
    /// (NVRTC 13) spilled 4-28 bytes: 39 of 512 threads, squeezed to 40 registers, and 152 of
    /// 256 threads or fewer, which need no bounds at all. With one block as the minimum the
    /// 512-thread kernels took up to 115 registers and the fp16 winners among them ran slower
    /// (H200: 85.1 us against 80.7 us on the synthetic problem); 1024 resident threads keep them
    /// within 64 registers and spill-free.
    static func launchBounds(_ config: TiledConfig) -> String {
        config.threadsPerBlock > 256
            ? " __launch_bounds__(\(config.threadsPerBlock), \(config.minimumBlocksPerSM))" : ""
    }

    /// Slot -> row without a split: only subwarp barriers follow, so idle subwarps leave now.
    static func plainPrologue(_ problem: SpMMProblem) -> String {
        """
          // Only subwarp-wide barriers follow, so a subwarp past the last row may leave alone.
          if (slot >= n) return;
          const int row = \(problem.rowOrdering == .identity ? "slot" : "__ldg(rowOrder + slot)");
          const int sub = threadIdx.y;  // staging area index
        """
    }

    /// Slot -> row with a split: no early return, because of the block barrier before the reduction.
    static func splitPrologue(_ problem: SpMMProblem) -> String {
        """
          // No early return: every thread must reach the __syncthreads() before the reduction.
          const bool active = slot < n;
          const int row = active ? \(problem.rowOrdering == .identity ? "slot" : "__ldg(rowOrder + slot)") : 0;
          const int part = threadIdx.z;  // which segment of the row this subwarp multiplies
          const int sub = part * kRows + threadIdx.y;  // staging area index (= warp order)
        """
    }

    static let plainSegment = """
          const int start = __ldg(rowOffsets + row);
          const int end = __ldg(rowOffsets + row + 1);
          const int alignedStart = start & ~(kSparseVec - 1);
          const int chunks = end > start ? (end - alignedStart + kChunk - 1) / kChunk : 0;
          int lo = start - alignedStart;  // skip the previous row's entries in the first chunk only
        """

    // Segment `part` of the row; see "Row segments" above. Inactive slots get an empty range.
    static let splitSegment = """
          const int rowStart = active ? __ldg(rowOffsets + row) : 0;
          const int rowEnd = active ? __ldg(rowOffsets + row + 1) : 0;
          const int rowAligned = rowStart & ~(kSparseVec - 1);
          // Segment length: ceil(L / kSplit) rounded up to kSparseVec, so segment bases stay aligned.
          const int per = ((rowEnd - rowAligned + kSplit - 1) / kSplit + kSparseVec - 1) & ~(kSparseVec - 1);
          const int alignedStart = rowAligned + part * per;
          const int end = min(rowEnd, alignedStart + per);
          const int first = max(rowStart, alignedStart);
          const int chunks = end > first ? (end - alignedStart + kChunk - 1) / kChunk : 0;
          int lo = first - alignedStart;  // nonzero only in segment 0: the previous row's entries
        """

    // Parts 1 ..< kSplit hand their partial tiles to part 0 through shared memory (fp32).
    static let reduction = """
          float* const red = reinterpret_cast<float*>(smem + kReductionOffset)
              + threadIdx.y * ((kSplit - 1) * kTile) + lane * kVec;
          if (part > 0) {
        #pragma unroll
            for (int j = 0; j < kVecsPerThread; ++j) {
              if (live[j]) store_partial(red + (part - 1) * kTile + j * (kSubwarp * kVec), acc[j]);
            }
          }
          __syncthreads();  // reached by every thread: nobody returned above
          if (part > 0 || !active) return;
        #pragma unroll
          for (int q = 0; q < kSplit - 1; ++q) {  // parts 1, 2, ... in order: deterministic sums
        #pragma unroll
            for (int j = 0; j < kVecsPerThread; ++j) {
              if (live[j]) {
                float o[kVec];
                load_partial(red + q * kTile + j * (kSubwarp * kVec), o);
        #pragma unroll
                for (int t = 0; t < kVec; ++t) acc[j][t] += o[t];
              }
            }
          }

        """

    /// `mac_chunk`: kUnroll nonzeros per step, every load of a step issued before its FMAs.
    static let macChunk = """
        // acc[j][t] += W[row, idx_i] * X[idx_i, c0(j) + t] for staged offsets i in [lo, hi), in order.
        // kUnroll nonzeros per step: their shared reads and X loads are all issued before the
        // first FMA, so kUnroll load latencies overlap instead of queueing one after another.
        __device__ __forceinline__ void mac_chunk(
            float (&acc)[kVecsPerThread][kVec], const bool (&live)[kVecsPerThread],
            const int* __restrict__ sIdx, const elem_t* __restrict__ sVal, int lo, int hi,
            const elem_t* __restrict__ xLane, int m) {
          int i = lo;
          for (; i + kUnroll <= hi; i += kUnroll) {
            float w[kUnroll];
            float xv[kUnroll][kVecsPerThread][kVec];
        #pragma unroll
            for (int u = 0; u < kUnroll; ++u) {
              w[u] = to_f32(sVal[i + u]);
              const elem_t* const xRow = xLane + (long long)sIdx[i + u] * m;
        #pragma unroll
              for (int j = 0; j < kVecsPerThread; ++j) {
                if (live[j]) load_x(xRow + j * (kSubwarp * kVec), xv[u][j]);
              }
            }
        #pragma unroll
            for (int u = 0; u < kUnroll; ++u) {
        #pragma unroll
              for (int j = 0; j < kVecsPerThread; ++j) {
                if (live[j]) {
        #pragma unroll
                  for (int t = 0; t < kVec; ++t) acc[j][t] = fmaf(w[u], xv[u][j][t], acc[j][t]);
                }
              }
            }
          }
          for (; i < hi; ++i) {  // the last hi - lo mod kUnroll nonzeros
            const float w = to_f32(sVal[i]);
            const elem_t* const xRow = xLane + (long long)sIdx[i] * m;
        #pragma unroll
            for (int j = 0; j < kVecsPerThread; ++j) {
              if (live[j]) {
                float xv[kVec];
                load_x(xRow + j * (kSubwarp * kVec), xv);
        #pragma unroll
                for (int t = 0; t < kVec; ++t) acc[j][t] = fmaf(w, xv[t], acc[j][t]);
              }
            }
          }
        }
        """

    /// `store_partial` / `load_partial`: one fp32 vector of kVec partial sums, vectorised so that
    /// consecutive lanes touch consecutive 16-byte words (no bank conflicts beyond the vector's).
    static func partialHelpers(_ config: TiledConfig) -> String {
        let v = config.vectorWidth
        let (store, load): (String, String)
        switch v {
        case 1: (store, load) = ("p[0] = o[0];", "o[0] = p[0];")
        case 2:
            (store, load) = (
                "*reinterpret_cast<float2*>(p) = make_float2(o[0], o[1]);",
                "const float2 a = *reinterpret_cast<const float2*>(p); o[0] = a.x; o[1] = a.y;"
            )
        default:
            var stores: [String] = []
            var loads: [String] = []
            for q in 0..<(v / 4) {
                stores.append("*reinterpret_cast<float4*>(p + \(4 * q)) = make_float4(o[\(4 * q)], o[\(4 * q + 1)], o[\(4 * q + 2)], o[\(4 * q + 3)]);")
                loads.append("const float4 a\(q) = *reinterpret_cast<const float4*>(p + \(4 * q)); o[\(4 * q)] = a\(q).x; o[\(4 * q + 1)] = a\(q).y; o[\(4 * q + 2)] = a\(q).z; o[\(4 * q + 3)] = a\(q).w;")
            }
            (store, load) = (stores.joined(separator: "\n  "), loads.joined(separator: "\n  "))
        }
        return """
            __device__ __forceinline__ void store_partial(float* p, const float (&o)[kVec]) {
              \(store)
            }
            __device__ __forceinline__ void load_partial(const float* p, float (&o)[kVec]) {
              \(load)
            }

            """
    }

    static func constants(_ problem: SpMMProblem, _ config: TiledConfig) -> String {
        let groups = config.chunkSize / (config.subwarpSize * config.sparseVectorWidth)
        return """
            constexpr int kSubwarp = \(config.subwarpSize);  // threads per output row
            constexpr int kRows = \(config.rowsPerBlock);  // output rows per block
            constexpr int kSplit = \(config.rowSplit);  // subwarps (segments) per output row
            constexpr int kTile = \(config.tileWidth);  // columns of Y per subwarp
            constexpr int kVec = \(config.vectorWidth);  // elements per dense load / store
            constexpr int kVecsPerThread = \(config.vectorsPerThread);  // kTile / (kVec * kSubwarp)
            constexpr int kChunk = \(config.chunkSize);  // nonzeros staged per step
            constexpr int kSparseVec = \(config.sparseVectorWidth);  // elements per staging load
            constexpr int kGroups = \(groups);  // staging loads per lane per chunk
            constexpr int kStagingStride = \(config.stagingStride);  // elements per subwarp area (buffers + pad)
            constexpr int kValuesOffset = \(config.valuesOffset);  // bytes before the values region
            constexpr int kUnroll = \(config.macUnroll);  // nonzeros whose loads are issued together\(
                config.rowSplit > 1
                ? "\nconstexpr int kReductionOffset = \(config.reductionOffset(for: problem));  // bytes before the partial tiles" : "")
            static_assert(32 % kSubwarp == 0, "a subwarp must not straddle warps");
            static_assert((kRows * kSplit * kSubwarp) % 32 == 0, "threads per block must be a multiple of the warp size");
            static_assert(kTile == kVecsPerThread * kVec * kSubwarp, "the tile is whole vectors per lane");
            static_assert(kChunk == kGroups * kSubwarp * kSparseVec, "each lane stages whole vectors");
            static_assert(kStagingStride % 4 == 0 && kValuesOffset % 16 == 0, "staging stays 16-byte aligned");
            """
    }

    /// `stage_chunk`: stages positions [base, base + kChunk) of the row (those below `end`) into
    /// one buffer; synchronous loads, or `cp.async` when double buffered.
    static func stageChunk(_ config: TiledConfig, _ type: ElementType) -> String {
        let width = config.sparseVectorWidth
        let indexType = ElementCode.indexType(count: width)
        let valueType = ElementCode.rawType(type, count: width)
        let vectorCopy =
            config.doubleBuffered
            ? """
                      cp_async_idx(sIdx + e, columnIndices + p);
                      cp_async_val(sVal + e, values + p);
                """
            : """
                      *reinterpret_cast<\(indexType)*>(sIdx + e) = __ldg(reinterpret_cast<const \(indexType)*>(columnIndices + p));
                      *reinterpret_cast<\(valueType)*>(sVal + e) = __ldg(reinterpret_cast<const \(valueType)*>(values + p));
                """
        return """
            // Stages positions [base, base + kChunk) of values / columnIndices, those below `end`.
            // base is a multiple of kSparseVec, so each full group is one aligned vector access.
            __device__ __forceinline__ void stage_chunk(
                int* __restrict__ sIdx, elem_t* __restrict__ sVal, const int* __restrict__ columnIndices,
                const elem_t* __restrict__ values, int base, int end, int lane) {
            #pragma unroll
              for (int g = 0; g < kGroups; ++g) {
                const int e = (g * kSubwarp + lane) * kSparseVec;
                const int p = base + e;
                if (p + kSparseVec <= end) {
            \(vectorCopy)
                } else {
            #pragma unroll
                  for (int t = 0; t < kSparseVec; ++t) {
                    if (p + t < end) {
                      sIdx[e + t] = columnIndices[p + t];
                      sVal[e + t] = values[p + t];
                    }
                  }
                }
              }
            }
            """
    }

    /// `cp.async` wrappers: index and value copies of one staging vector, commit and waits.
    static func asyncHelpers(_ config: TiledConfig, _ type: ElementType) -> String {
        let width = config.sparseVectorWidth
        func copy(_ name: String, _ cType: String, bytes: Int) -> String {
            // .cg (L2 only) exists for 16-byte copies; smaller ones must use .ca.
            let op = bytes == 16 ? "cp.async.cg.shared.global" : "cp.async.ca.shared.global"
            return """
                __device__ __forceinline__ void \(name)(\(cType)* dst, const \(cType)* src) {
                  const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
                  asm volatile("\(op) [%0], [%1], \(bytes);\\n" :: "r"(d), "l"(src) : "memory");
                }
                """
        }
        return """
            \(copy("cp_async_idx", "int", bytes: 4 * width))
            \(copy("cp_async_val", "elem_t", bytes: type.byteWidth * width))
            __device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\\n" ::: "memory"); }
            __device__ __forceinline__ void cp_async_wait_one() { asm volatile("cp.async.wait_group 1;\\n" ::: "memory"); }
            __device__ __forceinline__ void cp_async_wait_all() { asm volatile("cp.async.wait_group 0;\\n" ::: "memory"); }

            """
    }

    // `lo` is a variable reset after the first chunk, not `ch == 0 ? start - alignedStart : 0`:
    // keeping `start` alive across the loop made ptxas spill 4 bytes in some configs.
    static let singleBufferedLoop = """
          \(KernelSource.dependentWaitMarker)
          for (int ch = 0; ch < chunks; ++ch) {
            const int base = alignedStart + ch * kChunk;
            stage_chunk(sIdx, sVal, columnIndices, values, base, end, lane);
            __syncwarp(mask);  // staged entries visible to the whole subwarp
            mac_chunk(acc, live, sIdx, sVal, lo, min(kChunk, end - base), xLane, m);
            __syncwarp(mask);  // every lane done reading before the next chunk overwrites
            lo = 0;
          }
        """

    static let doubleBufferedLoop = """
          if (chunks > 0) {
            stage_chunk(sIdx, sVal, columnIndices, values, alignedStart, end, lane);
            cp_async_commit();
          }
          \(KernelSource.dependentWaitMarker)
          for (int ch = 0; ch < chunks; ++ch) {
            const int base = alignedStart + ch * kChunk;
            const int current = (ch & 1) * kChunk;
            if (ch + 1 < chunks) {
              // The other buffer was last read in iteration ch - 1, which ended with a sync.
              const int next = kChunk - current;
              stage_chunk(sIdx + next, sVal + next, columnIndices, values, base + kChunk, end, lane);
              cp_async_commit();
              cp_async_wait_one();  // this lane's copies of chunk ch have landed
            } else {
              cp_async_wait_all();
            }
            __syncwarp(mask);  // ... and every lane's
            mac_chunk(acc, live, sIdx + current, sVal + current, lo, min(kChunk, end - base), xLane, m);
            __syncwarp(mask);  // every lane done reading before this buffer is refilled
            lo = 0;
          }
        """

    static func epilogue(_ problem: SpMMProblem) -> String {
        let bias = problem.epilogue.hasBias ? "  const float b = to_f32(bias[row]);\n" : ""
        let residual = problem.epilogue.hasResidual
        let rLane = residual ? "  const elem_t* const rLane = residual + (long long)row * m + colBase + lane * kVec;\n" : ""
        let load = residual ? "      float r[kVec];\n      load_x(rLane + j * (kSubwarp * kVec), r);\n" : ""
        return """
            \(bias)\(rLane)  elem_t* const yLane = y + (long long)row * m + colBase + lane * kVec;
            #pragma unroll
              for (int j = 0; j < kVecsPerThread; ++j) {
                if (live[j]) {
            \(load)      float o[kVec];
            #pragma unroll
                  for (int t = 0; t < kVec; ++t) o[t] = \(KernelGen.epilogueExpression(problem.epilogue, "acc[j][t]", residual: "r[t]"));
                  store_y(yLane + j * (kSubwarp * kVec), o);
                }
              }
            """
    }
}

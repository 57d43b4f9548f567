import SparseFormats

// The Sputnik-class tiled kernel (Gale et al., SC20), as a fixed skeleton with named holes.
//
// Desk check of the index math (S = kSubwarp, R = kRows, T = kTile, V = kVec, C = kChunk,
// SV = kSparseVec, J = kVecsPerThread = T / (V * S)):
//
// Who computes what.
//   block (bx, by), thread (lane = threadIdx.x in 0..<S, sub = threadIdx.y in 0..<R).
//   slot = bx * R + sub; the subwarp returns when slot >= n (grid.x = ceil(n / R) may overshoot).
//   row = rowOrder[slot] (or slot); a permutation, so each row has exactly one subwarp.
//   colBase = by * T (grid.y = ceil(m / T)).
//   For j in 0..<J the thread owns the V columns c0 .. c0 + V - 1 with
//       c0 = colBase + (j * S + lane) * V.
//   Over (by, j, lane, t) these columns are distinct and cover 0 ..< grid.y * T exactly once, so
//   with the slot -> row bijection every Y element has exactly one owner.
//   Consecutive lanes own consecutive V-vectors: for fixed j a subwarp touches S * V contiguous
//   elements of one X row (loads) and one Y row (stores), i.e. coalesced.
//
// Tail columns. validate() requires m % V == 0, and c0 % V == 0, so either c0 + V <= m (the whole
//   vector is in range and aligned) or c0 >= m (entirely out). live[j] = c0 < m; dead vectors
//   are neither loaded nor stored. No tail masking within a vector is ever needed.
//
// Staging (reverse offset). start = rowOffsets[row], end = rowOffsets[row + 1];
//   alignedStart = start rounded down to a multiple of SV, so every staged vector load of
//   values / columnIndices starts at a multiple of SV elements (aligned, given 16-byte base
//   pointers). Chunk ch covers positions base = alignedStart + ch * C ..< base + C; there are
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
//   synchronise (__syncwarp with the subwarp's lane mask); a subwarp that returned early is not
//   waited for. Single buffer: stage, sync (data visible), multiply, sync (all lanes done
//   before the next chunk overwrites). Double buffer: chunk ch + 1 is copied with cp.async into
//   the other buffer while ch is multiplied; that buffer was last read in iteration ch - 1,
//   which ended with a sync. wait_group 1 then sync makes chunk ch visible to every lane.
//
// No __launch_bounds__: with it, ptxas 13.5 trimmed registers to occupancy tiers (32, 40, 48, 64)
//   and spilled 4 to 12 bytes in about one config in twenty; without it none spilled. The
//   cost is the register rule in validation (at most 256 threads per block).
//
// Epilogue. Each live vector: o = acc (+ bias[row]) (ReLU: o < 0 ? 0 : o, NaN stays NaN),
//   converted to the element type and stored at y + row * m + c0 (64-bit). Empty rows store
//   the bias (or 0): every owned element is written exactly once, whatever the row holds.
enum TiledKernel {
    static func render(_ problem: SpMMProblem, _ config: SpMMConfig, entryPoint: String) -> String {
        let type = problem.elementType
        let parameters = KernelGen.parameters(for: problem)
        return """
            \(ElementCode.includes(type))
            typedef \(ElementCode.cType(type)) elem_t;

            \(constants(problem, config))

            \(ElementCode.conversions(type))

            \(ElementCode.denseLoad(type, width: config.vectorWidth))

            \(ElementCode.denseStore(type, width: config.vectorWidth))

            \(config.doubleBuffered ? asyncHelpers(config, type) : "")
            \(stageChunk(config, type))

            // acc[j][t] += W[row, idx_i] * X[idx_i, c0(j) + t] for staged offsets i in [lo, hi).
            __device__ __forceinline__ void mac_chunk(
                float (&acc)[kVecsPerThread][kVec], const bool (&live)[kVecsPerThread],
                const int* __restrict__ sIdx, const elem_t* __restrict__ sVal, int lo, int hi,
                const elem_t* __restrict__ xLane, int m) {
            #pragma unroll 4
              for (int i = lo; i < hi; ++i) {
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

            // One subwarp of kSubwarp lanes per output row, kVecsPerThread vectors of kVec columns
            // per lane; see the invariants in KernelGen's TiledKernel.swift.
            extern "C" __global__ void
            \(entryPoint)(\(KernelGen.cParameterList(parameters, type))) {
              extern __shared__ __align__(16) unsigned char smem[];
              const int lane = threadIdx.x;
              const int slot = blockIdx.x * kRows + threadIdx.y;
              // Only subwarp-wide barriers follow, so a subwarp past the last row may leave alone.
              if (slot >= n) return;
              const int row = \(problem.rowOrdering == .identity ? "slot" : "__ldg(rowOrder + slot)");
              // This subwarp's lanes within its warp (kSubwarp divides 32, blockDim.x == kSubwarp).
              const unsigned mask = kSubwarp == 32 ? 0xffffffffu
                  : ((1u << kSubwarp) - 1u) << ((threadIdx.y * kSubwarp) & 31);
              int* const sIdx = reinterpret_cast<int*>(smem) + threadIdx.y * kStagingStride;
              elem_t* const sVal = reinterpret_cast<elem_t*>(smem + kValuesOffset) + threadIdx.y * kStagingStride;

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

              const int start = __ldg(rowOffsets + row);
              const int end = __ldg(rowOffsets + row + 1);
              const int alignedStart = start & ~(kSparseVec - 1);
              const int chunks = end > start ? (end - alignedStart + kChunk - 1) / kChunk : 0;

            \(config.doubleBuffered ? doubleBufferedLoop : singleBufferedLoop)

            \(epilogue(problem))
            }

            """
    }

    static func constants(_ problem: SpMMProblem, _ config: SpMMConfig) -> String {
        let groups = config.chunkSize / (config.subwarpSize * config.sparseVectorWidth)
        return """
            constexpr int kSubwarp = \(config.subwarpSize);  // threads per output row
            constexpr int kRows = \(config.rowsPerBlock);  // rows (subwarps) per block
            constexpr int kTile = \(config.tileWidth);  // columns of Y per subwarp
            constexpr int kVec = \(config.vectorWidth);  // elements per dense load / store
            constexpr int kVecsPerThread = \(config.vectorsPerThread);  // kTile / (kVec * kSubwarp)
            constexpr int kChunk = \(config.chunkSize);  // nonzeros staged per step
            constexpr int kSparseVec = \(config.sparseVectorWidth);  // elements per staging load
            constexpr int kGroups = \(groups);  // staging loads per lane per chunk
            constexpr int kStagingStride = \(config.stagingStride);  // elements per subwarp area (buffers + pad)
            constexpr int kValuesOffset = \(config.valuesOffset);  // bytes before the values region
            static_assert(32 % kSubwarp == 0, "a subwarp must not straddle warps");
            static_assert((kRows * kSubwarp) % 32 == 0, "threads per block must be a multiple of the warp size");
            static_assert(kTile == kVecsPerThread * kVec * kSubwarp, "the tile is whole vectors per lane");
            static_assert(kChunk == kGroups * kSubwarp * kSparseVec, "each lane stages whole vectors");
            static_assert(kStagingStride % 4 == 0 && kValuesOffset % 16 == 0, "staging stays 16-byte aligned");
            """
    }

    /// `stage_chunk`: stages positions [base, base + kChunk) of the row (those below `end`) into
    /// one buffer; synchronous loads, or `cp.async` when double buffered.
    static func stageChunk(_ config: SpMMConfig, _ type: ElementType) -> String {
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
    static func asyncHelpers(_ config: SpMMConfig, _ type: ElementType) -> String {
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
          int lo = start - alignedStart;  // skip the previous row's entries in the first chunk only
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
          int lo = start - alignedStart;  // skip the previous row's entries in the first chunk only
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
        return """
            \(bias)  elem_t* const yLane = y + (long long)row * m + colBase + lane * kVec;
            #pragma unroll
              for (int j = 0; j < kVecsPerThread; ++j) {
                if (live[j]) {
                  float o[kVec];
            #pragma unroll
                  for (int t = 0; t < kVec; ++t) o[t] = \(KernelGen.epilogueExpression(problem.epilogue, "acc[j][t]"));
                  store_y(yLane + j * (kSubwarp * kVec), o);
                }
              }
            """
    }
}

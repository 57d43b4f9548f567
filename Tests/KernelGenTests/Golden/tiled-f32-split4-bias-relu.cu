// spmm n=256 k=2304 m=196 nnz=176947 dtype=f32 cfg=r2.t32.c128.v4.k64.db1.s4 pattern=9f2c41e00badcafe
// sparrow kernelgen v4 acc=f32 epilogue=bias_relu rows=identity max_row=760 sm=sm_90 grid=(128,2,1) block=(32,2,4) smem=13312

typedef float elem_t;

constexpr int kSubwarp = 32;  // threads per output row
constexpr int kRows = 2;  // output rows per block
constexpr int kSplit = 4;  // subwarps (segments) per output row
constexpr int kTile = 128;  // columns of Y per subwarp
constexpr int kVec = 4;  // elements per dense load / store
constexpr int kVecsPerThread = 1;  // kTile / (kVec * kSubwarp)
constexpr int kChunk = 64;  // nonzeros staged per step
constexpr int kSparseVec = 2;  // elements per staging load
constexpr int kGroups = 1;  // staging loads per lane per chunk
constexpr int kStagingStride = 160;  // elements per subwarp area (buffers + pad)
constexpr int kValuesOffset = 5120;  // bytes before the values region
constexpr int kUnroll = 4;  // nonzeros whose loads are issued together
constexpr int kReductionOffset = 10240;  // bytes before the partial tiles
static_assert(32 % kSubwarp == 0, "a subwarp must not straddle warps");
static_assert((kRows * kSplit * kSubwarp) % 32 == 0, "threads per block must be a multiple of the warp size");
static_assert(kTile == kVecsPerThread * kVec * kSubwarp, "the tile is whole vectors per lane");
static_assert(kChunk == kGroups * kSubwarp * kSparseVec, "each lane stages whole vectors");
static_assert(kStagingStride % 4 == 0 && kValuesOffset % 16 == 0, "staging stays 16-byte aligned");

__device__ __forceinline__ float to_f32(float v) { return v; }
__device__ __forceinline__ float from_f32(float v) { return v; }

__device__ __forceinline__ void load_x(const elem_t* __restrict__ p, float (&o)[4]) {
  const float4 t = __ldg(reinterpret_cast<const float4*>(p));
  o[0] = t.x;
  o[1] = t.y;
  o[2] = t.z;
  o[3] = t.w;
}

__device__ __forceinline__ void store_y(elem_t* __restrict__ p, const float (&o)[4]) {
  *reinterpret_cast<float4*>(p) = make_float4(o[0], o[1], o[2], o[3]);
}

__device__ __forceinline__ void cp_async_idx(int* dst, const int* src) {
  const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
  asm volatile("cp.async.ca.shared.global [%0], [%1], 8;\n" :: "r"(d), "l"(src) : "memory");
}
__device__ __forceinline__ void cp_async_val(elem_t* dst, const elem_t* src) {
  const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
  asm volatile("cp.async.ca.shared.global [%0], [%1], 8;\n" :: "r"(d), "l"(src) : "memory");
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
__device__ __forceinline__ void cp_async_wait_one() { asm volatile("cp.async.wait_group 1;\n" ::: "memory"); }
__device__ __forceinline__ void cp_async_wait_all() { asm volatile("cp.async.wait_group 0;\n" ::: "memory"); }

__device__ __forceinline__ void store_partial(float* p, const float (&o)[kVec]) {
  *reinterpret_cast<float4*>(p + 0) = make_float4(o[0], o[1], o[2], o[3]);
}
__device__ __forceinline__ void load_partial(const float* p, float (&o)[kVec]) {
  const float4 a0 = *reinterpret_cast<const float4*>(p + 0); o[0] = a0.x; o[1] = a0.y; o[2] = a0.z; o[3] = a0.w;
}
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
      cp_async_idx(sIdx + e, columnIndices + p);
      cp_async_val(sVal + e, values + p);
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

// kSplit subwarps of kSubwarp lanes per output row, kVecsPerThread vectors of kVec columns
// per lane; see the invariants in KernelGen's TiledKernel.swift.
extern "C" __global__ void
sparrow_spmm_f32_r2_t32_c128_v4_k64_db1_s4(
    const int n,
    const int m,
    const int* __restrict__ rowOffsets,
    const int* __restrict__ columnIndices,
    const elem_t* __restrict__ values,
    const elem_t* __restrict__ x,
    const elem_t* __restrict__ bias,
    elem_t* __restrict__ y) {
  extern __shared__ __align__(16) unsigned char smem[];
  const int lane = threadIdx.x;
  const int slot = blockIdx.x * kRows + threadIdx.y;
  // No early return: every thread must reach the __syncthreads() before the reduction.
  const bool active = slot < n;
  const int row = active ? slot : 0;
  const int part = threadIdx.z;  // which segment of the row this subwarp multiplies
  const int sub = part * kRows + threadIdx.y;  // staging area index (= warp order)
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

  if (chunks > 0) {
    stage_chunk(sIdx, sVal, columnIndices, values, alignedStart, end, lane);
    cp_async_commit();
  }
  // sparrow: a dependent launch waits for the previous grid here
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

  const float b = to_f32(bias[row]);
  elem_t* const yLane = y + (long long)row * m + colBase + lane * kVec;
#pragma unroll
  for (int j = 0; j < kVecsPerThread; ++j) {
    if (live[j]) {
      float o[kVec];
#pragma unroll
      for (int t = 0; t < kVec; ++t) o[t] = (acc[j][t] + b < 0.0f ? 0.0f : acc[j][t] + b);
      store_y(yLane + j * (kSubwarp * kVec), o);
    }
  }
}

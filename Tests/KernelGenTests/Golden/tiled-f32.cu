// spmm n=2048 k=512 m=256 nnz=104858 dtype=f32 cfg=r4.t8.c64.v4.k32.db0 pattern=9f2c41e00badcafe
// sparrow kernelgen v4 acc=f32 epilogue=none rows=identity max_row=80 sm=sm_90 grid=(512,4,1) block=(8,4,1) smem=1280

typedef float elem_t;

constexpr int kSubwarp = 8;  // threads per output row
constexpr int kRows = 4;  // output rows per block
constexpr int kSplit = 1;  // subwarps (segments) per output row
constexpr int kTile = 64;  // columns of Y per subwarp
constexpr int kVec = 4;  // elements per dense load / store
constexpr int kVecsPerThread = 2;  // kTile / (kVec * kSubwarp)
constexpr int kChunk = 32;  // nonzeros staged per step
constexpr int kSparseVec = 4;  // elements per staging load
constexpr int kGroups = 1;  // staging loads per lane per chunk
constexpr int kStagingStride = 40;  // elements per subwarp area (buffers + pad)
constexpr int kValuesOffset = 640;  // bytes before the values region
constexpr int kUnroll = 2;  // nonzeros whose loads are issued together
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
      *reinterpret_cast<int4*>(sIdx + e) = __ldg(reinterpret_cast<const int4*>(columnIndices + p));
      *reinterpret_cast<float4*>(sVal + e) = __ldg(reinterpret_cast<const float4*>(values + p));
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
sparrow_spmm_f32_r4_t8_c64_v4_k32_db0(
    const int n,
    const int m,
    const int* __restrict__ rowOffsets,
    const int* __restrict__ columnIndices,
    const elem_t* __restrict__ values,
    const elem_t* __restrict__ x,
    elem_t* __restrict__ y) {
  extern __shared__ __align__(16) unsigned char smem[];
  const int lane = threadIdx.x;
  const int slot = blockIdx.x * kRows + threadIdx.y;
  // Only subwarp-wide barriers follow, so a subwarp past the last row may leave alone.
  if (slot >= n) return;
  const int row = slot;
  const int sub = threadIdx.y;  // staging area index
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

  const int start = __ldg(rowOffsets + row);
  const int end = __ldg(rowOffsets + row + 1);
  const int alignedStart = start & ~(kSparseVec - 1);
  const int chunks = end > start ? (end - alignedStart + kChunk - 1) / kChunk : 0;
  int lo = start - alignedStart;  // skip the previous row's entries in the first chunk only

  // sparrow: a dependent launch waits for the previous grid here
  for (int ch = 0; ch < chunks; ++ch) {
    const int base = alignedStart + ch * kChunk;
    stage_chunk(sIdx, sVal, columnIndices, values, base, end, lane);
    __syncwarp(mask);  // staged entries visible to the whole subwarp
    mac_chunk(acc, live, sIdx, sVal, lo, min(kChunk, end - base), xLane, m);
    __syncwarp(mask);  // every lane done reading before the next chunk overwrites
    lo = 0;
  }

  elem_t* const yLane = y + (long long)row * m + colBase + lane * kVec;
#pragma unroll
  for (int j = 0; j < kVecsPerThread; ++j) {
    if (live[j]) {
      float o[kVec];
#pragma unroll
      for (int t = 0; t < kVec; ++t) o[t] = acc[j][t];
      store_y(yLane + j * (kSubwarp * kVec), o);
    }
  }
}

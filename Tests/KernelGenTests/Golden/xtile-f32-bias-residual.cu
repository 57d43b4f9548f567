// spmm n=4096 k=4096 m=200 nnz=1677722 dtype=f32 cfg=xtile.r64.t4.c64.v4.k40.db0 pattern=9f2c41e00badcafe
// sparrow kernelgen v4 acc=f32 epilogue=bias_residual rows=identity max_row=470 sm=sm_90 grid=(64,4,1) block=(4,64,1) smem=12864

typedef float elem_t;

constexpr int kSubwarp = 4;  // lanes per output row
constexpr int kRows = 64;  // output rows per block
constexpr int kThreads = kRows * kSubwarp;
constexpr int kWarps = kThreads / 32;
constexpr int kTile = 64;  // columns of Y per block
constexpr int kVec = 4;  // elements per dense load / store
constexpr int kVecsPerThread = 4;  // kTile / (kVec * kSubwarp)
constexpr int kChunk = 40;  // rows of X staged per step
constexpr int kStride = 80;  // elements per staged row (tile + bank pad)
constexpr int kBuffer = kChunk * kStride;  // elements per X buffer
constexpr int kBoundsBytes = 64;  // bytes before the first X buffer
constexpr int kTileVecs = kTile / kVec;  // vectors per staged row
constexpr int kCopyVecs = kChunk * kTileVecs;  // vectors staged per chunk
constexpr int kCopies = 3;  // ceil(kCopyVecs / kThreads), a multiple of kCopyBatch
constexpr int kCopyBatch = 3;  // copies per thread issued together
static_assert(32 % kSubwarp == 0, "a subwarp must not straddle warps");
static_assert(kThreads % 32 == 0, "threads per block must be a multiple of the warp size");
static_assert(kTile == kVecsPerThread * kVec * kSubwarp, "the tile is whole vectors per lane");
static_assert(kStride % kVec == 0 && kBoundsBytes % 16 == 0, "staged rows stay vector-aligned");
static_assert(kCopies * kThreads >= kCopyVecs, "every vector of a chunk has a copier");
static_assert(kCopies % kCopyBatch == 0, "whole batches of copies");

__device__ __forceinline__ float to_f32(float v) { return v; }
__device__ __forceinline__ float from_f32(float v) { return v; }

__device__ __forceinline__ void load_s(const elem_t* __restrict__ p, float (&o)[4]) {
  const float4 t = *reinterpret_cast<const float4*>(p);
  o[0] = t.x;
  o[1] = t.y;
  o[2] = t.z;
  o[3] = t.w;
}

__device__ __forceinline__ void load_w4(const elem_t* __restrict__ p, float (&o)[4]) {
  const float4 t = __ldg(reinterpret_cast<const float4*>(p));
  o[0] = t.x;
  o[1] = t.y;
  o[2] = t.z;
  o[3] = t.w;
}

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

__device__ __forceinline__ void copy_vec(elem_t* dst, const elem_t* __restrict__ src) {
  *reinterpret_cast<float4*>(dst) = __ldg(reinterpret_cast<const float4*>(src));
}

// Copies X[k0 + r, colBase + u ..< + kVec] to dst[r * kStride + u] for every staged vector
// below kEnd and m; consecutive threads copy consecutive vectors of one row (coalesced).
__device__ __forceinline__ void stage_x(
    elem_t* __restrict__ dst, const elem_t* __restrict__ x, int k0, int kEnd, int colBase, int m, int tid) {
  const int rows = kEnd - k0;  // staged rows at or past this are never read
  // Batches of kCopyBatch copies: their loads are issued together, but a whole chunk's
  // loads in flight (up to 32 vectors per thread) would cost more registers than they save.
#pragma unroll 1
  for (int b = 0; b < kCopies; b += kCopyBatch) {
#pragma unroll
  for (int i = b; i < b + kCopyBatch; ++i) {
    const int q = i * kThreads + tid;
    const int r = q / kTileVecs;
    const int u = (q - r * kTileVecs) * kVec;
    if (q < kCopyVecs && r < rows && colBase + u < m) {
      copy_vec(dst + r * kStride + u, x + (long long)(k0 + r) * m + colBase + u);
    }
  }
  }
}

// Positions gp ..< gp + 4 of the row arrays (gp a multiple of 4: aligned vector loads);
// positions at or past `end` are not read and get column INT_MAX (above every chunk).
__device__ __forceinline__ void load_group(
    int (&c)[4], float (&w)[4], const int* __restrict__ columnIndices, const elem_t* __restrict__ values,
    int gp, int end) {
  if (gp + 4 <= end) {
    const int4 ci = __ldg(reinterpret_cast<const int4*>(columnIndices + gp));
    c[0] = ci.x; c[1] = ci.y; c[2] = ci.z; c[3] = ci.w;
    load_w4(values + gp, w);
  } else {
#pragma unroll
    for (int t = 0; t < 4; ++t) {
      const bool in = gp + t < end;
      c[t] = in ? __ldg(columnIndices + gp + t) : 0x7fffffff;
      w[t] = in ? to_f32(values[gp + t]) : 0.0f;
    }
  }
}

// Multiplies, in order, the row's positions q >= p whose column lies below kHi (all at or
// above k0, staged at row column - k0 of sLane's buffer) and advances p past them; moves to
// the prefetched group whenever the current one is used up.
__device__ __forceinline__ void walk_chunk(
    float (&acc)[kVecsPerThread][kVec], const bool (&live)[kVecsPerThread], const elem_t* __restrict__ sLane,
    int k0, int kHi, int& p, int& gp, int (&c)[4], float (&w)[4], int (&nc)[4], float (&nw)[4],
    const int* __restrict__ columnIndices, const elem_t* __restrict__ values, int end) {
  for (;;) {
#pragma unroll
    for (int t = 0; t < 4; ++t) {
      if (gp + t >= p && c[t] < kHi) {
        const elem_t* const xs = sLane + (c[t] - k0) * kStride;
#pragma unroll
        for (int j = 0; j < kVecsPerThread; ++j) {
          if (live[j]) {
            float xv[kVec];
            load_s(xs + j * (kSubwarp * kVec), xv);
#pragma unroll
            for (int u = 0; u < kVec; ++u) acc[j][u] = fmaf(w[t], xv[u], acc[j][u]);
          }
        }
        p = gp + t + 1;
      }
    }
    if (p < gp + 4) break;  // stopped at a column >= kHi, or at the end of the row
    gp += 4;
#pragma unroll
    for (int t = 0; t < 4; ++t) {
      c[t] = nc[t];
      w[t] = nw[t];
    }
    load_group(nc, nw, columnIndices, values, gp + 4, end);
  }
}

// kRows rows of kSubwarp lanes per block share staged chunks of X; see the invariants
// in KernelGen's XTileKernel.swift.
extern "C" __global__ void
sparrow_spmm_f32_xtile_r64_t4_c64_v4_k40_db0(
    const int n,
    const int m,
    const int* __restrict__ rowOffsets,
    const int* __restrict__ columnIndices,
    const elem_t* __restrict__ values,
    const elem_t* __restrict__ x,
    const elem_t* __restrict__ bias,
    const elem_t* __restrict__ residual,
    elem_t* __restrict__ y) {
  extern __shared__ __align__(16) unsigned char smem[];
  const int lane = threadIdx.x;
  const int tid = threadIdx.y * kSubwarp + lane;
  const int slot = blockIdx.x * kRows + threadIdx.y;
  // No early return: every thread must reach every __syncthreads() below.
  const bool active = slot < n;
  const int row = active ? slot : 0;
  const int start = active ? __ldg(rowOffsets + row) : 0;
  const int end = active ? __ldg(rowOffsets + row + 1) : 0;

  // Block bounds of the columns any row needs: [kBegin, kEnd), kEnd <= K.
  int first = 0x7fffffff, last = 0;
  if (start < end) {
    first = __ldg(columnIndices + start);
    last = __ldg(columnIndices + end - 1) + 1;
  }
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) {
    first = min(first, __shfl_xor_sync(0xffffffffu, first, o));
    last = max(last, __shfl_xor_sync(0xffffffffu, last, o));
  }
  int* const sBounds = reinterpret_cast<int*>(smem);
  if ((tid & 31) == 0) {
    sBounds[tid >> 5] = first;
    sBounds[kWarps + (tid >> 5)] = last;
  }
  __syncthreads();
  int kBegin = sBounds[0], kEnd = sBounds[kWarps];
#pragma unroll
  for (int q = 1; q < kWarps; ++q) {
    kBegin = min(kBegin, sBounds[q]);
    kEnd = max(kEnd, sBounds[kWarps + q]);
  }
  const int chunks = kEnd > kBegin ? (kEnd - kBegin - 1) / kChunk + 1 : 0;

  const int colBase = blockIdx.y * kTile;
  bool live[kVecsPerThread];
  float acc[kVecsPerThread][kVec];
#pragma unroll
  for (int j = 0; j < kVecsPerThread; ++j) {
    live[j] = colBase + (j * kSubwarp + lane) * kVec < m;
#pragma unroll
    for (int t = 0; t < kVec; ++t) acc[j][t] = 0.0f;
  }

  // The row cursor and two groups of four (column, value) pairs in registers.
  int p = start;
  int gp = start & ~3;
  int c[4], nc[4];
  float w[4], nw[4];
  load_group(c, w, columnIndices, values, gp, end);
  load_group(nc, nw, columnIndices, values, gp + 4, end);

  elem_t* const sX = reinterpret_cast<elem_t*>(smem + kBoundsBytes);
  for (int ch = 0; ch < chunks; ++ch) {
    const int k0 = kBegin + ch * kChunk;
    const int kHi = kEnd - k0 < kChunk ? kEnd : k0 + kChunk;
    stage_x(sX, x, k0, kEnd, colBase, m, tid);
    __syncthreads();  // the chunk is visible to every row
    walk_chunk(acc, live, sX + lane * kVec, k0, kHi, p, gp, c, w, nc, nw, columnIndices, values, end);
    __syncthreads();  // every row done reading before the next chunk overwrites
  }
  if (!active) return;  // after the last barrier
  const float b = to_f32(bias[row]);
  const elem_t* const rLane = residual + (long long)row * m + colBase + lane * kVec;
  elem_t* const yLane = y + (long long)row * m + colBase + lane * kVec;
#pragma unroll
  for (int j = 0; j < kVecsPerThread; ++j) {
    if (live[j]) {
      float r[kVec];
      load_x(rLane + j * (kSubwarp * kVec), r);
      float o[kVec];
#pragma unroll
      for (int t = 0; t < kVec; ++t) o[t] = acc[j][t] + b + r[t];
      store_y(yLane + j * (kSubwarp * kVec), o);
    }
  }
}

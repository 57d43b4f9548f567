// spmm n=2048 k=512 m=5 nnz=104858 dtype=f32 cfg=simple.r8.t32 pattern=9f2c41e00badcafe
// sparrow kernelgen v4 acc=f32 epilogue=bias_residual rows=identity max_row=80 sm=sm_90 grid=(1,256,1) block=(32,8,1) smem=0

typedef float elem_t;

constexpr int kThreadsPerRow = 32;  // threads along the columns of Y
constexpr int kRows = 8;  // rows per block

__device__ __forceinline__ float to_f32(float v) { return v; }
__device__ __forceinline__ float from_f32(float v) { return v; }

extern "C" __global__ void
sparrow_spmm_f32_simple_r8_t32(
    const int n,
    const int m,
    const int* __restrict__ rowOffsets,
    const int* __restrict__ columnIndices,
    const elem_t* __restrict__ values,
    const elem_t* __restrict__ x,
    const elem_t* __restrict__ bias,
    const elem_t* __restrict__ residual,
    elem_t* __restrict__ y) {
  const int col = blockIdx.x * kThreadsPerRow + threadIdx.x;
  const int slot = blockIdx.y * kRows + threadIdx.y;
  if (col >= m || slot >= n) return;  // no barriers in this kernel
  const int row = slot;
  const int start = rowOffsets[row];
  const int end = rowOffsets[row + 1];
  const elem_t* const xCol = x + col;
  float acc = 0.0f;
#pragma unroll 4
  for (int p = start; p < end; ++p) {
    acc = fmaf(to_f32(values[p]), to_f32(xCol[(long long)columnIndices[p] * m]), acc);
  }
  const float b = to_f32(bias[row]);
  y[(long long)row * m + col] = from_f32(acc + b + to_f32(residual[(long long)row * m + col]));
}

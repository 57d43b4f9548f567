/// Small kernels used by the self-checks and the NVRTC tests.
package enum SampleKernels {
    /// `y[i] = a * x[i] + y[i]` for i < n (fp32).
    package static let axpy = """
        extern "C" __global__ void axpy(float a, const float* __restrict__ x, float* __restrict__ y, int n) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = a * x[i] + y[i];
        }
        """

    /// fp16 in, fp32 accumulate, fp16 out, through `cuda_fp16.h`.
    package static let axpyHalf = """
        #include <cuda_fp16.h>
        extern "C" __global__ void axpy_half(float a, const __half* __restrict__ x, __half* __restrict__ y, int n) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = __float2half(a * __half2float(x[i]) + __half2float(y[i]));
        }
        """

    /// `v[i] += 1` (graph capture check: N launches add N).
    package static let increment = """
        extern "C" __global__ void increment(float* v, int n) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) v[i] += 1.0f;
        }
        """

    /// Reverses `n` floats through dynamic shared memory (one block; n <= shared capacity).
    package static let reverseShared = """
        extern "C" __global__ void reverse_shared(const float* in, float* out, int n) {
            extern __shared__ float buffer[];
            for (int i = threadIdx.x; i < n; i += blockDim.x) buffer[i] = in[i];
            __syncthreads();
            for (int i = threadIdx.x; i < n; i += blockDim.x) out[i] = buffer[n - 1 - i];
        }
        """

    /// Does not compile (undeclared identifier), for the failure path.
    package static let broken = """
        extern "C" __global__ void broken(float* y) { y[0] = undeclared_value; }
        """
}

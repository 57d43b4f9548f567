import CUDA

/// Whether the GPU path can run here, for callers that do not import CUDA.
package enum GPUAvailability {
    /// nil when a GPU, libcuda and NVRTC are usable; otherwise one line saying why not.
    package static var reason: String? { CUDAEnvironment.gpuUnavailableReason }
}

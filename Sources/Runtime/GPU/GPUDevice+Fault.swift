import CUDA

extension GPUDevice {
    /// Faults this device's context on purpose: a one-thread kernel writes to address 16, so the
    /// driver reports CUDA_ERROR_ILLEGAL_ADDRESS (700) and the context is unusable from then on.
    /// Only for checking the tuner's fault handling on a real GPU (`sparrow tune --inject-fault`).
    package func launchFaultingKernel() throws {
        let source = "extern \"C\" __global__ void sparrow_fault() { *(volatile int*)16 = 1; }\n"
        let compiled = try nvrtc.compile(source, name: "sparrow_fault.cu", target: target)
        let module = try CUDAModule(context: context, kernel: compiled)
        try module.function("sparrow_fault").launch(grid: Dim3(1), block: Dim3(1), stream: stream, arguments: [])
        try stream.synchronize()
        withExtendedLifetime(module) {}
    }
}

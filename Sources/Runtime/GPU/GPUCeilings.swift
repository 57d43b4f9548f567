import CUDA
import SparseFormats

extension GPUDevice {
    /// FP32 lanes per SM by architecture (the CUDA programming guide's arithmetic throughput table).
    package var fp32LanesPerSM: Int {
        switch (properties.computeCapabilityMajor, properties.computeCapabilityMinor) {
        case (8, 0), (7, _), (6, 0): 64
        default: 128
        }
    }

    /// The ceilings used for the fraction of the floor: peak fp32 FMA rate from the SM count
    /// and clock, and memory bandwidth measured by a 1 GiB device-to-device copy (bytes read
    /// plus bytes written over time). fp16 SpMM without tensor cores runs on the same lanes.
    package func measureCeilings() throws -> MachineCeilings {
        let count = 1 << 28  // 256 Mi floats = 1 GiB
        let a = try DeviceBuffer<Float>(context: context, count: count)
        let b = try DeviceBuffer<Float>(context: context, count: count)
        try a.fillWords(0x3F80_0000, stream: stream)
        let seconds = Statistics.median(
            try LaunchTiming.samples(stream: stream, warmup: 2, iterations: 10) { try b.copyAsync(from: a, stream: stream) })
        let bandwidth = 2 * Double(count * 4) / seconds
        var source = "bandwidth: 1 GiB device copy (read + write); "
        let peak: Double
        if let khz = properties.clockRateKHz, khz > 0 {
            peak = Double(properties.multiprocessorCount * fp32LanesPerSM * 2) * Double(khz) * 1e3
            source += "peak: \(properties.multiprocessorCount) SMs x \(fp32LanesPerSM) FP32 lanes x 2 x \(khz / 1000) MHz"
        } else {
            // CUDA 13 may not report the clock: fall back to the boost clock of the part.
            let mhz = 1980.0
            peak = Double(properties.multiprocessorCount * fp32LanesPerSM * 2) * mhz * 1e6
            source += "peak: \(properties.multiprocessorCount) SMs x \(fp32LanesPerSM) FP32 lanes x 2 x \(Int(mhz)) MHz (clock not reported; assumed)"
        }
        let (one, full) = try measureLaunchCost()
        return MachineCeilings(
            peakFlops: peak, bandwidthBytesPerSecond: bandwidth, source: source, launchSeconds: one,
            fullGridLaunchSeconds: full)
    }

    /// Median time of an empty kernel launched back to back, timed exactly like a candidate
    /// (``LaunchTiming``), with one block and with 8 blocks of 256 threads per SM: the part of
    /// every measured time that is launch, not work.
    package func measureLaunchCost() throws -> (oneBlock: Double, fullGrid: Double) {
        let source = "// sparrow: an empty kernel, to time a launch\nextern \"C\" __global__ void sparrow_empty_kernel() {}\n"
        let compiled = try nvrtc.compile(source, name: "sparrow_empty_kernel.cu", target: target, cache: cache)
        let module = try CUDAModule(context: context, kernel: compiled)
        let function = try module.function("sparrow_empty_kernel")
        func time(grid: Int, block: Int) throws -> Double {
            let launch = try PreparedLaunch(function: function, grid: Dim3(grid), block: Dim3(block), stream: stream, arguments: [])
            return Statistics.median(try LaunchTiming.samples(stream: stream, warmup: 5, iterations: 20) { try launch.launch() })
        }
        return (try time(grid: 1, block: 32), try time(grid: 8 * properties.multiprocessorCount, block: 256))
    }
}

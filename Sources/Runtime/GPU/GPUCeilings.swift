import CUDA

extension GPUDevice {
    /// FP32 lanes per SM by architecture (the CUDA programming guide's arithmetic throughput table).
    var fp32LanesPerSM: Int {
        switch (properties.computeCapabilityMajor, properties.computeCapabilityMinor) {
        case (8, 0), (7, _), (6, 0): 64
        default: 128
        }
    }

    /// The ceilings used for the fraction of the floor: peak fp32 FMA rate from the SM count
    /// and clock, and memory bandwidth measured by a 1 GiB device-to-device copy (bytes read
    /// plus bytes written over time). fp16 SpMM without tensor cores runs on the same lanes.
    public func measureCeilings() throws -> MachineCeilings {
        let count = 1 << 28  // 256 Mi floats = 1 GiB
        let a = try DeviceBuffer<Float>(context: context, count: count)
        let b = try DeviceBuffer<Float>(context: context, count: count)
        try a.fillWords(0x3F80_0000, stream: stream)
        let times = try LaunchTiming.perRun(stream: stream, iterations: 10, warmup: 2) { try b.copyAsync(from: a, stream: stream) }
        let ms = Statistics.median(times.map(Double.init))
        let bandwidth = 2 * Double(count * 4) / (ms / 1e3)
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
        return MachineCeilings(peakFlops: peak, bandwidthBytesPerSecond: bandwidth, source: source)
    }
}

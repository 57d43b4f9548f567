import Runtime

/// `sparrow selftest` as one entry point: the GPU checks where a GPU works (skipped, with the
/// reason, where `auto` fell back), then the CPU checks.
package enum SelfTest {
    /// Every check on `device`; `everyConfig` checks each GPU config of the space rather than a
    /// sample; `compactOnly` runs the CUDA checks and the compact family's GPU cases only,
    /// `bitmapOnly` the CUDA checks and the bitmap tensor-core family's cases only,
    /// `attentionOnly` the CUDA checks and the sparse attention cases only;
    /// `specialisedOnly` the CUDA checks, the specialised family's cases and the locality row order's;
    /// `baselinesOnly` the CUDA checks and the GPU baselines (cuSPARSE, cuSPARSELt, cuBLAS);
    /// `encoderOnly`, on a GPU, only the GPU encoder's check (no kernel sweep, no CPU checks).
    /// `note` hears progress.
    package static func run(
        device: DeviceRequest, everyConfig: Bool, compactOnly: Bool = false, bitmapOnly: Bool = false, attentionOnly: Bool = false,
        encoderOnly: Bool = false, specialisedOnly: Bool = false, baselinesOnly: Bool = false, note: @escaping @Sendable (String) -> Void
    ) throws -> [SelfTestResult] {
        var results: [SelfTestResult] = []
        switch try device.resolve(note: { note("sparrow: \($0)") }) {
        case let .gpu(gpu):
            note("selftest on \(gpu.summary)")
            if encoderOnly { return GPUEncoderSelfTest(device: gpu).run() }
            var selfTest = GPUSelfTest(
                device: gpu, everyConfig: everyConfig, compactOnly: compactOnly, bitmapOnly: bitmapOnly, attentionOnly: attentionOnly,
                progress: note)
            selfTest.specialisedOnly = specialisedOnly
            selfTest.baselinesOnly = baselinesOnly
            results += try selfTest.run()
            if compactOnly || bitmapOnly || attentionOnly || specialisedOnly || baselinesOnly { return results }
            results += GPUEncoderSelfTest(device: gpu).run()
        case let .cpu(reason):
            if let reason { results.append(SelfTestResult(group: "gpu", name: "GPU", status: .skipped, detail: reason)) }
        }
        return results + CPUSelfTest(progress: note).run()
    }
}

import Runtime

/// `sparrow selftest` as one entry point: the GPU checks where a GPU works (skipped, with the
/// reason, where `auto` fell back), then the CPU checks.
package enum SelfTest {
    /// Every check on `device`; `everyConfig` checks each GPU config of the space rather than a
    /// sample. `note` hears progress.
    package static func run(
        device: DeviceRequest, everyConfig: Bool, note: @escaping @Sendable (String) -> Void
    ) throws -> [SelfTestResult] {
        var results: [SelfTestResult] = []
        switch try device.resolve(note: { note("sparrow: \($0)") }) {
        case let .gpu(gpu):
            note("selftest on \(gpu.summary)")
            results += try GPUSelfTest(device: gpu, everyConfig: everyConfig, progress: note).run()
        case let .cpu(reason):
            if let reason { results.append(SelfTestResult(group: "gpu", name: "GPU", status: .skipped, detail: reason)) }
        }
        return results + CPUSelfTest(progress: note).run()
    }
}

import SparseFormats

/// An attention problem or config the kernels cannot run; each case states the rule it breaks.
package enum AttentionConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Head sizes are compile-time constants of 32, 64 or 128.
    case unsupportedHeadSize(Int)
    /// Q, K, V and O are f16 or bf16 (tensor-core inputs); accumulation is fp32.
    case unsupportedElementType(ElementType)
    /// A knob outside the values its kernel is written for.
    case unsupportedKnob(variant: String, field: String, value: Int, allowed: [Int])
    /// Threads per block above the device's limit.
    case tooManyThreads(threads: Int, limit: Int)
    /// Shared memory per block above the device's opt-in limit.
    case sharedMemoryExceedsOptIn(bytes: Int, limit: Int)
    /// `mma.sync` on bf16 and `cp.async` need compute capability 8.0.
    case needsSM80(ComputeCapability)
    /// `wgmma` (the wg kernel) exists on compute capability 9.0 alone (sm_90a).
    case needsSM90a(ComputeCapability)
    /// The estimated registers per thread exceed the 255 a thread may hold.
    case registerBudgetExceeded(needed: Int, limit: Int)
    /// Text that is not an attention config id.
    case unparsable(String)
    /// A split config rendered without the plan of its (queries per block, keys per tile, T), or
    /// an unsplit one with a plan.
    case splitPlanMismatch(config: String, plan: String)

    package var description: String {
        switch self {
        case let .unsupportedHeadSize(d): "head size \(d) is not one of 32, 64, 128 (compile-time head sizes)"
        case let .unsupportedElementType(type): "element type \(type.rawValue): the attention kernels take f16 or bf16 (fp32 accumulation)"
        case let .unsupportedKnob(variant, field, value, allowed):
            "\(variant) attention: \(field) = \(value) is not one of \(allowed.map(String.init).joined(separator: ", "))"
        case let .tooManyThreads(threads, limit): "attention block of \(threads) threads exceeds the device limit \(limit)"
        case let .sharedMemoryExceedsOptIn(bytes, limit):
            "attention block needs \(bytes) bytes of shared memory (K and V tiles, segment table), above the device's opt-in limit \(limit)"
        case let .needsSM80(capability):
            "the tensor-core attention kernel uses mma.sync (bf16) and cp.async, which need compute capability 8.0 (device has \(capability))"
        case let .needsSM90a(capability):
            "the wg attention kernel uses wgmma, which exists on compute capability 9.0 alone (sm_90a; device has \(capability))"
        case let .registerBudgetExceeded(needed, limit):
            "attention tile needs about \(needed) registers per thread (accumulators + Q fragments + scores), above \(limit)"
        case let .unparsable(text):
            "'\(text)' is not an attention config id (expected tc.w4.k64.s2, tc.w4.k64.s2.t8, wg.w4.k64.s2, rw.w4, or unfused.w4)"
        case let .splitPlanMismatch(config, plan):
            "attention config \(config) with split plan '\(plan)': a split config (T > 0) needs the plan of its own block, tile and T; an unsplit one none"
        }
    }
}

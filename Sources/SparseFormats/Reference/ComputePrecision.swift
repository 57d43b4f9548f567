/// The arithmetic a kernel computes in, and the one tolerance table every check uses.
///
/// A kernel's output is compared with the Float64 reference by relative L2 error
/// (‖y − ref‖ / ‖ref‖, ``ReferenceSpMM/relativeError(_:reference:)``). fp32 accumulation of a
/// few thousand terms lands far below 1e-4; TF32 rounds operands to 10 mantissa bits (about 3e-4
/// seen); fp16 and bf16 round inputs and outputs (bf16 keeps 8 bits, about 4e-3 per element in
/// the worst case). Kernels, baselines, the self-test and the benchmark all read this table.
public enum ComputePrecision: String, Codable, Sendable, CaseIterable {
    case fp32, tf32, fp16, bf16

    /// The largest relative L2 error that still counts as correct.
    public var relativeTolerance: Double {
        switch self {
        case .fp32: 1e-4
        case .tf32: 5e-3
        case .fp16: 5e-3
        case .bf16: 2e-2
        }
    }

    /// The precision of a kernel that stores values in `type` and accumulates in fp32.
    public init(storage type: ElementType) {
        switch type {
        case .f64, .f32: self = .fp32
        case .f16: self = .fp16
        case .bf16: self = .bf16
        }
    }

    /// The element type operands are stored in (TF32 reads fp32).
    public var storage: ElementType {
        switch self {
        case .fp32, .tf32: .f32
        case .fp16: .f16
        case .bf16: .bf16
        }
    }
}

import Runtime
import SparseFormats

/// A sparse linear layer, Y = W X (+ bias), planned once for X of a fixed width and applied to
/// any X of that shape.
///
/// Planning picks the device (``DeviceRequest``: the GPU when one works, else the CPU, with the
/// reason in ``report``), and on the GPU tunes the kernel: the tuner measures a shortlist of
/// generated kernels, each checked against a Float64 reference first, and keeps the fastest.
public final class SparseLinear {
    private let plan: SparseLinearPlan

    /// Plans `weights` (N x K) for X of `width` columns (K x width), with an optional bias of N
    /// values, on `device`.
    /// - Throws: when the shapes disagree, when `device` is `.gpu` and no GPU works, or when no
    ///   kernel produced a correct result.
    public init(_ weights: SparseWeights, bias: [Float]? = nil, width: Int, device: DeviceRequest = .auto) throws {
        plan = try SparseLinearPlan(weights: weights.matrix, bias: bias, m: width, device: try device.resolve())
    }

    /// Y = W X (+ bias): X is K x width, row-major; Y is N x width.
    public func apply(_ x: DenseMatrix<Float>) throws -> DenseMatrix<Float> { try plan.apply(x) }

    /// Where the layer runs, which kernel was chosen, how long it takes and how long planning took.
    public var report: LinearPlanReport { plan.report }
}

/// What is applied to each output element after the product: `y + bias[row]`, then ReLU
/// (`max(y, 0)`), then the exact GELU (`y Φ(y)`, erf), each when asked for. (A residual, added
/// after these, is an operand of ``CPUSpMMPlan/run(x:ldx:y:ldy:m:epilogue:residual:ldr:)``.)
package struct CPUEpilogue: Sendable, Hashable {
    /// One value per output feature (row of W), or nil.
    package var bias: [Float]?
    package var relu: Bool
    package var gelu: Bool

    package init(bias: [Float]? = nil, relu: Bool = false, gelu: Bool = false) {
        self.bias = bias
        self.relu = relu
        self.gelu = gelu
    }

    /// Plain product.
    package static var none: CPUEpilogue { CPUEpilogue() }
}

/// Misuse of the CPU kernels' safe API, naming the operand and the shapes involved.
package enum CPUKernelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An operand's shape does not fit the operation.
    case shapeMismatch(operation: String, operand: String, expected: [Int], actual: [Int])
    /// The bias has the wrong length.
    case biasCount(expected: Int, actual: Int)

    package var description: String {
        switch self {
        case let .shapeMismatch(operation, operand, expected, actual):
            "\(operation): \(operand) has shape \(actual), expected \(expected)"
        case let .biasCount(expected, actual):
            "bias has \(actual) values, expected \(expected) (one per output feature)"
        }
    }
}

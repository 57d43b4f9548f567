/// What is applied to each output element after the product: `max(y + bias[row], 0)`.
package struct CPUEpilogue: Sendable, Hashable {
    /// One value per output feature (row of W), or nil.
    package var bias: [Float]?
    package var relu: Bool

    package init(bias: [Float]? = nil, relu: Bool = false) {
        self.bias = bias
        self.relu = relu
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

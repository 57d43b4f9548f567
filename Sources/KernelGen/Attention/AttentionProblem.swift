import SparseFormats

/// What an attention kernel is specialised to at compile time: the head size, the element type of
/// Q, K, V and O, and the device. Sequence length, batch x heads, segments per row, the view
/// stride and the scale are run-time arguments, so one compiled kernel serves every pattern and
/// length of its (head size, type).
package struct AttentionProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Head sizes the kernels are written for.
    package static let headSizes = [32, 64, 128]
    /// Element types the kernels are written for (fp32 accumulation in every case).
    package static let elementTypes: [ElementType] = [.f16, .bf16]

    package var headSize: Int
    package var elementType: ElementType
    package var device: DeviceLimits

    /// Checks the head size and element type.
    package init(headSize: Int, elementType: ElementType, device: DeviceLimits) throws(AttentionConfigError) {
        guard Self.headSizes.contains(headSize) else { throw .unsupportedHeadSize(headSize) }
        guard Self.elementTypes.contains(elementType) else { throw .unsupportedElementType(elementType) }
        self.headSize = headSize
        self.elementType = elementType
        self.device = device
    }

    package var description: String {
        "attention d=\(headSize) dtype=\(elementType.rawValue) sm=\(device.computeCapability.architecture)"
    }
}

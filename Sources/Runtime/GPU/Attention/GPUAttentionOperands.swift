import CUDA
import SparseFormats

/// Q, K, V and O of sparse attention on the device: `batchHeads x L x headSize` elements each,
/// row-major per head (the layout of ``SparseFormats/ReferenceAttention``), in one element type.
package final class GPUAttentionOperands {
    package let type: ElementType
    /// Elements per operand.
    package let elements: Int
    package let q: DeviceBuffer<UInt8>
    package let k: DeviceBuffer<UInt8>
    package let v: DeviceBuffer<UInt8>
    package let o: DeviceBuffer<UInt8>

    /// Uploads Q, K and V (converted to `type`, rounding to nearest even) and allocates O.
    package init(device: GPUDevice, q: [Float], k: [Float], v: [Float], type: ElementType) throws {
        guard q.count == k.count, k.count == v.count, !q.isEmpty else {
            throw CUDAError.invalidArgument("attention Q, K, V of \(q.count), \(k.count), \(v.count) elements (equal and nonzero)")
        }
        let context = device.context
        self.type = type
        elements = q.count
        self.q = try DeviceBuffer(context: context, copying: ElementBytes.encode(q, as: type))
        self.k = try DeviceBuffer(context: context, copying: ElementBytes.encode(k, as: type))
        self.v = try DeviceBuffer(context: context, copying: ElementBytes.encode(v, as: type))
        o = try DeviceBuffer(context: context, count: ElementBytes.paddedByteCount(q.count, type))
    }

    /// Fills O with NaN so an element no kernel writes shows up in the check.
    package func poisonOutput(stream: CUDAStream?) throws {
        try o.fillWords(ElementBytes.nanWord(type), stream: stream)
    }

    /// O as Float.
    package func output() throws -> [Float] {
        Array(ElementBytes.decode(try o.download(), as: type).prefix(elements))
    }

    /// Device bytes of the four operands.
    package var byteCount: Int { q.byteCount + k.byteCount + v.byteCount + o.byteCount }
}

import CUDA
import Runtime
import SparseFormats

/// The device memory of one (batch, bucket) of the GPU encoder, allocated once: the inputs
/// (token ids, token types, mask), the feature-major activations and the pooled output.
final class GPUBufferSet {
    let batch: Int
    let bucket: Int
    let tokens: Int
    let ids: DeviceBuffer<Int32>
    let typeIDs: DeviceBuffer<Int32>
    let mask: DeviceBuffer<Int32>
    /// Layer input and output (hidden x T).
    let x: DeviceBuffer<UInt8>
    /// Queries, keys and values stacked (3 hidden x T).
    let qkv: DeviceBuffer<UInt8>
    /// Attention context (hidden x T).
    let context: DeviceBuffer<UInt8>
    /// Attention output plus residual, normalised in place (hidden x T).
    let attended: DeviceBuffer<UInt8>
    /// FFN intermediate (intermediate x T).
    let intermediate: DeviceBuffer<UInt8>
    /// Pooled (and normalised) embeddings, fp32 (batch x hidden).
    let pooled: DeviceBuffer<Float>

    init(device: GPUDevice, config: BertConfig, type: ElementType, batch: Int, bucket: Int) throws {
        let context = device.context
        let t = batch * bucket, h = config.hiddenSize, w = type.byteWidth
        self.batch = batch
        self.bucket = bucket
        tokens = t
        ids = try DeviceBuffer(context: context, count: t)
        typeIDs = try DeviceBuffer(context: context, count: t)
        mask = try DeviceBuffer(context: context, count: t)
        x = try DeviceBuffer(context: context, count: h * t * w)
        qkv = try DeviceBuffer(context: context, count: 3 * h * t * w)
        self.context = try DeviceBuffer(context: context, count: h * t * w)
        attended = try DeviceBuffer(context: context, count: h * t * w)
        intermediate = try DeviceBuffer(context: context, count: config.intermediateSize * t * w)
        pooled = try DeviceBuffer(context: context, count: batch * h)
        for buffer in [x, qkv, self.context, attended, intermediate] { try buffer.fillBytes(0) }
        try mask.upload([Int32](repeating: 1, count: t))
        try ids.upload([Int32](repeating: 0, count: t))
        try typeIDs.upload([Int32](repeating: 0, count: t))
    }

    /// Pads `batch` (at most `self.batch` rows of at most `bucket` tokens) to the bucket, rows
    /// past its count fully masked, and copies ids, types and mask to the device.
    func upload(_ input: TokenBatch, padID: Int32) throws {
        precondition(input.count <= batch && input.length <= bucket, "a batch of \(input.count) x \(input.length) in buffers of \(batch) x \(bucket)")
        var ids = [Int32](repeating: padID, count: tokens)
        var types = [Int32](repeating: 0, count: tokens)
        var mask = [Int32](repeating: 0, count: tokens)
        for row in 0..<input.count {
            for s in 0..<input.length {
                ids[row * bucket + s] = input.ids[row * input.length + s]
                types[row * bucket + s] = input.typeIDs[row * input.length + s]
                mask[row * bucket + s] = input.attentionMask[row * input.length + s]
            }
        }
        try self.ids.upload(ids)
        try typeIDs.upload(types)
        try self.mask.upload(mask)
    }
}

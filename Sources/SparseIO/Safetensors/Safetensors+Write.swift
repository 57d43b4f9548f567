import Foundation

extension Safetensors {
    /// The file bytes the reference writer produces for `tensors`: `__metadata__`
    /// first (when not empty), tensors ordered by dtype alignment (largest first,
    /// the reference's dtype order) then by name, compact JSON padded with spaces
    /// to a multiple of 8 bytes.
    public static func encode(_ tensors: TensorCollection) -> Data {
        let ordered = tensors.names.compactMap { name in tensors[name].map { (name, $0) } }
            .sorted { (rank($0.1.dtype), $1.0) > (rank($1.1.dtype), $0.0) }
        var json = "{"
        var parts: [String] = []
        if !tensors.metadata.isEmpty {
            let pairs = tensors.metadata.keys.sorted().map { StrictJSON.quoted($0) + ":" + StrictJSON.quoted(tensors.metadata[$0] ?? "") }
            parts.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let end = offset + tensor.bytes.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            parts.append(StrictJSON.quoted(name) + ":{\"dtype\":\"\(tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += parts.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var data = Data()
        data.reserveCapacity(8 + header.count + offset)
        data.appendLittleEndian(UInt64(header.count))
        data.append(contentsOf: header)
        for (_, tensor) in ordered { data.append(tensor.bytes) }
        return data
    }

    /// Writes `tensors` to `path`.
    public static func write(_ tensors: TensorCollection, to path: String) throws(SparseIOError) {
        try FileBytes.write(encode(tensors), to: path)
    }

    /// The reference implementation's dtype order (its `Dtype` enum); larger sorts first.
    static func rank(_ dtype: TensorDType) -> Int {
        switch dtype {
        case .bool: 0
        case .u8: 1
        case .i8: 2
        case .i16: 3
        case .f16: 4
        case .bf16: 5
        case .i32: 6
        case .f32: 7
        case .f64: 8
        case .i64: 9
        }
    }
}

import Foundation

extension NPY {
    /// The `.npy` bytes `np.save` would write for `tensor` (version 1.0, or 2.0 when the
    /// header needs it; data aligned to 64 bytes). Throws for dtypes `.npy` does not
    /// carry here (bf16, i16, i8, u8).
    public static func encode(_ tensor: AnyDenseTensor, path: String = "<memory>") throws(SparseIOError) -> Data {
        guard let descr = tensor.dtype.npyDescr else {
            throw SparseIOError(path: path, .unsupportedDType("\(tensor.dtype.rawValue) cannot be written to .npy (use .safetensors)"))
        }
        var data = header(descr: descr, shape: tensor.shape)
        data.append(tensor.bytes)
        return data
    }

    /// Writes `tensor` to `path` as `.npy`.
    public static func write(_ tensor: AnyDenseTensor, to path: String) throws(SparseIOError) {
        try FileBytes.write(try encode(tensor, path: path), to: path)
    }

    /// A 0-d `|S` array holding `text` (ASCII), as scipy's npz `format` member.
    static func encodeByteString(_ text: String) -> Data {
        let bytes = Array(text.utf8)
        var data = header(descr: "|S\(bytes.count)", shape: [])
        data.append(contentsOf: bytes)
        return data
    }

    /// Magic, version and the padded header dict, as NumPy's `_wrap_header`.
    static func header(descr: String, shape: [Int]) -> Data {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad with spaces and end with a newline so the data starts at a multiple of 64;
        // version 1.0 unless the padded header overflows its 16-bit length.
        func padded(prefix: Int) -> String {
            let unpadded = prefix + dict.utf8.count + 1
            return dict + String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        }
        let version1 = padded(prefix: 10).utf8.count <= Int(UInt16.max)
        dict = padded(prefix: version1 ? 10 : 12)
        var data = Data(magic)
        data.append(contentsOf: version1 ? [1, 0] : [2, 0])
        if version1 {
            data.appendLittleEndian(UInt16(dict.utf8.count))
        } else {
            data.appendLittleEndian(UInt32(dict.utf8.count))
        }
        data.append(contentsOf: Array(dict.utf8))
        return data
    }
}

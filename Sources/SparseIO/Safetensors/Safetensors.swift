import Foundation

/// safetensors files, following the reference implementation's rules.
///
/// Layout: an 8-byte little-endian header length N (at most 100,000,000), N bytes of
/// UTF-8 JSON (an object; trailing spaces allowed, as the reference writer pads to
/// 8 bytes), then the byte buffer. Each tensor is
/// `{"dtype": ..., "shape": [...], "data_offsets": [begin, end]}` with offsets into
/// the buffer; sorted by offset the tensors must tile the buffer exactly from 0 to
/// its end (no gaps, no overlaps, no trailing bytes), and each `end - begin` must
/// equal the dtype size times the product of the shape. Duplicate names (and
/// duplicate keys anywhere in the JSON) are rejected. An optional `__metadata__`
/// string-to-string map is kept. Dtypes: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL.
public enum Safetensors {
    /// The reference implementation's header size limit.
    public static let maxHeaderSize = 100_000_000

    /// Reads a file (memory-mapped: each tensor's bytes are a slice of the mapping,
    /// so nothing is copied until a tensor is materialised).
    public static func read(_ path: String) throws(SparseIOError) -> TensorCollection {
        try decode(FileBytes.map(path), path: path)
    }

    /// Parses safetensors bytes; `path` names the source in errors.
    public static func decode(_ data: Data, path: String) throws(SparseIOError) -> TensorCollection {
        func fail(_ defect: SparseIOError.Defect, member: String? = nil, at offset: Int? = nil) -> SparseIOError {
            SparseIOError(path: path, member: member, offset: offset, defect)
        }
        guard data.count >= 8 else { throw fail(.truncated(needed: 8, available: data.count)) }
        let declared = data.littleEndianInteger(at: 0, width: 8)
        guard declared <= UInt64(maxHeaderSize) else {
            throw fail(.headerTooLarge(length: declared > UInt64(Int.max) ? Int.max : Int(declared), limit: maxHeaderSize), at: 0)
        }
        let headerLength = Int(declared)
        let bufferStart = 8 + headerLength
        guard bufferStart <= data.count else { throw fail(.truncated(needed: bufferStart, available: data.count), at: 0) }
        let headerBytes = Array(data.bytes(8..<bufferStart))
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw fail(.invalidUTF8, at: 8) }
        guard headerBytes.first == UInt8(ascii: "{") else { throw fail(.invalidJSON("the header must start with '{'"), at: 8) }
        let json: StrictJSON
        do {
            json = try StrictJSON.parse(headerBytes)
        } catch {
            if let key = error.duplicateKey { throw fail(.duplicateName(key), at: 8 + error.offset) }
            throw fail(.invalidJSON(error.message), at: 8 + error.offset)
        }
        guard case let .object(entries) = json else { throw fail(.invalidJSON("the header must be an object"), at: 8) }

        var collection = TensorCollection()
        var infos: [(name: String, dtype: TensorDType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in entries {
            if name == "__metadata__" {
                collection.metadata = try metadata(value, fail: { fail($0, member: name) })
                continue
            }
            let info = try tensorInfo(value, fail: { fail($0, member: name) })
            infos.append((name, info.dtype, info.shape, info.begin, info.end))
        }
        // Offsets must tile the buffer; sort by (begin, end) as the reference validates.
        infos.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var cursor = 0
        for info in infos {
            if info.begin < cursor {
                throw fail(.overlappingTensors("'\(info.name)' begins at \(info.begin), before the previous tensor ends at \(cursor)"), member: info.name)
            }
            if info.begin > cursor {
                throw fail(.gapBetweenTensors("'\(info.name)' begins at \(info.begin), the previous tensor ends at \(cursor)"), member: info.name)
            }
            guard let expected = AnyDenseTensor.byteCount(dtype: info.dtype, shape: info.shape) else {
                throw fail(.sizeOverflow("\(info.dtype.safetensorsName) \(info.shape)"), member: info.name)
            }
            guard info.end - info.begin == expected else {
                throw fail(.dataSizeMismatch(expected: expected, actual: info.end - info.begin), member: info.name)
            }
            cursor = info.end
        }
        let (fileEnd, overflow) = bufferStart.addingReportingOverflow(cursor)
        guard !overflow, fileEnd <= data.count else {
            throw fail(.truncated(needed: overflow ? Int.max : fileEnd, available: data.count))
        }
        guard fileEnd == data.count else {
            throw fail(.trailingBytes(expected: fileEnd, actual: data.count), at: fileEnd)
        }
        for info in infos {
            let bytes = data.bytes((bufferStart + info.begin)..<(bufferStart + info.end))
            collection.append(info.name, AnyDenseTensor(dtype: info.dtype, shape: info.shape, bytes: bytes))
        }
        return collection
    }

    static func metadata(_ value: StrictJSON, fail: (SparseIOError.Defect) -> SparseIOError) throws(SparseIOError) -> [String: String] {
        guard case let .object(pairs) = value else { throw fail(.invalidJSON("__metadata__ must be an object of strings")) }
        var out: [String: String] = [:]
        for (key, item) in pairs {
            guard case let .string(text) = item else { throw fail(.invalidJSON("__metadata__['\(key)'] must be a string")) }
            out[key] = text
        }
        return out
    }

    static func tensorInfo(_ value: StrictJSON, fail: (SparseIOError.Defect) -> SparseIOError) throws(SparseIOError) -> (dtype: TensorDType, shape: [Int], begin: Int, end: Int) {
        guard case let .object(fields) = value else { throw fail(.headerKeys("a tensor entry must be an object")) }
        let keys = Set(fields.map(\.key))
        guard keys == ["dtype", "shape", "data_offsets"] else {
            throw fail(.headerKeys("expected exactly dtype, shape, data_offsets, found \(fields.map(\.key).sorted())"))
        }
        var dtype: TensorDType?, shape: [Int]?, offsets: [Int]?
        for (key, item) in fields {
            switch key {
            case "dtype":
                guard case let .string(name) = item else { throw fail(.headerKeys("dtype must be a string")) }
                guard let known = TensorDType(safetensorsName: name) else { throw fail(.unsupportedDType(name)) }
                dtype = known
            case "shape":
                shape = try unsignedIntegers(item, what: "shape", fail: fail)
            default:
                offsets = try unsignedIntegers(item, what: "data_offsets", fail: fail)
            }
        }
        guard let dtype, let shape, let offsets else { throw fail(.headerKeys("missing dtype, shape or data_offsets")) }
        guard offsets.count == 2 else { throw fail(.invalidOffsets("expected [begin, end], found \(offsets.count) numbers")) }
        guard offsets[0] <= offsets[1] else { throw fail(.invalidOffsets("begin \(offsets[0]) is after end \(offsets[1])")) }
        return (dtype, shape, offsets[0], offsets[1])
    }

    /// An array of non-negative JSON integers that fit Int.
    static func unsignedIntegers(_ value: StrictJSON, what: String, fail: (SparseIOError.Defect) -> SparseIOError) throws(SparseIOError) -> [Int] {
        guard case let .array(items) = value else { throw fail(.headerKeys("\(what) must be an array of non-negative integers")) }
        var out: [Int] = []
        for item in items {
            guard case let .number(text) = item, let number = Int(text), number >= 0 else {
                throw fail(.headerKeys("\(what) must be an array of non-negative integers that fit 64 bits"))
            }
            out.append(number)
        }
        return out
    }
}

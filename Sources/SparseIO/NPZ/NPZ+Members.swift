import Foundation

extension NPZ {
    /// `format`, `shape` or `_is_array`: a few bytes of data after the npy header.
    static func small(_ name: String, path: String) -> MemberExpectation {
        let limit = 4096
        return MemberExpectation(maxBytes: NPY.maxPrefixSize + limit, reason: "a '\(name)' member (a few bytes)") { header throws(SparseIOError) in
            let bytes = header.byteCount ?? .max
            guard bytes <= limit else {
                throw SparseIOError(path: path, member: name + ".npy", .memberTooLarge(size: bytes, justified: limit, reason: "a '\(name)' member"))
            }
        }
    }

    /// An int32 or int64 array of at most `maxElements`; `check` judges the header's shape
    /// (returning the defect, or nil when it fits).
    static func integerMember(_ name: String, path: String, maxElements: Int, reason: String,
                              check: @escaping ([Int]) -> SparseIOError.Defect?) -> MemberExpectation {
        MemberExpectation(maxBytes: saturatingSum(NPY.maxPrefixSize, saturatingProduct(maxElements, 8)), reason: reason) { header throws(SparseIOError) in
            guard case let .numeric(dtype, _) = header.kind, dtype == .i32 || dtype == .i64 else {
                throw SparseIOError(path: path, member: name + ".npy", .memberShape(
                    "\(name) must be an int32 or int64 array, found \(describe(header))"))
            }
            if let defect = check(header.shape) { throw SparseIOError(path: path, member: name + ".npy", defect) }
            if header.shape.count != 1, name != "coords" {
                throw SparseIOError(path: path, member: name + ".npy", .memberShape("\(name) must be a 1-d int32 or int64 array, found \(describe(header))"))
            }
        }
    }

    /// A float16/32/64 array of at most `maxElements`, its shape judged by `check`.
    static func floatMember(_ name: String, path: String, maxElements: Int, reason: String,
                            check: @escaping ([Int]) -> SparseIOError.Defect?) -> MemberExpectation {
        MemberExpectation(maxBytes: saturatingSum(NPY.maxPrefixSize, saturatingProduct(maxElements, 8)), reason: reason) { header throws(SparseIOError) in
            guard case let .numeric(dtype, _) = header.kind, dtype.elementType != nil else {
                throw SparseIOError(path: path, member: name + ".npy", .unsupportedDType("\(describe(header)) (sparse values must be f16, f32 or f64)"))
            }
            if let defect = check(header.shape) { throw SparseIOError(path: path, member: name + ".npy", defect) }
        }
    }

    static func describe(_ header: NPY.Header) -> String {
        switch header.kind {
        case let .numeric(dtype, _): "\(dtype.rawValue) \(header.shape)"
        case .bytes, .unicode: "a string array"
        }
    }

    /// An int32 or int64 member as Int32, each value range-checked (`name[position]` names a bad one).
    /// int32 is one bulk copy; int64 is narrowed in one pass over the bytes.
    static func int32Array(_ value: NPY.Value, name: String, path: String, dimensions: Int = 1) throws(SparseIOError) -> [Int32] {
        let member = name + ".npy"
        guard case let .tensor(tensor) = value, tensor.shape.count == dimensions, tensor.dtype == .i32 || tensor.dtype == .i64 else {
            throw SparseIOError(path: path, member: member, .memberShape("\(name) must be a \(dimensions)-d int32 or int64 array"))
        }
        if tensor.dtype == .i32 { return AnyDenseTensor.decode(tensor.bytes, as: Int32.self) }
        let count = tensor.elementCount
        var bad: (position: Int, value: Int64)?
        let out = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            tensor.bytes.withUnsafeBytes { raw in
                // raw holds exactly 8 * count bytes (the tensor's invariant); loads are unaligned-safe.
                for position in 0..<count {
                    let wide = raw.loadUnaligned(fromByteOffset: position * 8, as: Int64.self)
                    guard let narrow = Int32(exactly: wide) else { bad = (position, wide); break }
                    buffer[position] = narrow
                    initialized = position + 1
                }
            }
        }
        if let bad {
            throw SparseIOError(path: path, member: member, .indexOutOfRange(what: "\(name)[\(bad.position)]", value: Int(bad.value), range: "of Int32"))
        }
        return out
    }

    static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = max(0, a).multipliedReportingOverflow(by: max(0, b))
        return overflow ? .max : product
    }

    static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}

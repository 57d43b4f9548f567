extension NPY {
    /// A parsed `.npy` header.
    struct Header {
        enum Kind {
            /// A numeric dtype; `swap` when stored big-endian.
            case numeric(TensorDType, swap: Bool)
            /// `|S n` (bytes), read only as 0-d.
            case bytes
            /// `<U n` / `>U n` (UTF-32 code points), read only as 0-d.
            case unicode(swap: Bool)
        }
        var kind: Kind
        var itemSize: Int
        var shape: [Int]

        var byteCount: Int? {
            guard let count = AnyDenseTensor.elementCount(shape) else { return nil }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: itemSize)
            return overflow ? nil : bytes
        }
    }

    static func parseHeader(
        _ text: String, fail: (SparseIOError.Defect) -> SparseIOError
    ) throws(SparseIOError) -> Header {
        let entries: [(key: String, value: PythonLiteral)]
        do {
            entries = try PythonLiteral.parseDict(text)
        } catch {
            throw fail(.headerSyntax(error.message))
        }
        let keys = Set(entries.map(\.key))
        guard keys == ["descr", "fortran_order", "shape"], entries.count == 3 else {
            throw fail(.headerKeys("expected exactly 'descr', 'fortran_order', 'shape', found \(entries.map(\.key).sorted())"))
        }
        var descr: PythonLiteral = .bool(false), fortran: PythonLiteral = .bool(false), shapeValue: PythonLiteral = .bool(false)
        for (key, value) in entries {
            switch key {
            case "descr": descr = value
            case "fortran_order": fortran = value
            default: shapeValue = value
            }
        }
        guard case let .bool(isFortran) = fortran else { throw fail(.headerKeys("fortran_order must be True or False")) }
        guard case let .tuple(items) = shapeValue else { throw fail(.headerKeys("shape must be a tuple of integers")) }
        var shape: [Int] = []
        for item in items {
            guard case let .int(dimension) = item else { throw fail(.headerKeys("shape must be a tuple of integers")) }
            shape.append(dimension)
        }
        guard case let .string(descrText) = descr else {
            throw fail(.unsupportedDType("structured dtype \(descr)"))
        }
        if isFortran { throw fail(.fortranOrder) }
        let (kind, itemSize) = try parseDescr(descrText, fail: fail)
        switch kind {
        case .bytes, .unicode:
            guard shape.isEmpty else { throw fail(.unsupportedDType("\(descrText) with shape \(shape) (only 0-d strings are read)")) }
        case .numeric: break
        }
        return Header(kind: kind, itemSize: itemSize, shape: shape)
    }

    static func parseDescr(
        _ descr: String, fail: (SparseIOError.Defect) -> SparseIOError
    ) throws(SparseIOError) -> (Header.Kind, Int) {
        let scalars = Array(descr.unicodeScalars)
        guard scalars.count >= 2, ["<", ">", "|", "="].contains(scalars[0]) else {
            if descr.contains("O") { throw fail(.objectDType(descr)) }
            throw fail(.unsupportedDType(descr))
        }
        let order = scalars[0]
        let code = String(String.UnicodeScalarView(scalars[1...]))
        let swap = order == ">"
        if code.hasPrefix("O") { throw fail(.objectDType(descr)) }
        let numeric: [String: TensorDType] = ["f2": .f16, "f4": .f32, "f8": .f64, "i4": .i32, "i8": .i64, "b1": .bool]
        if let dtype = numeric[code] {
            // One-byte types carry no byte order: NumPy writes `|b1`.
            if dtype == .bool, order != "|" { throw fail(.unsupportedDType(descr)) }
            if dtype != .bool, order == "|" { throw fail(.unsupportedDType(descr)) }
            return (.numeric(dtype, swap: swap), dtype.byteWidth)
        }
        if let first = code.first, first == "S" || first == "U", let count = Int(code.dropFirst()), count > 0, count <= 1 << 20 {
            if first == "S", order == "|" { return (.bytes, count) }
            if first == "U", order != "|" { return (.unicode(swap: swap), count * 4) }
        }
        throw fail(.unsupportedDType(descr))
    }
}

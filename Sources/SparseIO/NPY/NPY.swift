import Foundation

/// NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), read strictly and written
/// as `np.save` does.
///
/// Read: dtypes `<f2 <f4 <f8 <i4 <i8 |b1`. Big-endian forms (`>f4`, `>i8`, ...) are
/// accepted and byte-swapped to little-endian, since the values are unambiguous;
/// `=` (native) is read as little-endian. Fortran order, object, structured and
/// other dtypes are rejected. The header follows NumPy's `format.py`: magic
/// `\x93NUMPY`, a Python dict literal with exactly the keys `descr`,
/// `fortran_order`, `shape`, at most 10,000 characters (NumPy's `max_header_size`).
/// The data must be exactly dtype size x product(shape) bytes: shorter files are
/// truncated, longer ones have trailing bytes, and both are rejected.
public enum NPY {
    /// NumPy's default `max_header_size` for `np.load`.
    public static let maxHeaderSize = 10_000
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Reads a `.npy` file (memory-mapped; the tensor's bytes are a slice of the mapping
    /// unless they had to be byte-swapped).
    public static func read(_ path: String) throws(SparseIOError) -> AnyDenseTensor {
        let data = try FileBytes.map(path)
        guard case let .tensor(tensor) = try decode(data, path: path) else {
            throw SparseIOError(path: path, .unsupportedDType("0-d string array (only npz 'format' members hold these)"))
        }
        return tensor
    }

    /// What a `.npy` holds: a numeric tensor, or (only for 0-d `|S`/`<U` arrays,
    /// as scipy's npz `format` member) a string.
    enum Value {
        case tensor(AnyDenseTensor)
        case string(String)
    }

    /// Parses `.npy` bytes; `path`/`member` only name the source in errors.
    static func decode(_ data: Data, path: String, member: String? = nil) throws(SparseIOError) -> Value {
        func fail(_ defect: SparseIOError.Defect, at offset: Int? = nil) -> SparseIOError {
            SparseIOError(path: path, member: member, offset: offset, defect)
        }
        let (header, dataStart) = try parsePrefix(data, path: path, member: member)
        let body = data.bytes(dataStart..<data.count)
        guard let expected = header.byteCount else {
            throw fail(.sizeOverflow("shape \(header.shape) x \(header.itemSize) bytes"), at: dataStart)
        }
        guard body.count >= expected else {
            throw fail(.truncated(needed: dataStart + expected, available: data.count))
        }
        guard body.count == expected else {
            throw fail(.trailingBytes(expected: dataStart + expected, actual: data.count), at: dataStart + expected)
        }
        switch header.kind {
        case let .numeric(dtype, swap):
            let bytes = swap ? byteSwapped(body, width: dtype.byteWidth) : body
            return .tensor(AnyDenseTensor(dtype: dtype, shape: header.shape, bytes: bytes))
        case .bytes:
            // `|S` strings are NUL-padded ASCII/bytes; scipy writes 'csr' this way.
            let trimmed = body.prefix { $0 != 0 }
            guard let text = String(validating: trimmed, as: UTF8.self) else { throw fail(.invalidUTF8, at: dataStart) }
            return .string(text)
        case let .unicode(swap):
            var scalars = String.UnicodeScalarView()
            for index in stride(from: 0, to: body.count, by: 4) {
                var code = UInt32(body.littleEndianInteger(at: index, width: 4))
                if swap { code = code.byteSwapped }
                if code == 0 { break }
                guard let scalar = Unicode.Scalar(code) else { throw fail(.invalidUTF8, at: dataStart + index) }
                scalars.append(scalar)
            }
            return .string(String(scalars))
        }
    }

    /// Parses the magic, version and header at the start of `data` (which may hold
    /// only a prefix of the file: the body is not looked at). Returns the header and
    /// the offset where the data starts; what the header declares is checked by the caller.
    static func parsePrefix(_ data: Data, path: String, member: String? = nil) throws(SparseIOError) -> (Header, dataStart: Int) {
        func fail(_ defect: SparseIOError.Defect, at offset: Int? = nil) -> SparseIOError {
            SparseIOError(path: path, member: member, offset: offset, defect)
        }
        guard data.count >= 8 else {
            if !data.elementsEqual(magic.prefix(data.count)) { throw fail(.badMagic("expected \\x93NUMPY"), at: 0) }
            throw fail(.truncated(needed: 8, available: data.count))
        }
        guard data.prefix(6).elementsEqual(magic) else { throw fail(.badMagic("expected \\x93NUMPY"), at: 0) }
        let major = data[data.startIndex + 6], minor = data[data.startIndex + 7]
        let lengthWidth: Int
        switch (major, minor) {
        case (1, 0): lengthWidth = 2
        case (2, 0), (3, 0): lengthWidth = 4
        default: throw fail(.unsupportedVersion("\(major).\(minor) (expected 1.0, 2.0 or 3.0)"), at: 6)
        }
        let prefix = 8 + lengthWidth
        guard data.count >= prefix else { throw fail(.truncated(needed: prefix, available: data.count)) }
        let headerLength = Int(data.littleEndianInteger(at: 8, width: lengthWidth))
        guard headerLength <= maxHeaderSize else {
            throw fail(.headerTooLarge(length: headerLength, limit: maxHeaderSize), at: 8)
        }
        let dataStart = prefix + headerLength
        guard data.count >= dataStart else { throw fail(.truncated(needed: dataStart, available: data.count)) }
        let headerBytes = data.bytes(prefix..<dataStart)
        let headerText: String
        if major == 3 {
            guard let text = String(validating: headerBytes, as: UTF8.self) else { throw fail(.invalidUTF8, at: prefix) }
            headerText = text
        } else {
            // Versions 1 and 2 are latin-1: every byte is the scalar of the same value.
            headerText = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        }
        let header = try parseHeader(headerText, fail: { fail($0, at: prefix) })
        guard header.byteCount != nil else {
            throw fail(.sizeOverflow("shape \(header.shape) x \(header.itemSize) bytes"), at: prefix)
        }
        return (header, dataStart)
    }

    /// The most bytes a `.npy` prefix (magic, version, length, header) can take.
    static let maxPrefixSize = 12 + maxHeaderSize

    static func byteSwapped(_ data: Data, width: Int) -> Data {
        var out = Data(data)
        out.withUnsafeMutableBytes { raw in
            // Swap each width-byte element in place; count is a multiple of width.
            for start in stride(from: 0, to: raw.count, by: width) {
                var low = start, high = start + width - 1
                while low < high { raw.swapAt(low, high); low += 1; high -= 1 }
            }
        }
        return out
    }
}

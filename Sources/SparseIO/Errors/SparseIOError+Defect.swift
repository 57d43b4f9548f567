import SparseFormats

extension SparseIOError {
    /// What is wrong, with the numbers that show it.
    public enum Defect: Sendable, Equatable, CustomStringConvertible {
        /// The file could not be opened or read (the system's reason).
        case cannotOpen(String)
        /// The file could not be written (the system's reason).
        case cannotWrite(String)
        /// The extension names no format Sparrow reads or writes.
        case unknownExtension(String)
        /// The content cannot be written in this format (e.g. a sparse matrix as `.npy`).
        case unsupportedContent(String)
        /// The file ends before `needed` bytes; it has `available`.
        case truncated(needed: Int, available: Int)
        /// Bytes follow the end of the data.
        case trailingBytes(expected: Int, actual: Int)
        /// A size computed from the file's declarations overflows.
        case sizeOverflow(String)
        /// The file does not start with the format's magic bytes.
        case badMagic(String)
        /// A format version Sparrow does not know.
        case unsupportedVersion(String)
        /// A header longer than the format's safety limit.
        case headerTooLarge(length: Int, limit: Int)
        /// A header that does not parse.
        case headerSyntax(String)
        /// A header with missing, extra or ill-typed keys.
        case headerKeys(String)
        /// A `.npy` array stored in Fortran order.
        case fortranOrder
        /// An object (pickled) dtype, never loaded.
        case objectDType(String)
        /// A dtype Sparrow does not read or write here.
        case unsupportedDType(String)
        /// The data length does not equal dtype size times the product of the shape.
        case dataSizeMismatch(expected: Int, actual: Int)
        /// A zip archive that cannot be read.
        case corruptArchive(String)
        /// A required archive member is absent.
        case missingMember(String)
        /// An archive member that is not a plain file, or a name that repeats.
        case unsafeMember(String)
        /// Decompressing would pass the configured cap (zip bomb guard).
        case decompressedTooLarge(limit: Int)
        /// An archive member declares (or inflates to) more bytes than the rest of the
        /// file justifies (`reason` says what: indptr's count, the npy header, the shape).
        case memberTooLarge(size: Int, justified: Int, reason: String)
        /// Reading would allocate more than the memory limit (``MemoryLimit``).
        case memoryLimit(needed: Int, limit: Int, what: String, origin: String)
        /// An npz whose `format` is not a sparse format Sparrow reads.
        case unsupportedSparseFormat(String)
        /// A member whose dtype or shape does not fit its role.
        case memberShape(String)
        /// The arrays do not form a valid sparse matrix.
        case invalidMatrix(SparseFormatError)
        /// The header is not valid UTF-8.
        case invalidUTF8
        /// The header is not valid JSON of the expected form.
        case invalidJSON(String)
        /// A tensor (or JSON key) name appears twice.
        case duplicateName(String)
        /// Two tensors' byte ranges overlap.
        case overlappingTensors(String)
        /// Unused bytes lie between two tensors (or before the first).
        case gapBetweenTensors(String)
        /// A `data_offsets` pair that is not `[begin, end]` with begin <= end.
        case invalidOffsets(String)
        /// A Matrix Market banner that is missing or malformed.
        case badBanner(String)
        /// A valid Matrix Market variant that Sparrow does not read.
        case unsupportedMatrixMarket(String)
        /// A token that should be a number.
        case notANumber(String)
        /// A declared count that the content does not match.
        case countMismatch(what: String, expected: Int, actual: Int)
        /// An index outside its range.
        case indexOutOfRange(what: String, value: Int, range: String)
        /// Any other malformed text.
        case syntax(String)

        /// The defect without its details.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            case cannotOpen, cannotWrite, unknownExtension, unsupportedContent, truncated, trailingBytes
            case sizeOverflow, badMagic, unsupportedVersion, headerTooLarge, headerSyntax, headerKeys
            case fortranOrder, objectDType, unsupportedDType, dataSizeMismatch, corruptArchive
            case missingMember, unsafeMember, decompressedTooLarge, memberTooLarge, memoryLimit, unsupportedSparseFormat, memberShape
            case invalidMatrix, invalidUTF8, invalidJSON, duplicateName, overlappingTensors
            case gapBetweenTensors, invalidOffsets, badBanner, unsupportedMatrixMarket, notANumber
            case countMismatch, indexOutOfRange, syntax
        }

        public var kind: Kind {
            switch self {
            case .cannotOpen: .cannotOpen
            case .cannotWrite: .cannotWrite
            case .unknownExtension: .unknownExtension
            case .unsupportedContent: .unsupportedContent
            case .truncated: .truncated
            case .trailingBytes: .trailingBytes
            case .sizeOverflow: .sizeOverflow
            case .badMagic: .badMagic
            case .unsupportedVersion: .unsupportedVersion
            case .headerTooLarge: .headerTooLarge
            case .headerSyntax: .headerSyntax
            case .headerKeys: .headerKeys
            case .fortranOrder: .fortranOrder
            case .objectDType: .objectDType
            case .unsupportedDType: .unsupportedDType
            case .dataSizeMismatch: .dataSizeMismatch
            case .corruptArchive: .corruptArchive
            case .missingMember: .missingMember
            case .unsafeMember: .unsafeMember
            case .decompressedTooLarge: .decompressedTooLarge
            case .memberTooLarge: .memberTooLarge
            case .memoryLimit: .memoryLimit
            case .unsupportedSparseFormat: .unsupportedSparseFormat
            case .memberShape: .memberShape
            case .invalidMatrix: .invalidMatrix
            case .invalidUTF8: .invalidUTF8
            case .invalidJSON: .invalidJSON
            case .duplicateName: .duplicateName
            case .overlappingTensors: .overlappingTensors
            case .gapBetweenTensors: .gapBetweenTensors
            case .invalidOffsets: .invalidOffsets
            case .badBanner: .badBanner
            case .unsupportedMatrixMarket: .unsupportedMatrixMarket
            case .notANumber: .notANumber
            case .countMismatch: .countMismatch
            case .indexOutOfRange: .indexOutOfRange
            case .syntax: .syntax
            }
        }

        public var description: String {
            switch self {
            case let .cannotOpen(reason): "cannot open: \(reason)"
            case let .cannotWrite(reason): "cannot write: \(reason)"
            case let .unknownExtension(ext): "unknown extension '\(ext)' (expected .npy, .npz, .safetensors, .mtx or .smtx)"
            case let .unsupportedContent(what): "cannot store this content in this format: \(what)"
            case let .truncated(needed, available): "truncated: needs \(needed) bytes, has \(available)"
            case let .trailingBytes(expected, actual): "trailing bytes: data should end at byte \(expected), file has \(actual)"
            case let .sizeOverflow(what): "size overflows: \(what)"
            case let .badMagic(what): "wrong magic bytes: \(what)"
            case let .unsupportedVersion(what): "unsupported format version \(what)"
            case let .headerTooLarge(length, limit): "header of \(length) bytes exceeds the limit of \(limit)"
            case let .headerSyntax(what): "malformed header: \(what)"
            case let .headerKeys(what): "header keys: \(what)"
            case .fortranOrder: "fortran_order is True; only C-order arrays are read (save with np.ascontiguousarray)"
            case let .objectDType(descr): "object dtype '\(descr)' is never loaded (it would need pickle)"
            case let .unsupportedDType(descr): "unsupported dtype '\(descr)'"
            case let .dataSizeMismatch(expected, actual): "data is \(actual) bytes, dtype size x shape needs \(expected)"
            case let .corruptArchive(reason): "corrupt zip archive: \(reason)"
            case let .missingMember(name): "missing member '\(name)'"
            case let .unsafeMember(what): "unsafe archive member: \(what)"
            case let .decompressedTooLarge(limit): "decompressed size exceeds the cap of \(limit) bytes (zip bomb guard)"
            case let .memberTooLarge(size, justified, reason):
                "holds at least \(size) bytes uncompressed; at most \(justified) are justified by \(reason)"
            case let .memoryLimit(needed, limit, what, origin):
                "reading needs \(MemoryLimit.format(needed)) (\(what)), above the memory limit of \(MemoryLimit.format(limit)) "
                    + "(\(origin)); set \(MemoryLimit.environmentVariable)=SIZE (bytes, or with K, M, G, T) to change it"
            case let .unsupportedSparseFormat(format): "sparse format '\(format)' is not read (csr, csc, bsr and coo are)"
            case let .memberShape(what): "\(what)"
            case let .invalidMatrix(error): "invalid sparse matrix: \(error)"
            case .invalidUTF8: "header is not valid UTF-8"
            case let .invalidJSON(what): "invalid JSON header: \(what)"
            case let .duplicateName(name): "name '\(name)' appears twice"
            case let .overlappingTensors(what): "tensors overlap: \(what)"
            case let .gapBetweenTensors(what): "gap between tensors: \(what)"
            case let .invalidOffsets(what): "invalid data_offsets: \(what)"
            case let .badBanner(what): "bad Matrix Market banner: \(what)"
            case let .unsupportedMatrixMarket(what): "unsupported Matrix Market variant: \(what)"
            case let .notANumber(token): "not a number: '\(token)'"
            case let .countMismatch(what, expected, actual): "\(what): expected \(expected), found \(actual)"
            case let .indexOutOfRange(what, value, range): "\(what) \(value) is out of range \(range)"
            case let .syntax(what): "\(what)"
            }
        }
    }
}

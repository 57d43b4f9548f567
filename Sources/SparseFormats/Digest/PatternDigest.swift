/// A stable 64-bit fingerprint of a sparsity pattern (shape and positions, never values),
/// used as a key in kernel caches and the tuning database.
///
/// The algorithm is fixed forever (change the version tag, never the meaning of a tag):
/// FNV-1a 64 (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`) over these bytes,
/// all integers little-endian:
///
/// - CSR: the ASCII bytes of `sparrow.pattern.csr.v1`; `rows`, `columns` and `nnz` as
///   UInt64; each of the `rows + 1` row offsets as UInt32; each column index as UInt32.
/// - BSR: the ASCII bytes of `sparrow.pattern.bsr.v1`; `rows`, `columns`, `blockRows`,
///   `blockColumns` and `nnzBlocks` as UInt64; each block-row offset as UInt32; each
///   block-column index as UInt32.
///
/// The element type does not enter: the same pattern in f32 and bf16 has one digest.
/// ``description`` is 16 lowercase hex digits; it is also the Codable form (a string,
/// since JSON numbers lose UInt64 precision).
public struct PatternDigest: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public var value: UInt64

    public init(value: UInt64) { self.value = value }

    /// Parses exactly 16 hex digits (either case).
    public init?(_ description: String) {
        // UInt64(_:radix:) would also take a sign, so check the digits first.
        guard description.utf8.count == 16, description.allSatisfy(\.isHexDigit),
            let value = UInt64(description, radix: 16)
        else { return nil }
        self.value = value
    }

    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let digest = PatternDigest(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "pattern digest must be 16 hex digits, found '\(text)'")
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// FNV-1a 64 over little-endian bytes, as ``PatternDigest`` documents.
struct FNV1a64 {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    mutating func add(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* FNV1a64.prime
    }

    mutating func add(_ text: String) { for byte in text.utf8 { add(byte: byte) } }

    mutating func add(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(byte: UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func add(_ values: [Int32]) {
        var h = state
        for value in values {
            let bits = UInt32(bitPattern: value)
            h = (h ^ UInt64(bits & 0xFF)) &* FNV1a64.prime
            h = (h ^ UInt64((bits >> 8) & 0xFF)) &* FNV1a64.prime
            h = (h ^ UInt64((bits >> 16) & 0xFF)) &* FNV1a64.prime
            h = (h ^ UInt64(bits >> 24)) &* FNV1a64.prime
        }
        state = h
    }
}

extension CSRMatrix {
    /// The pattern's ``PatternDigest`` (values ignored).
    public var patternDigest: PatternDigest {
        var hash = FNV1a64()
        hash.add("sparrow.pattern.csr.v1")
        hash.add(UInt64(rows))
        hash.add(UInt64(columns))
        hash.add(UInt64(nnz))
        hash.add(rowOffsets)
        hash.add(columnIndices)
        return PatternDigest(value: hash.state)
    }
}

extension BSRMatrix {
    /// The block pattern's ``PatternDigest`` (values ignored, block shape included).
    public var patternDigest: PatternDigest {
        var hash = FNV1a64()
        hash.add("sparrow.pattern.bsr.v1")
        hash.add(UInt64(rows))
        hash.add(UInt64(columns))
        hash.add(UInt64(blockRows))
        hash.add(UInt64(blockColumns))
        hash.add(UInt64(nnzBlocks))
        hash.add(rowOffsets)
        hash.add(columnIndices)
        return PatternDigest(value: hash.state)
    }
}

/// FNV-1a hashes (Fowler, Noll, Vo): tiny, fixed forever, and not cryptographic.
///
/// Used for kernel cache keys (128-bit, so accidental collisions among the few thousand
/// kernels a machine compiles are out of the question) and entry checksums (64-bit, enough to
/// catch a truncated or corrupted file). Nobody is trying to forge a cache entry; a
/// cryptographic hash would buy nothing here.
package struct StableHasher: Sendable {
    // FNV-1a 128-bit parameters (offset basis and prime from the FNV reference).
    static let offset128: UInt128 = 0x6c62272e07bb014262b821756295c58d
    static let prime128: UInt128 = 0x0000000001000000000000000000013B

    package private(set) var state: UInt128 = StableHasher.offset128

    package init() {}

    /// Mixes raw bytes.
    package mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        var h = state
        for byte in bytes {
            h ^= UInt128(byte)
            h = h &* StableHasher.prime128
        }
        state = h
    }

    /// Mixes a string as its UTF-8 bytes followed by its length, so that ("ab","c") and
    /// ("a","bc") differ.
    package mutating func combine(_ string: String) {
        combine(bytes: string.utf8)
        combine(UInt64(string.utf8.count))
    }

    /// Mixes an integer as 8 little-endian bytes.
    package mutating func combine(_ value: UInt64) {
        combine(bytes: (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) })
    }

    /// The hash as 32 lowercase hex digits.
    package var hexDigest: String {
        let hex = String(state, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }

    /// FNV-1a 64-bit of `bytes` (entry checksums).
    package static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var h: UInt64 = 0xcbf29ce484222325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x100000001b3
        }
        return h
    }
}

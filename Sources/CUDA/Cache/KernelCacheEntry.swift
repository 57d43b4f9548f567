/// The key of a compiled kernel: a 128-bit FNV-1a hash (see ``StableHasher``) of everything
/// that changes the binary: the source, the full NVRTC command line (architecture, standard,
/// include folders, extra options), the target, and the NVRTC version. The entry format
/// version is mixed in too, so a format change never reads old files.
package struct KernelCacheKey: Hashable, Codable, Sendable, CustomStringConvertible {
    /// 32 hex digits.
    package let digest: String

    package init(source: String, options: CompileOptions, target: CompileTarget, compilerVersion: String,
                headerFolder: String?) {
        var hasher = StableHasher()
        hasher.combine("sparrow-kernel-cache")
        hasher.combine(UInt64(KernelCacheEntry.formatVersion))
        hasher.combine(source)
        let commandLine = options.commandLine(target: target, headerFolder: headerFolder)
        hasher.combine(UInt64(commandLine.count))
        commandLine.forEach { hasher.combine($0) }
        hasher.combine(target.format.rawValue)
        hasher.combine(UInt64(target.computeCapability))
        hasher.combine(compilerVersion)
        digest = hasher.hexDigest
    }

    package var description: String { digest }
}

/// The on-disk form of one cache entry (little-endian):
///
///     magic "SPRWKRN1" (8) | format version u32 | reserved u32 | payload length u64 |
///     FNV-1a 64 checksum of the payload u64 | payload
///     payload: key digest (u32 length + UTF-8) | format u8 | compute capability u32 |
///              compiler version (u32 + UTF-8) | log (u32 + UTF-8) | image (u64 + bytes)
///
/// A wrong magic, version, length or checksum, or a payload that does not parse exactly,
/// makes the entry invalid; the cache then deletes and rebuilds it.
enum KernelCacheEntry {
    static let magic: [UInt8] = Array("SPRWKRN1".utf8)
    static let formatVersion: UInt32 = 1
    static let headerSize = 8 + 4 + 4 + 8 + 8

    static func encode(_ kernel: CompiledKernel, key: KernelCacheKey) -> [UInt8] {
        var payload: [UInt8] = []
        appendString(key.digest, to: &payload)
        payload.append(kernel.target.format == .cubin ? 0 : 1)
        appendInteger(UInt32(truncatingIfNeeded: kernel.target.computeCapability), to: &payload)
        appendString(kernel.compilerVersion, to: &payload)
        appendString(kernel.log, to: &payload)
        appendInteger(UInt64(kernel.image.count), to: &payload)
        payload += kernel.image
        var entry = magic
        appendInteger(formatVersion, to: &entry)
        appendInteger(UInt32(0), to: &entry)
        appendInteger(UInt64(payload.count), to: &entry)
        appendInteger(StableHasher.fnv1a64(payload), to: &entry)
        return entry + payload
    }

    /// Why an entry is invalid.
    enum Defect: Error, Equatable {
        case tooShort(Int)
        case badMagic
        case badVersion(UInt32)
        case lengthMismatch(expected: UInt64, actual: Int)
        case checksumMismatch
        case malformedPayload(String)
        case keyMismatch(String)
    }

    static func decode(_ bytes: [UInt8], key: KernelCacheKey) throws(Defect) -> CompiledKernel {
        guard bytes.count >= headerSize else { throw .tooShort(bytes.count) }
        guard Array(bytes[0..<8]) == magic else { throw .badMagic }
        var reader = ByteReader(bytes: bytes, offset: 8)
        let version: UInt32 = try reader.integer()
        guard version == formatVersion else { throw .badVersion(version) }
        let _: UInt32 = try reader.integer()
        let length: UInt64 = try reader.integer()
        let checksum: UInt64 = try reader.integer()
        guard length == UInt64(bytes.count - headerSize) else {
            throw .lengthMismatch(expected: length, actual: bytes.count - headerSize)
        }
        guard StableHasher.fnv1a64(bytes[headerSize...]) == checksum else { throw .checksumMismatch }
        let digest = try reader.string()
        guard digest == key.digest else { throw .keyMismatch(digest) }
        let formatByte: UInt8 = try reader.integer()
        guard formatByte <= 1 else { throw .malformedPayload("format \(formatByte)") }
        let capability: UInt32 = try reader.integer()
        let compilerVersion = try reader.string()
        let log = try reader.string()
        let imageCount: UInt64 = try reader.integer()
        guard imageCount == UInt64(bytes.count - reader.offset) else {
            throw .malformedPayload("image length \(imageCount), \(bytes.count - reader.offset) bytes left")
        }
        let image = Array(bytes[reader.offset...])
        return CompiledKernel(
            image: image, target: CompileTarget(format: formatByte == 0 ? .cubin : .ptx,
                                                computeCapability: Int(capability)),
            log: log, compilerVersion: compilerVersion)
    }

    static func appendInteger<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        for index in 0..<(I.bitWidth / 8) { bytes.append(UInt8(truncatingIfNeeded: value >> (index * 8))) }
    }

    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        appendInteger(UInt32(string.utf8.count), to: &bytes)
        bytes += string.utf8
    }

    struct ByteReader {
        let bytes: [UInt8]
        var offset: Int

        mutating func integer<I: FixedWidthInteger>() throws(Defect) -> I {
            let size = I.bitWidth / 8
            guard offset + size <= bytes.count else { throw .malformedPayload("truncated at \(offset)") }
            var value: I = 0
            for index in 0..<size { value |= I(bytes[offset + index]) << (index * 8) }
            offset += size
            return value
        }

        mutating func string() throws(Defect) -> String {
            let count = Int(try integer() as UInt32)
            guard count <= bytes.count - offset else { throw .malformedPayload("string of \(count) at \(offset)") }
            defer { offset += count }
            return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
        }
    }
}

import SparrowZlib
import Foundation

/// What the members read before this one imply about it, checked before it is inflated.
struct MemberExpectation {
    /// The most bytes the whole member (npy header included) may take.
    var maxBytes: Int
    /// What justifies ``maxBytes``, for the message ("indptr's 24 entries of int64").
    var reason: String
    /// Checks the member's npy header (read from its first bytes) before the rest is inflated.
    var checkHeader: (NPY.Header) throws(SparseIOError) -> Void

    /// No expectation beyond the archive's caps (plain `np.savez` members).
    static var any: MemberExpectation { MemberExpectation(maxBytes: .max, reason: "nothing", checkHeader: { _ throws(SparseIOError) in }) }
}

extension NPZ {
    /// Caps shared by the members of one archive: what may still be inflated, and memory.
    struct ReadState {
        let path: String
        let cap: Int
        var inflated = 0
        var budget: MemoryBudget
    }

    /// The member's bytes, checked in this order before anything large is inflated or
    /// allocated: the size the zip directory declares against `expectation` and the
    /// archive's cap; then the npy header (inflated from the first bytes) against
    /// `expectation`, the cap, the declared size and the memory limit. Stored members are
    /// a slice of the mapped file; deflated ones are inflated into one buffer of exactly
    /// the header's size, and inflating stops as soon as a byte more arrives. The CRC-32
    /// is always checked.
    static func extract(_ member: ZipMember, from file: Data, state: inout ReadState,
                        expectation: MemberExpectation = .any) throws(SparseIOError) -> Data {
        let path = state.path, name = member.name
        func fail(_ defect: SparseIOError.Defect) -> SparseIOError { SparseIOError(path: path, member: name, defect) }
        let declared = member.uncompressedSize
        guard declared <= expectation.maxBytes else {
            throw fail(.memberTooLarge(size: declared, justified: expectation.maxBytes, reason: expectation.reason))
        }
        guard declared <= state.cap - state.inflated else { throw fail(.decompressedTooLarge(limit: state.cap)) }
        let source = file.bytes(member.dataRange)
        if member.method == 0 {
            guard source.count == declared else {
                throw fail(.corruptArchive("stored member of \(source.count) bytes declares \(declared) uncompressed"))
            }
            let (header, dataStart) = try NPY.parsePrefix(source.prefix(NPY.maxPrefixSize), path: path, member: name)
            try expectation.checkHeader(header)
            try checkCRC(source, member, path: path)
            _ = dataStart
            return source
        }
        let result: Result<Data, SparseIOError> = source.withUnsafeBytes { raw in
            Result { () throws(SparseIOError) -> Data in
                let inflater = try Inflater(raw, fail: fail)
                // The npy prefix first, into a small buffer: its header says how big the member is.
                var prefix = Data(count: NPY.maxPrefixSize)
                let got = try prefix.withUnsafeMutableBytes { buffer in Result { () throws(SparseIOError) in try inflater.fill(buffer) } }.get()
                prefix.count = got
                let (header, dataStart) = try NPY.parsePrefix(prefix, path: path, member: name)
                try expectation.checkHeader(header)
                // parsePrefix checked that the byte count does not overflow.
                let total = dataStart + (header.byteCount ?? 0)
                guard total <= state.cap - state.inflated else { throw fail(.decompressedTooLarge(limit: state.cap)) }
                guard total == declared else {
                    throw fail(.corruptArchive("the npy header needs \(total) bytes, the zip directory declares \(declared)"))
                }
                guard got <= total else {
                    throw fail(.memberTooLarge(size: got, justified: total, reason: "its npy header"))
                }
                try state.budget.reserve(total, for: "member '\(name)' inflated", member: name)
                var data = Data(count: 0)
                if total > 0 {
                    guard let memory = malloc(total) else { throw fail(.memoryLimit(needed: total, limit: 0, what: "malloc failed", origin: "the system")) }
                    HugePages.advise(UnsafeMutableRawBufferPointer(start: memory, count: total))
                    data = Data(bytesNoCopy: memory, count: total, deallocator: .free)
                }
                try data.withUnsafeMutableBytes { buffer in Result { () throws(SparseIOError) in
                    prefix.withUnsafeBytes { buffer.copyMemory(from: $0) }
                    let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[got...])
                    let more = try inflater.fill(rest)
                    guard more == rest.count else {
                        throw fail(.corruptArchive("inflates to \(got + more) bytes, the npy header needs \(total)"))
                    }
                    // Not one byte past what the header declared: a lying member stops here.
                    try inflater.expectEnd(size: total)
                } }.get()
                state.inflated += total
                return data
            }
        }
        let data = try result.get()
        try checkCRC(data, member, path: path)
        return data
    }

    static func checkCRC(_ data: Data, _ member: ZipMember, path: String) throws(SparseIOError) {
        let computed = data.withUnsafeBytes { raw -> UInt32 in
            var crc: uLong = 0
            var offset = 0
            guard let base = raw.bindMemory(to: Bytef.self).baseAddress else { return 0 }
            while offset < raw.count {
                let chunk = min(raw.count - offset, 1 << 30)
                crc = crc32(crc, base + offset, uInt(chunk))
                offset += chunk
            }
            return UInt32(truncatingIfNeeded: crc)
        }
        guard computed == member.crc32 else {
            throw SparseIOError(path: path, member: member.name, .corruptArchive("CRC-32 mismatch (\(computed) computed, \(member.crc32) stored)"))
        }
    }
}

/// A raw deflate stream (zlib, no header) over bytes that stay alive while it is used.
///
/// A class holding the `z_stream` at a fixed heap address: zlib's state points back
/// to the stream and refuses (`Z_STREAM_ERROR`) a stream that has moved.
final class Inflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var ended = false
    private var remainingInput: Int
    private let fail: (SparseIOError.Defect) -> SparseIOError

    init(_ source: UnsafeRawBufferPointer, fail: @escaping (SparseIOError.Defect) -> SparseIOError) throws(SparseIOError) {
        self.fail = fail
        stream.initialize(to: z_stream())
        remainingInput = source.count
        guard inflateInit2_(stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw fail(.corruptArchive("zlib inflateInit2 failed"))
        }
        // zlib never writes through next_in; the cast only satisfies its C signature.
        stream.pointee.next_in = source.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates into `buffer` until it is full or the stream ends; returns the bytes written.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(SparseIOError) -> Int {
        var written = 0
        while written < buffer.count, !ended, let base = buffer.baseAddress {
            let out = min(buffer.count - written, Int(UInt32.max))
            stream.pointee.next_out = (base + written).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(out)
            try step()
            written += out - Int(stream.pointee.avail_out)
        }
        return written
    }

    /// Throws when the stream would produce a byte past `size`, or does not end there.
    func expectEnd(size: Int) throws(SparseIOError) {
        var probe: UInt8 = 0
        while !ended {
            let produced = try withUnsafeMutableBytes(of: &probe) { raw in Result { () throws(SparseIOError) in try fill(raw) } }.get()
            if produced > 0 { throw fail(.memberTooLarge(size: size + 1, justified: size, reason: "its npy header")) }
        }
    }

    private func step() throws(SparseIOError) {
        if stream.pointee.avail_in == 0 {
            let chunk = min(remainingInput, Int(UInt32.max))
            stream.pointee.avail_in = uInt(chunk)
            remainingInput -= chunk
        }
        let before = (stream.pointee.avail_in, stream.pointee.avail_out)
        let status = inflate(stream, Z_NO_FLUSH)
        switch status {
        case Z_STREAM_END: ended = true
        case Z_OK: break
        case Z_BUF_ERROR where before == (stream.pointee.avail_in, stream.pointee.avail_out) && remainingInput == 0:
            throw fail(.corruptArchive("deflate stream ends early"))
        case Z_BUF_ERROR: break
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
            throw fail(.corruptArchive("deflate stream: \(message)"))
        }
    }
}

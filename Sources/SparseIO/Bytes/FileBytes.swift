import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing whole files as bytes, with errors that name the path.
enum FileBytes {
    /// The file's bytes, memory-mapped (read-only, private) so a large file is
    /// neither copied nor held twice; slices of the result share the mapping,
    /// which is unmapped when the last slice goes away. `populate` maps every page up
    /// front (one call instead of a fault per page) for readers that will touch all of
    /// them anyway (`.npz`); lazy readers (safetensors, `.npy`) leave it off.
    static func map(_ path: String, populate: Bool = false) throws(SparseIOError) -> Data {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw SparseIOError(path: path, .cannotOpen(systemError())) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SparseIOError(path: path, .cannotOpen(systemError())) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SparseIOError(path: path, .cannotOpen("not a regular file"))
        }
        let size = Int(info.st_size)
        if size == 0 { return Data() }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), descriptor, 0), address != MAP_FAILED else {
            throw SparseIOError(path: path, .cannotOpen("mmap failed: \(systemError())"))
        }
        return Data(bytesNoCopy: address, count: size, deallocator: .custom { pointer, count in
            munmap(pointer, count)
        })
    }

    /// Writes atomically (a temporary file renamed over the target).
    static func write(_ data: Data, to path: String) throws(SparseIOError) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SparseIOError(path: path, .cannotWrite(error.localizedDescription))
        }
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}

extension Data {
    /// Little-endian unsigned integer of `width` bytes at `offset` from the start of
    /// this (possibly sliced) Data; the caller checked `offset + width <= count`.
    func littleEndianInteger(at offset: Int, width: Int) -> UInt64 {
        precondition(offset >= 0 && width <= 8 && offset + width <= count, "read past the checked range")
        var value: UInt64 = 0
        for index in 0..<width {
            value |= UInt64(self[startIndex + offset + index]) << (8 * UInt64(index))
        }
        return value
    }

    /// The bytes at `range` (offsets from the start of this Data) as a slice that shares
    /// storage; its indices are not re-based to 0, so index it through `startIndex`.
    func bytes(_ range: Range<Int>) -> Data {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice past the checked range")
        return self[(startIndex + range.lowerBound)..<(startIndex + range.upperBound)]
    }
}

/// Appends little-endian integers to a byte buffer.
extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

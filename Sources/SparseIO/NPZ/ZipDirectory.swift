import Foundation

/// The central directory of a zip archive, read from the memory-mapped file.
///
/// Only what `.npz` needs: stored and deflated members, ZIP64 sizes and offsets, no
/// encryption, one disk. Every size and offset is checked against the file before it
/// is used, so a member's ``ZipMember/dataRange`` always lies inside the file and
/// ``ZipMember/uncompressedSize`` is only a claim (checked again while inflating).
struct ZipMember {
    var name: String
    /// 0 (stored) or 8 (deflate).
    var method: UInt16
    var crc32: UInt32
    /// The uncompressed size the central directory declares.
    var uncompressedSize: Int
    /// Where the (compressed) bytes lie in the file.
    var dataRange: Range<Int>
    /// A directory, a symbolic link or another special file.
    var isSpecial: Bool
}

enum ZipDirectory {
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50

    /// The members in central-directory order.
    static func members(of file: Data, path: String) throws(SparseIOError) -> [ZipMember] {
        func corrupt(_ reason: String, at offset: Int? = nil) -> SparseIOError {
            SparseIOError(path: path, offset: offset, .corruptArchive(reason))
        }
        func integer(_ offset: Int, _ width: Int) throws(SparseIOError) -> Int {
            guard offset >= 0, offset + width <= file.count else {
                throw corrupt("a record at byte \(offset) runs past the end of the file (\(file.count) bytes)", at: offset)
            }
            return Int(file.littleEndianInteger(at: offset, width: width))
        }
        // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
        guard file.count >= 22 else { throw corrupt("not a zip file (\(file.count) bytes, no end of central directory record)") }
        var end = -1
        var candidate = file.count - 22
        while candidate >= max(0, file.count - 22 - 0xFFFF) {
            if try integer(candidate, 4) == Int(endSignature), try candidate + 22 + integer(candidate + 20, 2) == file.count {
                end = candidate
                break
            }
            candidate -= 1
        }
        guard end >= 0 else { throw corrupt("not a zip file (no end of central directory record)") }
        guard try integer(end + 4, 2) == 0, try integer(end + 6, 2) == 0 else { throw corrupt("multi-disk archives are not read", at: end) }
        var count = try integer(end + 10, 2)
        var directorySize = try integer(end + 12, 4)
        var directoryOffset = try integer(end + 16, 4)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = end - 20
            guard locator >= 0, try integer(locator, 4) == Int(zip64LocatorSignature) else {
                throw corrupt("ZIP64 sizes without a ZIP64 locator", at: end)
            }
            let record = try integer(locator + 8, 8)
            guard try integer(record, 4) == Int(zip64EndSignature) else { throw corrupt("bad ZIP64 end record", at: record) }
            count = try integer(record + 32, 8)
            directorySize = try integer(record + 40, 8)
            directoryOffset = try integer(record + 48, 8)
        }
        // Each central record takes at least 46 bytes: the count is bounded by the file before anything is allocated.
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset <= file.count, directorySize <= file.count - directoryOffset,
              count <= directorySize / 46 else {
            throw corrupt("central directory (\(count) entries, \(directorySize) bytes at \(directoryOffset)) does not fit the file", at: end)
        }
        var members: [ZipMember] = []
        members.reserveCapacity(count)
        var position = directoryOffset
        for _ in 0..<count {
            guard try integer(position, 4) == Int(centralSignature) else { throw corrupt("bad central directory entry", at: position) }
            let madeBy = try integer(position + 4, 2)
            let flags = try integer(position + 8, 2)
            let method = try integer(position + 10, 2)
            let crc = try integer(position + 16, 4)
            var compressed = try integer(position + 20, 4)
            var uncompressed = try integer(position + 24, 4)
            let nameLength = try integer(position + 28, 2)
            let extraLength = try integer(position + 30, 2)
            let commentLength = try integer(position + 32, 2)
            let external = try integer(position + 38, 4)
            var local = try integer(position + 42, 4)
            let nameStart = position + 46
            guard nameStart + nameLength + extraLength + commentLength <= directoryOffset + directorySize else {
                throw corrupt("central directory entry runs past the directory", at: position)
            }
            let name = String(decoding: file.bytes(nameStart..<(nameStart + nameLength)), as: UTF8.self)
            // ZIP64 extra field (id 1): the 8-byte values of the fields that hold 0xFFFFFFFF, in this order.
            var extra = nameStart + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try integer(extra, 2), size = try integer(extra + 2, 2)
                if id == 1 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF, field + 8 <= extraEnd { uncompressed = try integer(field, 8); field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= extraEnd { compressed = try integer(field, 8); field += 8 }
                    if local == 0xFFFF_FFFF, field + 8 <= extraEnd { local = try integer(field, 8) }
                }
                extra += 4 + size
            }
            guard flags & 1 == 0 else { throw SparseIOError(path: path, member: name, .unsafeMember("encrypted")) }
            guard method == 0 || method == 8 else {
                throw SparseIOError(path: path, member: name, .corruptArchive("compression method \(method) (only stored and deflate are read)"))
            }
            // Unix mode in the high half of the external attributes (made by Unix): anything but a regular file is special.
            let unixMode = madeBy >> 8 == 3 ? (external >> 16) & 0o170000 : 0
            let special = name.hasSuffix("/") || (unixMode != 0 && unixMode != 0o100000)
            // The local header repeats the name; its own name and extra lengths place the data.
            guard local >= 0, local < directoryOffset, try integer(local, 4) == Int(localSignature) else {
                throw SparseIOError(path: path, member: name, offset: local, .corruptArchive("bad local header"))
            }
            let dataStart = try local + 30 + integer(local + 26, 2) + integer(local + 28, 2)
            guard compressed >= 0, uncompressed >= 0, dataStart <= directoryOffset, compressed <= directoryOffset - dataStart else {
                throw SparseIOError(path: path, member: name, offset: local, .corruptArchive(
                    "compressed size \(compressed) at byte \(dataStart) runs past the member data (\(directoryOffset))"))
            }
            members.append(ZipMember(name: name, method: UInt16(method), crc32: UInt32(truncatingIfNeeded: crc),
                                     uncompressedSize: uncompressed, dataRange: dataStart..<(dataStart + compressed), isSpecial: special))
            position = nameStart + nameLength + extraLength + commentLength
        }
        return members
    }
}

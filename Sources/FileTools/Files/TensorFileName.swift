/// The file name `convert --all-sparse` gives a tensor: safe on every file system for any name.
///
/// The rule: the UTF-8 bytes of the name, with `A-Z a-z 0-9 . _ -` kept and every other byte
/// (`/`, `%`, spaces, non-ASCII, ...) written as `%XX` (upper-case hex), a leading `.` as `%2E`
/// (no hidden files, no `.` or `..`), then `.npz`. So `encoder.layer.0.attention.self.query.weight`
/// stays as it is and `a/b c` becomes `a%2Fb%20c.npz`. Different names give different files:
/// `%` itself is escaped, and a name whose escaped form is longer than 200 bytes keeps its first
/// 180 and ends in `~` and a 16-digit FNV-1a hash of the whole name (`~` is always escaped
/// otherwise); of two names whose files differ only in case, the second also gets the hash.
/// `index.json` maps every tensor name to its file.
package enum TensorFileName {
    /// The longest escaped name kept whole; file systems allow 255 bytes with the extension.
    static let maximumLength = 200

    /// The file name (with `.npz`) for tensor `name`.
    package static func fileName(for name: String) -> String {
        var stem = ""
        for (index, byte) in name.utf8.enumerated() {
            if isKept(byte), !(index == 0 && byte == UInt8(ascii: ".")) {
                stem.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                stem += "%" + hex(UInt64(byte), digits: 2)
            }
        }
        if stem.utf8.count > maximumLength {
            // Escapes are ASCII, so cutting at a character boundary never splits one mid-byte.
            stem = String(stem.prefix(180)) + "~" + hex(fnv1a64(name), digits: 16)
        }
        return stem + ".npz"
    }

    /// `name`'s file name with the hash suffix, for a name whose plain file name differs from
    /// another's only in case (they would be one file on macOS's default file system).
    package static func caseDistinctFileName(for name: String) -> String {
        String(fileName(for: name).dropLast(".npz".count).prefix(180)) + "~" + hex(fnv1a64(name), digits: 16) + ".npz"
    }

    static func isKept(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// FNV-1a, 64 bits: stable across runs and platforms, unlike `Hasher`.
    static func fnv1a64(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}

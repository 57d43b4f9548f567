/// Line and token scanning over the bytes of a text file, for Matrix Market and DLMC.
///
/// Works on bytes (ASCII), not `String`, so large files are scanned without
/// building a string per line.
struct TextScanner {
    let bytes: [UInt8]
    private(set) var position = 0
    /// 1-based number of the line last returned by ``nextLine()``.
    private(set) var lineNumber = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next line without its `\n` or `\r\n`, or nil at the end of the text.
    mutating func nextLine() -> ArraySlice<UInt8>? {
        guard position < bytes.count else { return nil }
        let start = position
        while position < bytes.count, bytes[position] != 0x0A { position += 1 }
        var end = position
        if position < bytes.count { position += 1 }  // the newline
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        lineNumber += 1
        return bytes[start..<end]
    }

    /// Splits on spaces and tabs (and commas when `commas`).
    static func tokens(_ line: ArraySlice<UInt8>, commas: Bool = false) -> [ArraySlice<UInt8>] {
        line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0B || $0 == 0x0C || (commas && $0 == 0x2C) })
    }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0B || $0 == 0x0C }
    }

    /// A decimal integer with an optional sign; nil if malformed or outside Int.
    static func integer(_ token: ArraySlice<UInt8>) -> Int? {
        var index = token.startIndex
        var negative = false
        if index < token.endIndex, token[index] == UInt8(ascii: "-") || token[index] == UInt8(ascii: "+") {
            negative = token[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < token.endIndex else { return nil }
        var value = 0
        while index < token.endIndex {
            let byte = token[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int(byte - 0x30)) : times.addingReportingOverflow(Int(byte - 0x30))
            guard !o1, !o2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A decimal floating-point number (also `nan`, `inf`); nil if malformed. Hex floats are refused.
    static func real(_ token: ArraySlice<UInt8>) -> Double? {
        guard token.count <= 64, !token.contains(where: { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) else { return nil }
        return Double(String(decoding: token, as: UTF8.self))
    }

    static func text(_ token: ArraySlice<UInt8>) -> String {
        String(decoding: token.prefix(40), as: UTF8.self) + (token.count > 40 ? "..." : "")
    }
}

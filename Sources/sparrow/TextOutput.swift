import Foundation

/// Output helpers for the device commands (the file commands have their own table code).
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func write<T: Encodable>(_ value: T, to path: String) throws {
        try Data((try encode(value) + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Pads columns to a common width: `rows[0]` is the header.
func alignedTable(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
    func line(_ row: [String]) -> String {
        row.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
    }
    var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
    out += rows.dropFirst().map(line)
    return out.joined(separator: "\n")
}

import Foundation

/// JSON output of every command: pretty, sorted keys, non-finite numbers as strings.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func write<T: Encodable>(_ value: T, to path: String) throws {
        try Data(try encode(value).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

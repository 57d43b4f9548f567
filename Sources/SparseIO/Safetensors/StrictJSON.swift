/// A strict RFC 8259 JSON parser for safetensors headers.
///
/// Foundation's `JSONSerialization` silently keeps one of two equal keys; a file
/// that names a tensor twice is ambiguous, so this parser rejects duplicate keys
/// in every object. It also rejects control characters in strings, lone UTF-16
/// surrogates in `\u` escapes, leading zeros, and nesting deeper than 128 levels
/// (serde_json's limit), and it never recurses without bound.
indirect enum StrictJSON: Equatable {
    case object([(key: String, value: StrictJSON)])
    case array([StrictJSON])
    case string(String)
    /// The number's text, as written (parsed by the caller that knows its type).
    case number(String)
    case bool(Bool)
    case null

    static func == (a: StrictJSON, b: StrictJSON) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.bool(x), .bool(y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    /// The most elements one array may hold (a tensor of rank 1024 does not exist).
    static let maxArrayLength = 1024

    struct ParseError: Error {
        var message: String
        var offset: Int
        var duplicateKey: String?
    }

    /// Parses one value; only JSON whitespace may follow it.
    static func parse(_ bytes: [UInt8]) throws(ParseError) -> StrictJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        func error(_ message: String) -> ParseError { ParseError(message: message, offset: position) }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func value(depth: Int) throws(ParseError) -> StrictJSON {
            guard depth < 128 else { throw error("nesting deeper than 128 levels") }
            skipSpace()
            guard position < bytes.count else { throw error("unexpected end of JSON") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("unexpected character")
            }
        }

        mutating func literal(_ word: String) throws(ParseError) {
            let target = Array(word.utf8)
            guard position + target.count <= bytes.count, Array(bytes[position..<(position + target.count)]) == target else {
                throw error("invalid literal")
            }
            position += target.count
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipSpace()
            if position < bytes.count, bytes[position] == byte { position += 1; return true }
            return false
        }

        mutating func object(depth: Int) throws(ParseError) -> StrictJSON {
            position += 1
            var entries: [(key: String, value: StrictJSON)] = []
            var seen = Set<String>()
            if consume(UInt8(ascii: "}")) { return .object(entries) }
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let keyOffset = position
                let key = try string()
                guard seen.insert(key).inserted else {
                    throw ParseError(message: "key '\(key)' appears twice", offset: keyOffset, duplicateKey: key)
                }
                guard consume(UInt8(ascii: ":")) else { throw error("expected ':'") }
                entries.append((key, try value(depth: depth + 1)))
                if consume(UInt8(ascii: "}")) { return .object(entries) }
                guard consume(UInt8(ascii: ",")) else { throw error("expected ',' or '}'") }
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> StrictJSON {
            position += 1
            var items: [StrictJSON] = []
            if consume(UInt8(ascii: "]")) { return .array(items) }
            while true {
                // safetensors arrays are shapes and offset pairs; a longer one is an attempt to make
                // the parse tree (tens of bytes per element) far larger than the header.
                guard items.count < StrictJSON.maxArrayLength else { throw error("array longer than \(StrictJSON.maxArrayLength) elements") }
                items.append(try value(depth: depth + 1))
                if consume(UInt8(ascii: "]")) { return .array(items) }
                guard consume(UInt8(ascii: ",")) else { throw error("expected ',' or ']'") }
            }
        }

        mutating func string() throws(ParseError) -> String {
            position += 1
            var utf8: [UInt8] = []
            while true {
                guard position < bytes.count else { throw error("unterminated string") }
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    // The header was validated as UTF-8 and escapes produce valid scalars.
                    return String(decoding: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    position += 1
                    guard position < bytes.count else { throw error("unterminated escape") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800...0xDBFF).contains(code) {
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                                throw error("lone surrogate in \\u escape")
                            }
                            position += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw error("lone surrogate in \\u escape") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(code) {
                            throw error("lone surrogate in \\u escape")
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                        utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: throw error("invalid escape")
                    }
                default:
                    guard byte >= 0x20 else { throw error("control character in string") }
                    utf8.append(byte)
                    position += 1
                }
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex digit in \\u escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        mutating func number() throws(ParseError) -> String {
            let start = position
            func digits() -> Int {
                let from = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
                return position - from
            }
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            let intStart = position
            let intDigits = digits()
            guard intDigits > 0 else { throw error("invalid number") }
            guard intDigits == 1 || bytes[intStart] != UInt8(ascii: "0") else { throw error("number with a leading zero") }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw error("invalid number") }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { throw error("invalid number") }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }
}

extension StrictJSON {
    /// JSON text for a string, escaped as serde_json does (quotes, backslashes, control characters).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

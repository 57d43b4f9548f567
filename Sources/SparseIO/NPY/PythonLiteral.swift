/// The small subset of Python literals that `.npy` headers use: a dict with string
/// keys whose values are strings, booleans, integers and tuples or lists of them.
///
/// NumPy reads the header with `ast.literal_eval`; this parser accepts what NumPy
/// writes (and reasonable hand-written variants: either quote style, spaces,
/// trailing commas) and rejects everything else with a message naming the column.
enum PythonLiteral: Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case tuple([PythonLiteral])
    case list([PythonLiteral])

    /// Parses `{key: value, ...}`; duplicate keys are an error (Python keeps the last, silently).
    static func parseDict(_ text: String) throws(ParseError) -> [(key: String, value: PythonLiteral)] {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        let result = try parser.dict()
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("unexpected text after the dict") }
        return result
    }

    struct ParseError: Error {
        var message: String
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        var atEnd: Bool { position >= scalars.count }

        func error(_ what: String) -> ParseError { ParseError(message: "\(what) at character \(position)") }

        mutating func skipSpace() {
            while position < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[position]) { position += 1 }
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws(ParseError) {
            skipSpace()
            guard position < scalars.count, scalars[position] == scalar else { throw error("expected '\(scalar)'") }
            position += 1
        }

        /// Consumes `scalar` if it comes next (after spaces).
        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            skipSpace()
            if position < scalars.count, scalars[position] == scalar { position += 1; return true }
            return false
        }

        mutating func dict() throws(ParseError) -> [(key: String, value: PythonLiteral)] {
            try expect("{")
            var entries: [(key: String, value: PythonLiteral)] = []
            while !take("}") {
                guard case let .string(key) = try value() else { throw error("dict keys must be strings") }
                guard !entries.contains(where: { $0.key == key }) else { throw error("key '\(key)' repeats") }
                try expect(":")
                entries.append((key, try value()))
                if take("}") { break }
                try expect(",")
            }
            return entries
        }

        mutating func value() throws(ParseError) -> PythonLiteral {
            skipSpace()
            guard position < scalars.count else { throw error("unexpected end of header") }
            let first = scalars[position]
            switch first {
            case "'", "\"": return .string(try string(quote: first))
            case "(": return .tuple(try sequence(close: ")"))
            case "[": return .list(try sequence(close: "]"))
            case "0"..."9": return .int(try integer())
            default:
                if word("True") { return .bool(true) }
                if word("False") { return .bool(false) }
                throw error("unexpected '\(first)'")
            }
        }

        mutating func word(_ text: String) -> Bool {
            let target = Array(text.unicodeScalars)
            guard position + target.count <= scalars.count,
                  Array(scalars[position..<(position + target.count)]) == target else { return false }
            // A word must not run into an identifier character (e.g. `Truex`).
            let end = position + target.count
            if end < scalars.count, scalars[end].properties.isAlphabetic || scalars[end] == "_" { return false }
            position = end
            return true
        }

        mutating func string(quote: Unicode.Scalar) throws(ParseError) -> String {
            position += 1
            var out = String.UnicodeScalarView()
            while position < scalars.count, scalars[position] != quote {
                // NumPy never writes escapes in these headers; refusing them keeps this parser honest.
                guard scalars[position] != "\\", scalars[position] != "\n" else {
                    throw error("escapes and line breaks in strings are not supported")
                }
                out.append(scalars[position])
                position += 1
            }
            guard position < scalars.count else { throw error("unterminated string") }
            position += 1
            return String(out)
        }

        mutating func integer() throws(ParseError) -> Int {
            var value = 0
            let start = position
            while position < scalars.count, ("0"..."9").contains(scalars[position]) {
                let digit = Int(scalars[position].value) - 48
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(digit)
                guard !o1, !o2 else { throw error("integer too large") }
                value = plus
                position += 1
            }
            // Python 3 rejects leading zeros in decimal literals ("01").
            if position - start > 1, scalars[start] == "0" { throw error("integer with a leading zero") }
            return value
        }

        mutating func sequence(close: Unicode.Scalar) throws(ParseError) -> [PythonLiteral] {
            position += 1
            var items: [PythonLiteral] = []
            var sawComma = false
            while !take(close) {
                items.append(try value())
                sawComma = false
                if take(close) { break }
                try expect(",")
                sawComma = true
            }
            // `(3)` is the integer 3 in Python, not a tuple.
            if close == ")", items.count == 1, !sawComma {
                throw error("a one-element tuple needs a trailing comma, as (3,)")
            }
            return items
        }
    }
}

/// A plain-text table with aligned columns, for the CLI's reports.
///
/// Columns are separated by two spaces; numbers read best right-aligned, so each
/// column has its own alignment. A header, when present, is underlined with dashes.
/// Trailing spaces are trimmed so the output diffs cleanly.
struct TextTable {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    private(set) var rows: [[String]] = []

    /// A table with a header row; `alignments` defaults to left for every column.
    init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
        precondition(self.alignments.count == headers.count, "TextTable: one alignment per column")
    }

    /// A two-column key/value table without a header.
    static func keyValue(_ pairs: [(String, String)]) -> TextTable {
        var table = TextTable(headers: ["", ""])
        table.headers = []
        for (key, value) in pairs { table.append([key, value]) }
        return table
    }

    /// Adds a row; it must have one cell per column.
    mutating func append(_ row: [String]) {
        precondition(row.count == alignments.count, "TextTable: row has \(row.count) cells, table has \(alignments.count) columns")
        rows.append(row)
    }

    /// The table as lines, each ending with a newline.
    func render() -> String {
        let all = (headers.isEmpty ? [] : [headers]) + rows
        var widths = [Int](repeating: 0, count: alignments.count)
        for row in all {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        var out = ""
        func line(_ cells: [String]) {
            var text = ""
            for (column, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                if column > 0 { text += "  " }
                text += alignments[column] == .right ? pad + cell : cell + pad
            }
            while text.last == " " { text.removeLast() }
            out += text + "\n"
        }
        if !headers.isEmpty {
            line(headers)
            line(widths.map { String(repeating: "-", count: $0) })
        }
        rows.forEach(line)
        return out
    }
}

/// Number formats shared by the reports.
enum TextFormat {
    /// A fraction with four decimals: `0.9000`.
    static func fraction(_ value: Double) -> String { fixed(value, decimals: 4) }

    /// A fraction as a percentage with one decimal: `57.0%`.
    static func percent(_ value: Double) -> String { fixed(100 * value, decimals: 1) + "%" }

    /// `value` rounded to `decimals` places, without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.description }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return value.description }
        let whole = Int(scaled)
        let sign = value < 0 && whole != 0 ? "-" : ""
        let integer = whole / Int(scale), fraction = whole % Int(scale)
        guard decimals > 0 else { return sign + String(integer) }
        let digits = String(fraction)
        return sign + String(integer) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }

    /// `[2048, 1024]` as `2048 x 1024`; a scalar as `scalar`.
    static func shape(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: " x ")
    }
}

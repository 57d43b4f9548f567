import Foundation

extension MatrixMarket {
    /// The text of `matrix` as `%%MatrixMarket matrix coordinate real general`
    /// (or `pattern general` when `pattern`, which drops the values). Values are
    /// written as the shortest decimal that reads back as the same Float64, so
    /// `scipy.io.mmread` gives back exactly the stored values (widened to Float64).
    /// BSR matrices write every stored element, explicit zeros in blocks included.
    public static func encode(_ matrix: AnySparseMatrix, pattern: Bool = false) -> Data {
        let entries = matrix.coordinates()
        var text = "%%MatrixMarket matrix coordinate \(pattern ? "pattern" : "real") general\n"
        text += "% written by Sparrow (\(matrix.formatName), \(matrix.elementType.rawValue))\n"
        text += "\(matrix.rows) \(matrix.columns) \(entries.count)\n"
        var data = Data(text.utf8)
        var line = ""
        for entry in entries {
            line.removeAll(keepingCapacity: true)
            line += String(entry.row + 1)
            line += " "
            line += String(entry.column + 1)
            if !pattern {
                line += " "
                line += entry.value.description
            }
            line += "\n"
            data.append(contentsOf: line.utf8)
        }
        return data
    }

    /// Writes `matrix` to `path` (see ``encode(_:pattern:)``).
    public static func write(_ matrix: AnySparseMatrix, to path: String, pattern: Bool = false) throws(SparseIOError) {
        try FileBytes.write(encode(matrix, pattern: pattern), to: path)
    }
}

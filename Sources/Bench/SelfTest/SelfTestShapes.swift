import Runtime
import SparseFormats

/// The awkward shapes every kernel is checked on, as Sputnik and llm.c check theirs.
package struct SelfTestShape: Sendable {
    package var name: String
    package var matrix: CSRMatrix<Float>
    package var m: Int

    /// Empty rows, one column, nnz = 0, N = 1, odd K and M, a fully dense row, M = 1,
    /// one DLMC-sized problem and one that the xTile family covers; every size deliberately a multiple of nothing.
    package static func all() throws -> [SelfTestShape] {
        var rng = SeededGenerator(label: "selftest/shapes")
        func random(_ rows: Int, _ columns: Int, density: Double, denseRow: Int? = nil, emptyEvery: Int? = nil) throws -> CSRMatrix<Float> {
            var dense = [Float](repeating: 0, count: rows * columns)
            for r in 0..<rows {
                if let e = emptyEvery, r % e == 0 { continue }
                for c in 0..<columns {
                    let u = Double(rng.next() >> 11) / Double(1 << 53)
                    if u < density || r == denseRow { dense[r * columns + c] = rng.nextSignedUnitFloat() }
                }
            }
            return try CSRMatrix(DenseMatrix(rows: rows, columns: columns, storage: dense))
        }
        return [
            SelfTestShape(name: "empty rows 37x53 m=17", matrix: try random(37, 53, density: 0.2, emptyEvery: 3), m: 17),
            SelfTestShape(name: "one column 40x1 m=8", matrix: try random(40, 1, density: 0.5), m: 8),
            SelfTestShape(name: "nnz=0 16x16 m=4", matrix: try CSRMatrix<Float>(zeros: 16, 16), m: 4),
            SelfTestShape(name: "N=1 1x100 m=33", matrix: try random(1, 100, density: 0.3), m: 33),
            SelfTestShape(name: "odd K 31x127 m=5", matrix: try random(31, 127, density: 0.1), m: 5),
            SelfTestShape(name: "dense row 64x96 m=64", matrix: try random(64, 96, density: 0.05, denseRow: 7), m: 64),
            SelfTestShape(name: "M=1 100x100", matrix: try random(100, 100, density: 0.1), m: 1),
            SelfTestShape(name: "M=3 50x70", matrix: try random(50, 70, density: 0.15), m: 3),
            SelfTestShape(name: "dlmc-like 256x1152 m=196", matrix: try random(256, 1152, density: 0.1), m: 196),
            // Dense and tall enough that the xTile family (X staged in shared memory) is in the
            // space; m = 72 leaves a tail in every tile width.
            SelfTestShape(name: "xtile 2048x515 m=72", matrix: try random(2048, 515, density: 0.2, emptyEvery: 97), m: 72),
        ]
    }

    /// Magnitude-pruned 2:4 shapes (what cuSPARSELt runs): every size off the library's multiples
    /// of 32 (padded), M = 1, and one with many rows and K groups.
    package static func twoOfFour() throws -> [SelfTestShape] {
        var rng = SeededGenerator(label: "selftest/2:4")
        func pruned(_ rows: Int, _ columns: Int) throws -> CSRMatrix<Float> {
            try DenseMatrix(rows: rows, columns: columns, storage: rng.signedUnitValues(rows * columns, as: Float.self))
                .prunedCSR(.nOfM(n: 2, m: 4)).matrix
        }
        return [
            SelfTestShape(name: "2:4 off-grid 45x68 m=5", matrix: try pruned(45, 68), m: 5),
            SelfTestShape(name: "2:4 M=1 64x100", matrix: try pruned(64, 100), m: 1),
            SelfTestShape(name: "2:4 llm-like 1000x1028 m=17", matrix: try pruned(1000, 1028), m: 17),
        ]
    }
}

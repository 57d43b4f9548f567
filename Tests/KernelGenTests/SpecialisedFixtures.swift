import SparseFormats

@testable import KernelGen

/// Seeded awkward matrices for the specialised family (empty rows, one column, nnz = 0, N = 1,
/// odd sizes, a dense row), and a Float64 interpreter of its generated straight-line program.
enum SpecialisedFixtures {
    /// A seeded random `rows x columns` matrix of about `density`; every `emptyEvery`-th row
    /// empty; row `denseRow` full.
    static func matrix(
        _ rows: Int, _ columns: Int, density: Double, seed: String, emptyEvery: Int? = nil, denseRow: Int? = nil
    ) throws -> CSRMatrix<Float> {
        var rng = SeededGenerator(label: "specialised/\(seed)")
        var dense = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows where emptyEvery.map({ r % $0 != 0 }) ?? true {
            for c in 0..<columns {
                let u = Double(rng.next() >> 11) / Double(1 << 53)
                if u < density || r == denseRow { dense[r * columns + c] = rng.nextSignedUnitFloat() }
            }
        }
        return try CSRMatrix(DenseMatrix(rows: rows, columns: columns, storage: dense))
    }

    /// (name, W, m): the shapes every specialised config is checked on.
    static func awkward() throws -> [(name: String, w: CSRMatrix<Float>, m: Int)] {
        [
            ("empty rows 37x53 m=17", try matrix(37, 53, density: 0.2, seed: "empty", emptyEvery: 3), 17),
            ("one column 40x1 m=8", try matrix(40, 1, density: 0.5, seed: "column"), 8),
            ("nnz=0 16x16 m=4", try CSRMatrix<Float>(zeros: 16, 16), 4),
            ("N=1 1x100 m=33", try matrix(1, 100, density: 0.3, seed: "one-row"), 33),
            ("odd K 31x127 m=5", try matrix(31, 127, density: 0.1, seed: "odd"), 5),
            ("dense row 64x96 m=64", try matrix(64, 96, density: 0.05, seed: "dense-row", denseRow: 7), 64),
        ]
    }

    /// `w` with its values rounded to `type` (and widened back: exact in Float).
    static func rounded(_ w: CSRMatrix<Float>, to type: ElementType) throws -> CSRMatrix<Float> {
        struct Round: ElementTypeVisitor {
            let values: [Float]
            func visit<T: SparseElement>(_ type: T.Type) -> [Float] { values.map { T($0).floatValue } }
        }
        return try CSRMatrix(
            rows: w.rows, columns: w.columns, rowOffsets: w.rowOffsets, columnIndices: w.columnIndices,
            values: type.visit(Round(values: w.values)))
    }

    /// The problem of `w` at `m`.
    static func problem(
        _ w: CSRMatrix<Float>, m: Int, type: ElementType = .f32, epilogue: Epilogue = .none, device: DeviceLimits = .sm90
    ) throws -> SpMMProblem {
        try SpMMProblem(pattern: w, m: m, patternDigest: w.patternDigest.value, elementType: type, epilogue: epilogue, device: device)
    }

    /// Runs the program of a rendered specialised kernel in Float64 for every block and column:
    /// `L(offset)` loads X at `offset + col`, `F(aJ, w)` adds w times it to row slot J, `S(aJ,
    /// row, offset)` stores slot J's sum (through `epilogue`) at Y[row]. Values are the constants
    /// in the source or `values[p]` for `values + p`. Returns Y (NaN where nothing was stored)
    /// and how many times each element was stored.
    static func interpret(
        _ source: String, values: [Double], x: [Double], n: Int, m: Int, epilogue: (Double, Int) -> Double
    ) -> (y: [Double], stores: [Int]) {
        var y = [Double](repeating: .nan, count: n * m)
        var stores = [Int](repeating: 0, count: n * m)
        for col in 0..<m {
            var accumulators: [Int: Double] = [:]
            var loaded = Double.nan
            for raw in source.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("__device__ __noinline__ void group_") {
                    accumulators = [:]
                } else if line.hasPrefix("L("), let offset = Int(line.dropFirst(2).prefix { $0 != ")" }) {
                    loaded = x[offset + col]
                } else if line.hasPrefix("F(a") {
                    let inside = line.dropFirst(3).prefix { $0 != ";" }.dropLast()
                    let parts = inside.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard let slot = Int(parts[0]) else { continue }
                    accumulators[slot, default: 0] += weight(parts[1], values: values) * loaded
                } else if line.hasPrefix("S(a") {
                    let parts = line.dropFirst(3).prefix { $0 != ")" }.split(separator: ",").map {
                        Int($0.trimmingCharacters(in: .whitespaces)) ?? -1
                    }
                    let row = parts[1]
                    y[row * m + col] = epilogue(accumulators[parts[0], default: 0], row)
                    stores[row * m + col] += 1
                }
            }
        }
        return (y, stores)
    }

    /// The weight an `F` line multiplies by: `__uint_as_float(0x...u)` or `to_f32(__ldg(values + p))`.
    private static func weight(_ text: String, values: [Double]) -> Double {
        if text.hasPrefix("__uint_as_float(0x"), let bits = UInt32(text.dropFirst(18).prefix { $0 != "u" }, radix: 16) {
            return Double(Float(bitPattern: bits))
        }
        if let plus = text.range(of: "values + "), let p = Int(text[plus.upperBound...].prefix { $0.isNumber }) {
            return values[p]
        }
        return .nan
    }
}

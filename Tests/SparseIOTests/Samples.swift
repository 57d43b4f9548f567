import Foundation
import SparseFormats
@testable import SparseIO

/// Awkward CSR shapes: empty, 1x1, empty rows, one dense row, unaligned sizes.
func sampleCSRs() -> [(String, CSRMatrix<Float>)] {
    func make(_ rows: Int, _ columns: Int, _ offsets: [Int32], _ indices: [Int32]) -> CSRMatrix<Float> {
        var generator = SeededGenerator(seed: 11)
        let values: [Float] = generator.signedUnitValues(indices.count)
        do {
            return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
        } catch {
            fatalError("bad sample: \(error)")
        }
    }
    return [
        ("0x0", make(0, 0, [0], [])),
        ("1x1", make(1, 1, [0, 1], [0])),
        ("3x4_empty", make(3, 4, [0, 0, 0, 0], [])),
        ("5x7_emptyrows", make(5, 7, [0, 2, 2, 9, 9, 10], [1, 6, 0, 1, 2, 3, 4, 5, 6, 3])),
        ("0x3", make(0, 3, [0], [])),
        ("4x0", make(4, 0, [0, 0, 0, 0, 0], [])),
    ]
}

/// BSR samples: 2x3 blocks with an empty block row, and a 1x1-block one.
func sampleBSRs() -> [(String, BSRMatrix<Float>)] {
    var generator = SeededGenerator(seed: 12)
    do {
        let a = try BSRMatrix(rows: 6, columns: 9, blockRows: 2, blockColumns: 3, rowOffsets: [0, 2, 2, 3],
                              columnIndices: [0, 2, 1], values: generator.signedUnitValues(18) as [Float])
        let b = try BSRMatrix(rows: 2, columns: 2, blockRows: 1, blockColumns: 1, rowOffsets: [0, 1, 1],
                              columnIndices: [1], values: [Float(0.5)])
        let c = try BSRMatrix<Float>(rows: 4, columns: 4, blockRows: 2, blockColumns: 2, rowOffsets: [0, 0, 0],
                                     columnIndices: [], values: [])
        return [("6x9_b2x3", a), ("2x2_b1x1", b), ("4x4_empty", c)]
    } catch {
        fatalError("bad sample: \(error)")
    }
}

/// One tensor per dtype and awkward shape, values from a seeded generator.
func sampleTensors() -> [AnyDenseTensor] {
    let shapes: [[Int]] = [[], [0], [1], [5], [0, 0], [1, 1], [3, 4], [2, 3, 2]]
    var generator = SeededGenerator(seed: 13)
    var out: [AnyDenseTensor] = []
    for dtype in TensorDType.allCases {
        for shape in shapes {
            let count = shape.reduce(1, *)
            let unit = (0..<count).map { _ in generator.nextSignedUnitFloat() }
            let bytes: Data
            switch dtype {
            case .f64: bytes = AnyDenseTensor.encode(unit.map { Double($0) * 1e3 })
            case .f32: bytes = AnyDenseTensor.encode(unit)
            case .f16: bytes = AnyDenseTensor.encode(unit.map { Float16($0) })
            case .bf16: bytes = AnyDenseTensor.encode(unit.map { BFloat16($0) })
            case .i64: bytes = AnyDenseTensor.encode(unit.map { Int64($0 * 1e9) })
            case .i32: bytes = AnyDenseTensor.encode(unit.map { Int32($0 * 1e6) })
            case .i16: bytes = AnyDenseTensor.encode(unit.map { Int16($0 * 3e4) })
            case .i8: bytes = AnyDenseTensor.encode(unit.map { Int8($0 * 127) })
            case .u8: bytes = AnyDenseTensor.encode(unit.map { UInt8(($0 + 1) * 127) })
            case .bool: bytes = Data(unit.map { $0 > 0 ? 1 : 0 })
            }
            out.append(AnyDenseTensor(dtype: dtype, shape: shape, bytes: bytes))
        }
    }
    return out
}

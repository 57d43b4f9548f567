import Foundation
import Sparrow
import Testing

// Only `import Sparrow`: these tests use the library as a SwiftPM dependent would.
@Suite("The Sparrow library API")
struct SparseLinearTests {
    /// A 7 x 5 W with an empty row and a dense row, and its dense form.
    static let dense: [Float] = [
        1, 0, 0, -2, 0,
        0, 0, 0, 0, 0,
        0, 0, 0.5, 0, 0,
        0, 3, 0, 0, -1,
        0.25, 0.5, 0.75, 1, 1.25,
        0, 0, -3, 0, 0,
        0, 0, 0, 0, 2,
    ]

    static func weights() throws -> SparseWeights {
        SparseWeights(try CSRMatrix(try DenseMatrix(rows: 7, columns: 5, storage: dense)))
    }

    /// Y = W X + bias in Float64, the check.
    static func expected(_ x: [Float], m: Int, bias: [Float]?) -> [Double] {
        var y = [Double](repeating: 0, count: 7 * m)
        for r in 0..<7 {
            for c in 0..<m {
                var sum = Double(bias?[r] ?? 0)
                for k in 0..<5 { sum += Double(dense[r * 5 + k]) * Double(x[k * m + c]) }
                y[r * m + c] = sum
            }
        }
        return y
    }

    @Test(arguments: [1, 3, 16])
    func cpuLayerMatchesTheReference(width: Int) throws {
        let bias: [Float] = [0.5, -1, 0, 2, 0.25, 0, -0.5]
        let layer = try SparseLinear(try Self.weights(), bias: bias, width: width, device: .cpu)
        let x: [Float] = (0..<5 * width).map { Float(($0 * 7) % 11) / 4 - 1 }
        let y = try layer.apply(try DenseMatrix(rows: 5, columns: width, storage: x))
        #expect(y.rows == 7 && y.columns == width)
        for (got, want) in zip(y.storage, Self.expected(x, m: width, bias: bias)) { #expect(abs(Double(got) - want) < 1e-5) }
        #expect(layer.report.device.hasPrefix("cpu") && layer.report.correct == layer.report.measured && layer.report.measured >= 1)
        #expect(layer.report.kernel.hasPrefix("cpu.t"))
    }

    @Test func wrongShapesAreErrorsNotTraps() throws {
        let layer = try SparseLinear(try Self.weights(), width: 4, device: .cpu)
        #expect(throws: (any Error).self) { try layer.apply(try DenseMatrix(rows: 5, columns: 3, storage: [Float](repeating: 0, count: 15))) }
        #expect(throws: (any Error).self) { try SparseLinear(try Self.weights(), bias: [1, 2], width: 4, device: .cpu) }
    }

    @Test func autoFallsBackToTheCPUWithAReason() throws {
        let layer = try SparseLinear(try Self.weights(), width: 2)
        if layer.report.device.hasPrefix("cpu") { #expect(layer.report.fallbackReason?.isEmpty == false) }
    }

    @Test func loadsDenseTensorsAndPrunes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A little-endian f32 .npy of the dense W, written by hand (NumPy's format, version 1.0).
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (7, 5), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for value in Self.dense { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        let path = folder.appendingPathComponent("w.npy").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let loaded = try SparseWeights.load(path)
        let expected = try Self.weights()
        #expect(loaded.matrix == expected.matrix)
        #expect(loaded.nnz == 12 && abs(loaded.sparsity - 23.0 / 35.0) < 1e-12)
        #expect(throws: (any Error).self) { try SparseWeights.load(path, tensor: "weight") }

        let (pruned, report) = try SparseWeights.pruning(try DenseMatrix(rows: 7, columns: 5, storage: Self.dense), sparsity: 0.8)
        #expect(pruned.nnz == 7 && report.kept == 7)
    }
}

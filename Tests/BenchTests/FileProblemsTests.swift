import Foundation
import SparseFormats
import SparseIO
import Testing
@testable import Bench

/// `sparrow bench spmm FILE...`: which tensors of your own files become problems, and why not.
@Suite("benchmark problems from files")
struct FileProblemsTests {
    /// A seeded `rows x columns` matrix with about `zeros` of it zero.
    func matrix(_ rows: Int, _ columns: Int, zeros: Double, seed: UInt64) throws -> DenseMatrix<Float> {
        var values = SeededGenerator(seed: seed), keep = SeededGenerator(seed: seed + 1)
        let v: [Float] = values.signedUnitValues(rows * columns), u: [Float] = keep.signedUnitValues(rows * columns)
        return try DenseMatrix(rows: rows, columns: columns, storage: zip(v, u).map { (u1, k) in (k + 1) / 2 < Float(zeros) ? 0 : u1 })
    }

    /// A model with one pruned 2-D tensor, one dense 2-D tensor, one 1-D bias and one integer table.
    func model(in folder: URL) throws -> String {
        var tensors = TensorCollection()
        tensors.append("layer.weight", AnyDenseTensor(try matrix(12, 20, zeros: 0.7, seed: 1)))
        tensors.append("layer.dense", AnyDenseTensor(try matrix(8, 8, zeros: 0, seed: 3)))
        tensors.append("layer.bias", AnyDenseTensor(shape: [12], values: [Float](repeating: 0, count: 12)))
        tensors.append("ids", AnyDenseTensor(shape: [2, 2], int32: [0, 0, 0, 1]))
        let path = folder.appendingPathComponent("model.safetensors").path
        try Safetensors.write(tensors, to: path)
        return path
    }

    @Test func onlySparseTwoDFloatTensorsAtTheDefaultWidthsAndTheRestListed() throws {
        let folder = try benchScratch("files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try model(in: folder)
        var notes: [String] = []
        let problems = try FileProblems(paths: [path]).problems { notes.append($0) }
        #expect(problems.map(\.m) == [1, 16, 256])
        #expect(problems.allSatisfy { $0.name == "model.safetensors/layer.weight" && $0.suite == "files" && $0.matrix.rows == 12 })
        #expect(problems.allSatisfy { abs($0.nominalSparsity - 0.7) < 0.1 && $0.nominalSparsity == ($0.nominalSparsity * 100).rounded() / 100 })
        #expect(notes.first == "files: benchmarking 2-D tensors with at least 30% zeros (--min-sparsity 0.3) at n = 1 16 256")
        let skipped = try #require(notes.first { $0.hasPrefix("files: skipped 3:") })
        #expect(skipped.contains("layer.dense (0.0% zeros, below 30%)"))
        #expect(skipped.contains("layer.bias (1-D [12])"))
        #expect(skipped.contains("ids (i32, not floating point)"))
    }

    @Test func theRuleIsOverridableAndAFolderIsRead() throws {
        let folder = try benchScratch("files-folder")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try model(in: folder)
        let mtx = folder.appendingPathComponent("sub/w.mtx")
        try FileManager.default.createDirectory(at: mtx.deletingLastPathComponent(), withIntermediateDirectories: true)
        try MatrixMarket.write(AnySparseMatrix(try CSRMatrix(try matrix(9, 7, zeros: 0.97, seed: 5))), to: mtx.path)
        try Data("{}".utf8).write(to: folder.appendingPathComponent("config.json"))
        // 0.0 takes the dense tensor too; the bias stays out (1-D).
        let all = try FileProblems(paths: [folder.path], minSparsity: 0, widths: [3]).problems()
        #expect(Set(all.map(\.name)) == ["model.safetensors/layer.weight", "model.safetensors/layer.dense", "w.mtx"])
        #expect(all.last?.name == "w.mtx", "files in name order, sub/w.mtx after model.safetensors")
        #expect(all.allSatisfy { $0.m == 3 })
        let strict = try FileProblems(paths: [folder.path], minSparsity: 0.85, widths: [3]).problems()
        #expect(strict.map(\.name) == ["w.mtx"])
    }

    @Test func nothingToBenchmarkOrNothingThereIsOneClearError() throws {
        let folder = try benchScratch("files-none")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try model(in: folder)
        #expect(throws: SuiteError.self) { try FileProblems(paths: [path], minSparsity: 0.99).problems() }
        do {
            _ = try FileProblems(paths: [path], minSparsity: 0.99).problems()
        } catch {
            #expect("\(error)" == "\(path): no 2-D tensors with at least 99% zeros (--min-sparsity 0.99)")
        }
        #expect(throws: SuiteError.self) { try FileProblems(paths: [folder.appendingPathComponent("missing.npz").path]).problems() }
        #expect(throws: SuiteError.self) { try FileProblems(paths: [path], minSparsity: 1.5).problems() }
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(throws: SuiteError.self) { try FileProblems(paths: [empty.path]).problems() }
    }
}

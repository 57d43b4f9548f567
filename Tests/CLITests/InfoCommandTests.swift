import Foundation
import FileTools
import SparseFormats
import SparseIO
import Testing

/// `sparrow info` run in-process: every format, text and JSON, numbers checked.
@Suite("sparrow info")
struct InfoCommandTests {
    /// 5 x 7 with empty rows (1 and 3), a dense row (2) and one explicit zero (row 4).
    static func sample() throws -> CSRMatrix<Float> {
        try CSRMatrix(rows: 5, columns: 7, rowOffsets: [0, 2, 2, 9, 9, 10],
                      columnIndices: [1, 6, 0, 1, 2, 3, 4, 5, 6, 3],
                      values: [0.5, -1, 1, 2, 3, 4, 5, 6, 7, 0])
    }

    func info(_ path: String, json: Bool) throws -> String {
        try sparrowOutput(["info"] + (json ? [path, "--json"] : [path]))
    }

    func summary(_ path: String) throws -> FileSummary {
        try decodeJSON(FileSummary.self, try info(path, json: true))
    }

    @Test func csrNPZ() throws {
        let folder = try cliScratch("info-csr")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csr = try Self.sample()
        let path = folder.appendingPathComponent("w.npz").path
        try SparseFile.write(.sparse(AnySparseMatrix(csr)), to: path)

        let s = try summary(path)
        #expect(s.kind == "sparse" && s.path == path)
        let m = try #require(s.matrix)
        #expect(m.format == "csr" && m.dtype == "f32" && m.rows == 5 && m.columns == 7)
        #expect(m.stored == 10)
        #expect(m.nonzeros == 9)
        #expect(abs(m.sparsity - (1 - 9.0 / 35)) < 1e-12)
        #expect(m.blockRows == nil && m.blockColumns == nil)
        #expect(m.patternDigest == csr.patternDigest.description)
        let r = m.rowStatistics
        #expect(r.minPerRow == 0 && r.maxPerRow == 7 && r.emptyRows == 2 && r.nnz == 10)
        #expect(abs(r.meanPerRow - 2) < 1e-12)
        // Per row 2, 0, 7, 0, 1: population variance (0 + 4 + 25 + 4 + 1) / 5 = 6.8.
        #expect(abs(r.stdPerRow - 6.8.squareRoot()) < 1e-12)
        #expect(m.nonFinite.isAllFinite)

        let text = try info(path, json: false)
        #expect(text.contains("format          csr"))
        #expect(text.contains("nonzeros        9\n"))
        #expect(text.contains("stored          10\n"))
        #expect(text.contains("sparsity        0.7429"))
        #expect(text.contains(csr.patternDigest.description))
        // The statistics row: rows, min, max, mean, std, empty rows.
        #expect(text.contains("5        0        7     2.000    2.608           2"))
    }

    /// `--tiles`: the 16 x 16 blocks and the row groups, in text and JSON; without it, neither.
    @Test func tilesOfAMatrix() throws {
        let folder = try cliScratch("info-tiles")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("w.npz").path
        try SparseFile.write(.sparse(AnySparseMatrix(try Self.sample())), to: path)
        #expect(try summary(path).matrix?.tiles == nil)

        let s = try decodeJSON(FileSummary.self, try sparrowOutput(["info", path, "--tiles", "--json"]))
        let tiles = try #require(s.matrix?.tiles)
        // One padded 16 x 16 block holding all 10 stored entries.
        #expect(tiles.blocks.totalBlocks == 1 && tiles.blocks.nonEmptyBlocks == 1 && tiles.blocks.nnz == 10)
        // 5 rows make one group of 8 or 16 in either order: all 7 columns, 10 of 35 slots filled.
        #expect(tiles.rowGroups.map(\.groupSize) == [8, 8, 16, 16])
        #expect(tiles.rowGroups.allSatisfy { $0.groups == 1 && $0.packedColumns == 7 && $0.fractionOfK == 1 && abs($0.fill - 10.0 / 35) < 1e-12 })

        let text = try sparrowOutput(["info", path, "--tiles"])
        #expect(text.contains("16 x 16 blocks holding an entry  1 of 1 (100.0%), mean fill 0.039"))
        #expect(text.contains("rows packed onto the union of their columns"))
        #expect(text.contains("locality") && text.contains("100.0%  0.286"))

        // Named tensors: a row for each 2-D floating-point tensor with at least 30% zeros.
        var tensors = TensorCollection()
        let pruned = seededMatrix(40, 24, seed: 1, zeros: 0.5)
        tensors.append("encoder.weight", AnyDenseTensor(pruned))
        tensors.append("encoder.dense", AnyDenseTensor(seededMatrix(6, 10, seed: 2)))
        tensors.append("encoder.bias", AnyDenseTensor(shape: [6], values: [Float](repeating: 0, count: 6)))
        let model = folder.appendingPathComponent("model.safetensors").path
        try SparseFile.write(.tensors(tensors), to: model)
        let named = try decodeJSON(FileSummary.self, try sparrowOutput(["info", model, "--tiles", "--json"]))
        let list = try #require(named.tensors)
        #expect(list.filter { $0.tiles != nil }.map(\.name) == ["encoder.weight"])
        let expected = TileSummary(try CSRMatrix(pruned))
        let weight = try #require(list.first { $0.name == "encoder.weight" }?.tiles)
        #expect(weight.blocks == expected.blocks && weight.rowGroups == expected.rowGroups)
        let table = try sparrowOutput(["info", model, "--tiles"])
        #expect(table.contains("tensor-core tiles of the 2-D tensors with at least 30% zeros"))
        #expect(table.contains("16 rows, locality"))
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("encoder.weight") && $0.contains("%") })
        #expect(row.contains(String(format: "%.1f%%", 100 * expected.rowGroups[0].fractionOfK)), "\(row)")
        #expect(!table.split(separator: "\n").contains { $0.hasPrefix("encoder.dense") && $0.contains("%") })

        // None sparse enough: one line says so.
        var dense = TensorCollection()
        dense.append("w", AnyDenseTensor(seededMatrix(6, 10, seed: 3)))
        let densePath = folder.appendingPathComponent("dense.safetensors").path
        try SparseFile.write(.tensors(dense), to: densePath)
        #expect(try sparrowOutput(["info", densePath, "--tiles"]).contains("tiles: no 2-D floating-point tensor of \(densePath) has at least 30% zeros"))
    }

    @Test func bsrNPZ() throws {
        let folder = try cliScratch("info-bsr")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bsr = try Self.sample().bsr(blockRows: 1, blockColumns: 7)  // 5 x 7 in 1 x 7 blocks: 3 stored blocks
        let path = folder.appendingPathComponent("w.npz").path
        try SparseFile.write(.sparse(AnySparseMatrix(bsr)), to: path)

        let m = try #require(try summary(path).matrix)
        #expect(m.format == "bsr" && m.blockRows == 1 && m.blockColumns == 7)
        #expect(m.stored == 21)
        #expect(m.nonzeros == 9)
        #expect(m.patternDigest == bsr.patternDigest.description)
        // Statistics count nonzeros: row 4's block holds only its explicit zero, so row 4 is empty too.
        #expect(m.rowStatistics.nnz == 9 && m.rowStatistics.emptyRows == 3)

        let text = try info(path, json: false)
        #expect(text.contains("block           1 x 7"))
        #expect(text.contains("stored          21\n"))
    }

    @Test func denseNPYWithNonFiniteValues() throws {
        let folder = try cliScratch("info-npy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dense = try DenseMatrix<Double>(rows: 3, columns: 4, storage: [0, 1, 0, 2, .nan, 0, 0, 0, .infinity, -.infinity, 0, 3])
        let path = folder.appendingPathComponent("w.npy").path
        try SparseFile.write(.dense(AnyDenseTensor(dense)), to: path)

        let s = try summary(path)
        #expect(s.kind == "dense")
        let m = try #require(s.matrix)
        #expect(m.format == "dense" && m.dtype == "f64" && m.rows == 3 && m.columns == 4)
        #expect(m.stored == 12)
        #expect(m.nonzeros == 6)
        #expect(m.nonFinite.nanCount == 1 && m.nonFinite.positiveInfinityCount == 1 && m.nonFinite.negativeInfinityCount == 1)
        #expect(m.nonFinite.first == NonFiniteReport.Position(row: 1, column: 0))
        #expect(m.rowStatistics.minPerRow == 1 && m.rowStatistics.maxPerRow == 3)

        let text = try info(path, json: false)
        #expect(text.contains("1 NaN, 1 +Inf, 1 -Inf; first at row 1, column 0"))
    }

    @Test(arguments: [[0, 0], [1, 1], [0, 3], [2, 3, 4]])
    func awkwardNPYShapes(shape: [Int]) throws {
        let folder = try cliScratch("info-shape")
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = shape.reduce(1, *)
        let path = folder.appendingPathComponent("w.npy").path
        try SparseFile.write(.dense(AnyDenseTensor(shape: shape, values: (0..<count).map { Float($0 % 3) })), to: path)

        let s = try summary(path)
        let zeros = (0..<count).filter { $0 % 3 == 0 }.count
        #expect(s.tensors?.first?.elements == count)
        #expect(s.tensors?.first?.zeros == zeros)
        if shape.count == 2 {
            let m = try #require(s.matrix)
            #expect(m.rows == shape[0] && m.columns == shape[1] && m.nonzeros == count - zeros)
            #expect(m.rowStatistics.stdPerRow == 0)
        } else {
            #expect(s.matrix == nil)
            #expect(try info(path, json: false).contains("2 x 3 x 4"))
        }
    }

    @Test func matrixMarketAndSMTXAgreeWithTheNPZ() throws {
        let folder = try cliScratch("info-mtx")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csr = try Self.sample()
        let mtx = folder.appendingPathComponent("w.mtx").path
        try SparseFile.write(.sparse(AnySparseMatrix(csr)), to: mtx)
        let smtx = folder.appendingPathComponent("w.smtx").path
        let text = "5, 7, 10\n" + csr.rowOffsets.map(String.init).joined(separator: " ") + "\n"
            + csr.columnIndices.map(String.init).joined(separator: " ") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: smtx))

        for path in [mtx, smtx] {
            let m = try #require(try summary(path).matrix)
            #expect(m.format == "csr" && m.rows == 5 && m.columns == 7 && m.stored == 10)
            #expect(m.patternDigest == csr.patternDigest.description)
            #expect(m.rowStatistics == csr.rowStatistics)
        }
    }

    @Test func safetensorsTableAndMetadata() throws {
        let folder = try cliScratch("info-st")
        defer { try? FileManager.default.removeItem(at: folder) }
        var tensors = TensorCollection(metadata: ["format": "pt", "pruned": "no"])
        tensors.append("encoder.weight", AnyDenseTensor(seededMatrix(6, 10, seed: 1, zeros: 0.5)))
        tensors.append("encoder.bias", AnyDenseTensor(shape: [6], values: [Float](repeating: 0, count: 6)))
        tensors.append("head.weight", AnyDenseTensor(seededMatrix(3, 6, seed: 2).converted(to: BFloat16.self)))
        tensors.append("steps", AnyDenseTensor(shape: [], int64: [7]))
        let path = folder.appendingPathComponent("model.safetensors").path
        try SparseFile.write(.tensors(tensors), to: path)

        let s = try summary(path)
        #expect(s.kind == "tensors" && s.matrix == nil)
        let list = try #require(s.tensors)
        #expect(list.map(\.name).sorted() == tensors.names.sorted())
        let encoderZeros = seededMatrix(6, 10, seed: 1, zeros: 0.5).storage.filter { $0 == 0 }.count
        #expect(list.first { $0.name == "encoder.weight" }?.zeros == encoderZeros)
        #expect(list.first { $0.name == "head.weight" }?.dtype == "bf16")
        #expect(list.first { $0.name == "steps" }?.shape == [])
        let total = try #require(s.total)
        #expect(total.elements == 60 + 6 + 18 + 1)
        #expect(total.zeros == encoderZeros + 6)
        #expect(s.metadata == ["format": "pt", "pruned": "no"])

        let text = try info(path, json: false)
        #expect(text.contains("total (4 tensors)"))
        #expect(text.contains("head.weight"))
        #expect(text.contains("bf16"))
        #expect(text.contains("pruned    no"))
    }

    @Test func numpySavez() throws {
        let folder = try cliScratch("info-savez")
        defer { try? FileManager.default.removeItem(at: folder) }
        var tensors = TensorCollection()
        tensors.append("a", AnyDenseTensor(seededMatrix(4, 4, seed: 3, zeros: 0.25)))
        tensors.append("ids", AnyDenseTensor(shape: [3], int32: [0, 1, 2]))
        let path = folder.appendingPathComponent("arrays.npz").path
        try SparseFile.write(.tensors(tensors), to: path)

        let s = try summary(path)
        #expect(s.kind == "tensors")
        #expect(s.tensors?.map(\.name) == ["a", "ids"])
        #expect(s.tensors?.last?.zeros == 1)
        #expect(s.metadata == nil)
    }

    @Test func jsonHasSortedKeysAndNoEscapedSlashes() throws {
        let folder = try cliScratch("info-json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("w.npz").path
        try SparseFile.write(.sparse(AnySparseMatrix(try Self.sample())), to: path)
        let json = try info(path, json: true)
        #expect(json.contains("\"path\" : \"\(path)\""))
        let kind = try #require(json.range(of: "\"kind\"")), matrix = try #require(json.range(of: "\"matrix\""))
        #expect(kind.lowerBound < matrix.lowerBound)
    }

    @Test func aMissingFileIsOneLineNamingIt() throws {
        let path = "/nonexistent/folder/w.npz"
        let error = #expect(throws: (any Error).self) { try sparrowOutput(["info"] + [path]) }
        #expect(error.map { String(describing: $0).hasPrefix(path + ": ") } == true)
    }
}

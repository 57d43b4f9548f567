import Foundation
import FileTools
import SparseFormats
import SparseIO
import Testing

/// `sparrow convert` run in-process: round trips between every pair of formats.
@Suite("sparrow convert")
struct ConvertCommandTests {
    let folder: URL

    init() throws { folder = try cliScratch("convert") }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @discardableResult
    func convert(_ arguments: [String]) throws -> String {
        try sparrowOutput(["convert"] + arguments)
    }

    func dense(_ name: String) throws -> AnyDenseTensor {
        guard case let .dense(tensor) = try SparseFile.read(path(name)) else {
            Issue.record("\(name) does not hold one dense tensor")
            return AnyDenseTensor(shape: [0], values: [Float]())
        }
        return tensor
    }

    func sparse(_ name: String) throws -> AnySparseMatrix? {
        guard case let .sparse(matrix) = try SparseFile.read(path(name)) else {
            Issue.record("\(name) does not hold a sparse matrix")
            return nil
        }
        return matrix
    }

    /// Awkward shapes: empty, 1x1, empty rows, a dense row, sizes that are multiples of nothing.
    static let shapes: [(Int, Int)] = [(0, 0), (1, 1), (3, 0), (7, 5), (12, 18)]

    @Test(arguments: shapes)
    func denseThroughEverySparseFormatAndBack(shape: (Int, Int)) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var matrix = seededMatrix(shape.0, shape.1, seed: 41, zeros: 0.6)
        if shape.0 > 2 {
            for c in 0..<shape.1 { matrix[0, c] = 0; matrix[1, c] = Float(c + 1) }  // an empty row and a dense row
        }
        let original = AnyDenseTensor(matrix)
        try SparseFile.write(.dense(original), to: path("w.npy"))

        try convert([path("w.npy"), path("a.npz")])
        try convert([path("a.npz"), path("b.mtx")])
        try convert([path("b.mtx"), path("c.npz")])
        // Matrix Market has no element type: it reads back as f64, so ask for f32 again.
        try convert([path("c.npz"), path("d.npy"), "--dtype", "f32"])
        #expect(try dense("d.npy") == original)
        let csr = try #require(try sparse("a.npz"))
        #expect(csr.formatName == "csr" && csr.storedCount == matrix.storage.filter { $0 != 0 }.count)

        try convert([path("a.npz"), path("e.safetensors")])
        let written = try readTensors(path("e.safetensors"))
        #expect(written.names == ["weight"] && written["weight"] == original)
        try convert([path("e.safetensors"), path("f.npy")])
        #expect(try dense("f.npy") == original)
    }

    @Test func csrToBSRAndBack() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let matrix = seededMatrix(12, 18, seed: 42, zeros: 0.8)
        try SparseFile.write(.dense(AnyDenseTensor(matrix)), to: path("w.npy"))

        let text = try convert([path("w.npy"), path("b.npz"), "--block", "2x3"])
        #expect(text.contains("bsr f32 12 x 18") && text.contains("2x3 blocks"))
        guard case let .bsr(.f32(bsr))? = try sparse("b.npz") else {
            Issue.record("not an f32 BSR matrix")
            return
        }
        #expect(bsr.blockRows == 2 && bsr.blockColumns == 3)
        #expect(bsr.dense() == matrix)

        // BSR to BSR with another block, to CSR, and to dense.
        try convert([path("b.npz"), path("b4.npz"), "--block", "4x6"])
        guard case let .bsr(.f32(bsr4))? = try sparse("b4.npz") else {
            Issue.record("not an f32 BSR matrix")
            return
        }
        #expect(bsr4.blockRows == 4 && bsr4.blockColumns == 6 && bsr4.dense() == matrix)
        try convert([path("b.npz"), path("c.npz"), "--format", "csr"])
        guard case let .csr(.f32(csr))? = try sparse("c.npz") else {
            Issue.record("not an f32 CSR matrix")
            return
        }
        #expect(csr == (try CSRMatrix(matrix)))
        try convert([path("b.npz"), path("d.npy")])
        #expect(try dense("d.npy") == AnyDenseTensor(matrix))
        // BSR stays BSR when only the dtype changes, blocks and all.
        try convert([path("b.npz"), path("b64.npz"), "--dtype", "f64"])
        guard case let .bsr(.f64(wide))? = try sparse("b64.npz") else {
            Issue.record("not an f64 BSR matrix")
            return
        }
        #expect(wide == bsr.converted(to: Double.self))
    }

    @Test func smtxToNPZAndMTX() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "3, 5, 4\n0 2 2 4\n0 4 1 3\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path("p.smtx")))
        try convert([path("p.smtx"), path("p.npz")])
        try convert([path("p.smtx"), path("p.mtx"), "--dtype", "f64"])
        guard case let .csr(.f32(a))? = try sparse("p.npz"), case let .csr(.f64(b))? = try sparse("p.mtx") else {
            Issue.record("not CSR")
            return
        }
        #expect(a.rowOffsets == [0, 2, 2, 4] && a.columnIndices == [0, 4, 1, 3])
        #expect(b.columnIndices == a.columnIndices)
        var generator = SeededGenerator(seed: SMTX.valueSeed)
        #expect(a.values == generator.signedUnitValues(4))
    }

    @Test func safetensorsAndSavezRoundTrip() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var tensors = TensorCollection()
        tensors.append("w1", AnyDenseTensor(seededMatrix(5, 3, seed: 43)))
        tensors.append("w2", AnyDenseTensor(seededMatrix(2, 2, seed: 44).converted(to: Double.self)))
        tensors.append("ids", AnyDenseTensor(shape: [2, 2, 2], int64: [1, 2, 3, 4, 5, 6, 7, 8]))
        tensors.append("flag", AnyDenseTensor(shape: [], bools: [true]))
        try SparseFile.write(.tensors(tensors), to: path("m.safetensors"))

        #expect(try convert([path("m.safetensors"), path("m.npz")]).contains("4 dense tensors"))
        try convert([path("m.npz"), path("back.safetensors")])
        let back = try readTensors(path("back.safetensors"))
        #expect(Set(back.names) == Set(tensors.names))
        for name in tensors.names { #expect(back[name] == tensors[name], "\(name)") }

        // --dtype converts the floating tensors only.
        try convert([path("m.safetensors"), path("half.safetensors"), "--dtype", "f16"])
        let half = try readTensors(path("half.safetensors"))
        #expect(half["w1"]?.dtype == .f16 && half["w2"]?.dtype == .f16 && half["ids"] == tensors["ids"])
        #expect(half["w1"]?.doubles() == tensors["w1"]?.doubles().map { Double(Float16($0)) })

        // One tensor of the file: as a sparse matrix, or as a .npy.
        try convert([path("m.safetensors"), path("w1.npz"), "--tensor", "w1"])
        guard case let .csr(.f32(w1))? = try sparse("w1.npz") else {
            Issue.record("not an f32 CSR matrix")
            return
        }
        #expect(w1.dense() == seededMatrix(5, 3, seed: 43))
        try convert([path("m.safetensors"), path("w2.npy"), "--tensor", "w2"])
        #expect(try dense("w2.npy") == tensors["w2"])
    }

    @Test(arguments: [
        (["w.npy", "x.npz", "--dtype", "f16"], "add --dtype f32"),
        (["w.npy", "x.npz", "--dtype", "bf16"], "add --dtype f32"),
        (["w.npy", "x.npy", "--dtype", "bf16"], "add --dtype f32"),
        (["w.npy", "x.smtx"], "read-only"),
        (["w.npy", "x.npz", "--format", "bsr"], "--block"),
        (["w.npy", "x.npz", "--block", "4x4"], "not divisible"),
        (["w.npy", "x.npz", "--block", "ax2"], "--block"),
        (["w.npy", "x.npy", "--block", "2x2"], "--format and --block"),
        (["w.npy", "x.npz", "--format", "csr", "--block", "2x2"], "--block"),
        (["m.safetensors", "x.mtx"], "choose one with --tensor"),
        (["m.safetensors", "x.npz", "--tensor", "nope"], "no tensor named 'nope'"),
        (["m.safetensors", "x.npz", "--tensor", "bias"], "needs a 2-D tensor"),
        (["w.npy", "w.npy"], "is the input file"),
        (["w.npy", "no-such-folder/x.npz"], "no such folder"),
        (["w.npy", "x.txt"], "unknown extension"),
    ])
    func impossibleCombinationsFailWithOneLine(arguments: [String], fragment: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try SparseFile.write(.dense(AnyDenseTensor(seededMatrix(6, 6, seed: 45))), to: path("w.npy"))
        var tensors = TensorCollection()
        tensors.append("a", AnyDenseTensor(seededMatrix(4, 4, seed: 46)))
        tensors.append("b", AnyDenseTensor(seededMatrix(4, 2, seed: 47)))
        tensors.append("bias", AnyDenseTensor(shape: [4], values: [Float](repeating: 1, count: 4)))
        try SparseFile.write(.tensors(tensors), to: path("m.safetensors"))

        let resolved = arguments.map { $0.contains(".") ? path($0) : $0 }
        let error = #expect(throws: (any Error).self) { try convert(resolved) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains(fragment), "\(text)")
        #expect(!text.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: path("x.npz")))
    }
}

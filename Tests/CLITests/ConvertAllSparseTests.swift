import Foundation
import FileTools
import SparseFormats
import SparseIO
import Testing

/// `sparrow convert MODEL OUTDIR --all-sparse`: every sparse tensor of a model as a CSR `.npz`
/// in one folder, with an index; read back by Sparrow and, where it is installed, by scipy.
@Suite("sparrow convert --all-sparse")
final class ConvertAllSparseTests: Sendable {
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }

    init() throws {
        folder = try cliScratch("all-sparse")
        try SparseFile.write(.tensors(Self.model()), to: path("model.safetensors"))
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A pruned model: sparse f32 and f16 layers, names no file system takes as they are,
    /// a dense layer, a bias, an integer table.
    static func model() -> TensorCollection {
        var tensors = TensorCollection()
        tensors.append("embeddings.word_embeddings.weight", AnyDenseTensor(seededMatrix(30, 8, seed: 81)))
        tensors.append("encoder.layer.0.attention.self.query.weight", AnyDenseTensor(seededMatrix(8, 8, seed: 82, zeros: 0.9)))
        tensors.append("encoder.layer.0.attention.self.query.bias", AnyDenseTensor(shape: [8], values: [Float](repeating: 0, count: 8)))
        tensors.append("half/precision weight%", AnyDenseTensor(seededMatrix(7, 5, seed: 83, zeros: 0.6).converted(to: Float16.self)))
        tensors.append(".hidden", AnyDenseTensor(shape: [3, 4], values: [Float]([0, 0, 1.5, 0, -2, 0, 0, 0, 0, 0.25, 0, 3])))
        tensors.append("Straße.weight", AnyDenseTensor(seededMatrix(4, 3, seed: 85, zeros: 0.5).converted(to: Double.self)))
        tensors.append("positions", AnyDenseTensor(shape: [4, 4], int32: [Int32](repeating: 0, count: 16)))
        return tensors
    }

    func index() throws -> SparseFolderIndex {
        try JSONDecoder().decode(SparseFolderIndex.self, from: Data(contentsOf: URL(fileURLWithPath: path("out/index.json"))))
    }

    @Test func writesEverySparseTensorAndAnIndex() throws {
        let text = try sparrowOutput(["convert", path("model.safetensors"), path("out"), "--all-sparse"])
        let index = try index()
        #expect(index.minSparsity == 0.3)
        #expect(index.tensors.mapValues(\.file) == [
            "encoder.layer.0.attention.self.query.weight": "encoder.layer.0.attention.self.query.weight.npz",
            "half/precision weight%": "half%2Fprecision%20weight%25.npz",
            ".hidden": "%2Ehidden.npz",
            "Straße.weight": "Stra%C3%9Fe.weight.npz",
        ])
        #expect(index.skipped == [
            "embeddings.word_embeddings.weight": "sparsity 0.0000 is below --min-sparsity 0.3",
            "encoder.layer.0.attention.self.query.bias": "not 2-D",
            "positions": "not floating point",
        ])
        #expect(index.tensors["half/precision weight%"]?.dtype == "f32")
        #expect(index.tensors["Straße.weight"]?.dtype == "f64")
        let model = Self.model()
        for (name, entry) in index.tensors {
            guard case let .sparse(matrix) = try SparseFile.read(path("out/" + entry.file)), matrix.formatName == "csr" else {
                Issue.record("\(entry.file) does not hold a CSR matrix")
                continue
            }
            let original = try #require(model[name])
            #expect([matrix.rows, matrix.columns] == original.shape && entry.shape == original.shape, "\(name)")
            #expect(matrix.storedCount == entry.nnz, "\(name)")
            #expect(matrix.denseDoubles() == original.doubles(), "\(name)")
            #expect(entry.sparsity == zeroFraction(original), "\(name)")
        }
        #expect(text.contains("wrote 4 of 7 tensors to \(path("out")), listed in index.json"))
        #expect(text.contains("skipped: not 2-D"))
    }

    @Test func minSparsityZeroTakesEveryFloatingMatrix() throws {
        _ = try sparrowOutput(["convert", path("model.safetensors"), path("out"), "--all-sparse", "--min-sparsity", "0", "--dtype", "f64"])
        let index = try index()
        #expect(index.tensors.count == 5)
        #expect(index.tensors.values.allSatisfy { $0.dtype == "f64" })
    }

    @Test(arguments: [
        (["--min-sparsity", "-0.5"], "sparrow: --min-sparsity must be in [0, 1], got -0.5"),
        (["--dtype", "bf16"], "sparrow: --dtype: scipy reads only f32 and f64 sparse .npz files, got bf16"),
        (["--block", "2x2"], "sparrow: --all-sparse: writes every sparse tensor as CSR; --format bsr, --block and --tensor apply to one output file"),
    ])
    func badRequestsAreOneLine(arguments: [String], line: String) throws {
        let result = try runSparrow(["convert", "model.safetensors", "out", "--all-sparse"] + arguments, in: folder)
        #expect(result.status == 1)
        #expect(result.stderrLines == [Substring(line)])
        #expect(!FileManager.default.fileExists(atPath: path("out")))
    }

    @Test func aFileWhereTheFolderBelongsIsNamed() throws {
        let result = try runSparrow(["convert", "model.safetensors", "model.safetensors", "--all-sparse"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderrLines == ["sparrow: model.safetensors: is a file; --all-sparse writes one .npz per tensor into a folder"])
    }

    @Test func fileNamesAreSafeAndDistinct() {
        #expect(TensorFileName.fileName(for: "a/b c%") == "a%2Fb%20c%25.npz")
        #expect(TensorFileName.fileName(for: "..") == "%2E..npz")
        #expect(TensorFileName.fileName(for: "") == ".npz")
        let long = String(repeating: "layer.", count: 50), longer = long + "x"
        let (a, b) = (TensorFileName.fileName(for: long), TensorFileName.fileName(for: longer))
        #expect(a.utf8.count <= 200 + ".npz".count && b.utf8.count <= 200 + ".npz".count)
        #expect(a != b && a.contains("~") && a.hasPrefix("layer.layer."))
        #expect(TensorFileName.caseDistinctFileName(for: "W").lowercased() != TensorFileName.fileName(for: "w").lowercased())
    }

    @Test(.enabled(if: scipyAvailable, "needs python3 with numpy and scipy"))
    func scipyReadsTheFolder() throws {
        _ = try sparrowOutput(["convert", path("model.safetensors"), path("out"), "--all-sparse"])
        let script = """
            import json, sys, os, scipy.sparse
            folder = sys.argv[1]
            index = json.load(open(os.path.join(folder, "index.json")))
            out = {}
            for name, entry in index["tensors"].items():
                m = scipy.sparse.load_npz(os.path.join(folder, entry["file"]))
                assert m.format == "csr", (name, m.format)
                assert list(m.shape) == entry["shape"] and m.nnz == entry["nnz"], (name, m.shape, m.nnz)
                out[name] = [repr(float(v)) for v in m.toarray().ravel()]
            print(json.dumps(out))
            """
        let run = try runPython(["-c", script, path("out")])
        try #require(run.status == 0, "python failed: \(run.stderr)")
        let values = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [String]])
        let model = Self.model()
        #expect(values.count == 4)
        for (name, strings) in values {
            #expect(strings.compactMap(Double.init) == model[name]?.doubles(), "\(name)")
        }
    }
}

extension AnySparseMatrix {
    /// Row-major dense values, for comparing with the tensor it came from.
    func denseDoubles() -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        for entry in coordinates() { out[entry.row * columns + entry.column] += entry.value }
        return out
    }
}

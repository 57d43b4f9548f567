import Foundation
import FileTools
import SparseFormats
import SparseIO
import Testing

/// `sparrow prune` run in-process; the written files are read back and measured.
@Suite("sparrow prune")
struct PruneCommandTests {
    /// Several tensors: f32, f16 and bf16 matrices with awkward sizes, a bias, an integer matrix.
    static func model() -> TensorCollection {
        var tensors = TensorCollection(metadata: ["format": "pt"])
        tensors.append("layer0.weight", AnyDenseTensor(seededMatrix(16, 24, seed: 21)))
        tensors.append("layer0.bias", AnyDenseTensor(shape: [16], values: seededMatrix(1, 16, seed: 22).storage))
        tensors.append("layer1.weight", AnyDenseTensor(seededMatrix(8, 12, seed: 23).converted(to: Float16.self)))
        tensors.append("head.weight", AnyDenseTensor(seededMatrix(12, 8, seed: 24, zeros: 0.3).converted(to: BFloat16.self)))
        tensors.append("positions", AnyDenseTensor(shape: [4, 4], int32: (0..<16).map { Int32($0) }))
        return tensors
    }

    struct Run {
        var input: TensorCollection
        var output: TensorCollection
        var results: [PrunedTensor]
    }

    func prune(_ arguments: [String]) throws -> Run {
        let folder = try cliScratch("prune")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("model.safetensors").path
        let output = folder.appendingPathComponent("pruned.safetensors").path
        let model = Self.model()
        try SparseFile.write(.tensors(model), to: input)
        let json = try sparrowOutput(["prune"] + [input, output, "--json"] + arguments)
        let results = try decodeJSON([PrunedTensor].self, json)
        return Run(input: model, output: try readTensors(output), results: results)
    }

    /// Tensors that were not pruned are written byte for byte.
    func expectUnchanged(_ run: Run, except pruned: Set<String>) {
        #expect(run.output.names.sorted() == run.input.names.sorted())
        #expect(run.output.metadata == run.input.metadata)
        for name in run.input.names where !pruned.contains(name) {
            #expect(run.output[name] == run.input[name], "\(name) changed")
        }
        #expect(Set(run.results.filter { $0.report != nil }.map(\.name)) == pruned)
    }

    @Test func unstructuredReachesTheExactCount() throws {
        let run = try prune(["--sparsity", "0.7", "--pattern", "unstructured"])
        let pruned: Set = ["layer0.weight", "layer1.weight", "head.weight"]
        expectUnchanged(run, except: pruned)
        for name in pruned {
            let tensor = try #require(run.output[name])
            let count = tensor.elementCount
            #expect(zeroFraction(tensor) == Double(Pruning.exactCount(0.7, of: count)) / Double(count), "\(name)")
            #expect(tensor.dtype == run.input[name]?.dtype)
            let report = try #require(run.results.first { $0.name == name }?.report)
            #expect(report.kept == count - Pruning.exactCount(0.7, of: count))
        }
        #expect(run.results.first { $0.name == "positions" }?.skipped == "not floating point")
        #expect(run.results.first { $0.name == "layer0.bias" }?.skipped == "not 2-D")
    }

    @Test func blockPruningZeroesWholeBlocks() throws {
        let run = try prune(["--sparsity", "0.5", "--pattern", "block:4x4", "--only", "^layer"])
        let pruned: Set = ["layer0.weight", "layer1.weight"]
        expectUnchanged(run, except: pruned)
        for name in pruned {
            let tensor = try #require(run.output[name])
            let (rows, columns) = (tensor.shape[0], tensor.shape[1])
            let values = tensor.doubles()
            var zeroBlocks = 0
            for br in 0..<(rows / 4) {
                for bc in 0..<(columns / 4) {
                    let block = (0..<16).map { values[(br * 4 + $0 / 4) * columns + bc * 4 + $0 % 4] }
                    let zeros = block.filter { $0 == 0 }.count
                    #expect(zeros == 0 || zeros == 16, "\(name) block (\(br), \(bc)) is partly pruned")
                    if zeros == 16 { zeroBlocks += 1 }
                }
            }
            let blocks = rows * columns / 16
            #expect(zeroBlocks == Pruning.exactCount(0.5, of: blocks), "\(name)")
            #expect(zeroFraction(tensor) == Double(zeroBlocks * 16) / Double(rows * columns))
        }
    }

    @Test func twoOfFourKeepsTwoOfEveryFour() throws {
        let run = try prune(["--pattern", "2:4", "--only", "weight"])
        let pruned: Set = ["layer0.weight", "layer1.weight", "head.weight"]
        expectUnchanged(run, except: pruned)
        for name in pruned {
            let tensor = try #require(run.output[name])
            let values = tensor.doubles()
            for group in stride(from: 0, to: values.count, by: 4) {
                #expect(values[group..<(group + 4)].filter { $0 != 0 }.count <= 2, "\(name) group at \(group)")
            }
            // head.weight had zeros before; the others reach exactly 1/2.
            if name != "head.weight" { #expect(zeroFraction(tensor) == 0.5, "\(name)") }
            #expect(run.results.first { $0.name == name }?.report?.achieved == 0.5)
        }
    }

    @Test func onlySelectsByRegex() throws {
        let run = try prune(["--sparsity", "0.25", "--only", "head"])
        expectUnchanged(run, except: ["head.weight"])
        let head = try #require(run.output["head.weight"])
        // Existing zeros rank smallest, so they are pruned first.
        let zerosBefore = try #require(run.input["head.weight"]).doubles().filter { $0 == 0 }.count
        #expect(zerosBefore > 0)
        #expect(zeroFraction(head) == Double(max(zerosBefore, Pruning.exactCount(0.25, of: 96))) / 96)
        #expect(run.results.first { $0.name == "layer0.weight" }?.skipped == "not selected by --only")
    }

    @Test func npyToNPZWritesCSRAndTextTable() throws {
        let folder = try cliScratch("prune-npy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("w.npy").path
        let output = folder.appendingPathComponent("w.npz").path
        try SparseFile.write(.dense(AnyDenseTensor(seededMatrix(10, 13, seed: 31))), to: input)
        let text = try sparrowOutput(["prune"] + [input, output, "--sparsity", "0.9"])
        guard case let .sparse(.csr(.f32(csr))) = try SparseFile.read(output) else {
            Issue.record("the .npz does not hold an f32 CSR matrix")
            return
        }
        #expect(csr.rows == 10 && csr.columns == 13)
        #expect(csr.nnz == 130 - Pruning.exactCount(0.9, of: 130))
        #expect(text.contains("weight"))
        #expect(text.contains("0.9000"))
        #expect(text.contains("total (1 tensors)"))

        // .npy to .npy stays dense.
        let dense = folder.appendingPathComponent("p.npy").path
        _ = try sparrowOutput(["prune"] + [input, dense, "--sparsity", "0.5"])
        guard case let .dense(tensor) = try SparseFile.read(dense) else {
            Issue.record("not dense")
            return
        }
        #expect(zeroFraction(tensor) == 65.0 / 130)
    }

    @Test(arguments: [
        (["--pattern", "2:x"], "--pattern"),
        (["--pattern", "2:4", "--sparsity", "0.3"], "contradicts"),
        (["--pattern", "block:5x5", "--sparsity", "0.5"], "layer0.weight"),
        (["--sparsity", "1.5"], "--sparsity must be in [0, 1], got 1.5"),
        (["--pattern", "unstructured"], "--sparsity is required"),
        (["--sparsity", "0.5", "--only", "nothing-matches"], "selects no prunable tensor"),
        (["--sparsity", "0.5", "--only", "(["], "not a regular expression"),
    ])
    func badRequestsFailWithOneLine(arguments: [String], fragment: String) throws {
        let folder = try cliScratch("prune-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("model.safetensors").path
        try SparseFile.write(.tensors(Self.model()), to: input)
        let output = folder.appendingPathComponent("out.safetensors").path
        let error = #expect(throws: (any Error).self) { try sparrowOutput(["prune"] + [input, output] + arguments) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains(fragment), "\(text)")
        #expect(!text.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

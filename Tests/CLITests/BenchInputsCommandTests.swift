import Foundation
import SparseFormats
import SparseIO
import Testing
import Bench

/// `sparrow bench spmm` inputs: your own weights, and `--data` that is that folder or an error.
@Suite("sparrow bench spmm inputs")
struct BenchInputsCommandTests {
    @Test func ownWeightsBenchmarkOnlyThePrunedTensorAtTheDefaultWidths() throws {
        let folder = try cliScratch("bench-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        var tensors = TensorCollection()
        tensors.append("fc.weight", AnyDenseTensor(seededMatrix(8, 12, seed: 61, zeros: 0.8)))
        tensors.append("fc2.weight", AnyDenseTensor(seededMatrix(6, 6, seed: 62)))
        tensors.append("fc.bias", AnyDenseTensor(shape: [8], values: [Float](repeating: 0.5, count: 8)))
        let model = folder.appendingPathComponent("model.safetensors").path
        try Safetensors.write(tensors, to: model)
        let json = folder.appendingPathComponent("bench.json").path

        let result = try runSparrow(["bench", "spmm", "--device", "cpu", model, "--json", json])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("files: benchmarking 2-D tensors with at least 30% zeros (--min-sparsity 0.3) at n = 1 16 256"))
        let skipped = try #require(result.stderrLines.first { $0.hasPrefix("files: skipped 2: ") })
        #expect(skipped.contains("model.safetensors/fc2.weight (0.0% zeros, below 30%)") && skipped.contains("model.safetensors/fc.bias (1-D [8])"))
        let report = try JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.problems.map(\.m) == [1, 16, 256])
        #expect(report.problems.allSatisfy { $0.name == "model.safetensors/fc.weight" && $0.suite == "files" })
        #expect(report.failures == 0)
    }

    @Test func filesAndSuiteAreExclusiveAndDataIsThatFolderOrAnError() throws {
        let folder = try cliScratch("bench-data")
        defer { try? FileManager.default.removeItem(at: folder) }
        let both = try runSparrow(["bench", "spmm", "--device", "cpu", "--suite", "synthetic", "w.npz"])
        #expect(both.status != 0 && both.stderr.contains("give FILE arguments or --suite, not both"))

        let missing = folder.appendingPathComponent("missing").path
        let absent = try runSparrow(["bench", "spmm", "--device", "cpu", "--data", missing])
        #expect(absent.status != 0 && absent.stderr.contains("--data \(missing): no such folder"))

        let empty = try runSparrow(["bench", "spmm", "--device", "cpu", "--data", folder.path])
        #expect(empty.status != 0 && empty.stderr.contains("\(folder.path): no DLMC rn50 matrices here"))
        #expect(empty.stderr.contains(DLMCData.downloadURL))
    }
}

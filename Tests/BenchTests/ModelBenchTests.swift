import Foundation
import Models
import Testing
@testable import Bench

private let miniLM = ModelFolder.cached("all-MiniLM-L6-v2")
private let miniLMAvailable = FileManager.default.fileExists(atPath: miniLM + "/model.safetensors")

/// `sparrow bench model` end to end on all-MiniLM-L6-v2 (when scripts/get-model.sh fetched it), a
/// short sequence and one run: pruning, the measured plan, the checks and ONNX Runtime's graph.
@Suite(.enabled(if: miniLMAvailable, "needs all-MiniLM-L6-v2 (scripts/get-model.sh)"))
struct ModelBenchTests {
    @Test func prunesPlansChecksAndTimesAgainstOnnxRuntime() throws {
        var job = ModelBenchJob(model: miniLM)
        job.batches = [2]
        job.sequenceLength = 16
        job.sparsities = [0.9]
        job.warmup = 0
        job.iterations = 1
        let report = try job.run { _ in }
        let row = try #require(report.rows.first)
        #expect(report.rows.count == 1 && row.batch == 2 && row.sparsity == 0.9)
        #expect(row.cosineDense >= ModelBenchJob.minimumCosine)
        #expect(row.plan?.count == 24, "every linear layer measured")
        #expect(row.sparseLayers == row.plan?.filter { $0.kernel == .sparse }.count)
        #expect(Set(row.split.keys) == Set(EncoderProfile.Kind.allCases.map(\.rawValue)))
        if report.baselineSkipped == nil {
            #expect((row.cosineOnnxRuntime ?? 0) >= ModelBenchJob.minimumCosine, "ONNX Runtime's graph computes the same encoder")
            #expect((row.onnxRuntimeMs ?? 0) > 0)
        }
        #expect(report.markdown().contains("| unstructured | 0.90 | 2 |"))
    }
}

import FileTools
import Foundation
import SparseFormats
import SparseIO
import Testing
@testable import Models

@Suite(
    "CPU encoder against the float64 reference",
    .enabled(if: miniLMAvailable, miniLMReason),
    .enabled(if: referenceAvailable, "needs Python with numpy, safetensors and tokenizers (scripts/setup.sh installs them)"))
struct EncoderReferenceTests {
    @Test func unprunedMatchesReferenceAndAnchor() throws {
        let encoder = try SentenceEncoder(folder: miniLMPath)
        #expect(encoder.tokenizer.maxLength == 256)
        #expect(encoder.encoder.linearLayers.count == 24, "six layers of QKV, attention output, intermediate, output")
        #expect(encoder.encoder.linearLayers.allSatisfy { $0.kernel == .dense })
        let sparrow = try encoder.embed(referenceSentences, batchSize: 5)
        let reference = try referenceEmbeddings(referenceSentences, folder: miniLMPath)
        #expect(reference.ids == referenceSentences.map { encoder.tokenizer.encode($0).ids })
        let (minCosine, maxDiff) = agreement(sparrow, reference.embeddings)
        print("unpruned: min cosine \(minCosine), max abs diff \(maxDiff)")
        #expect(minCosine >= 0.9999)
        #expect(maxDiff < 1e-4)
        // sentence-transformers' own figure for this pair.
        #expect(abs(cosine(sparrow[0], sparrow[1]) - 0.7553) < 5e-5, "anchor: \(cosine(sparrow[0], sparrow[1]))")
    }

    @Test(arguments: [("unstructured", 0.5), ("unstructured", 0.9), ("block:4x4", 0.9)])
    func prunedMatchesReference(pattern: String, sparsity: Double) throws {
        let scratch = try scratchFolder("pruned")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pruned = scratch.appendingPathComponent("model.safetensors").path
        let pruner = try TensorPruner(pattern: PruningPattern(parsing: pattern), sparsity: sparsity, only: nil)
        let (tensors, _) = try pruner.prune(try Safetensors.read(ModelFolder(miniLMPath).weightsPath))
        try Safetensors.write(tensors, to: pruned)

        // Every layer on the sparse kernels, whatever the default rule would pick at this sparsity.
        let encoder = try SentenceEncoder(folder: miniLMPath, weights: pruned, plan: .sparse)
        let layers = encoder.encoder.linearLayers
        #expect(layers.allSatisfy { $0.kernel == .sparse && abs($0.sparsity - sparsity) < 1e-3 }, "every linear layer pruned to \(sparsity)")
        #expect(layers.allSatisfy { $0.blockShape == (pattern == "block:4x4" ? [4, 4] : [1, 1]) })
        let texts = referenceSentences
        let sparrow = try encoder.embed(texts, batchSize: 5)
        let reference = try referenceEmbeddings(texts, folder: miniLMPath, weights: pruned)
        let (minCosine, maxDiff) = agreement(sparrow, reference.embeddings)
        print("pruned \(pattern) \(sparsity): min cosine \(minCosine), max abs diff \(maxDiff), anchor pair \(cosine(sparrow[0], sparrow[1]))")
        #expect(minCosine >= 0.9999)

        // The same pruned weights through dense GEMM agree with the sparse kernels.
        let dense = try SentenceEncoder(folder: miniLMPath, weights: pruned, plan: .dense).embed(texts, batchSize: 8)
        #expect(zip(sparrow, dense).allSatisfy { cosine($0, $1) >= 0.99999 })
    }
}

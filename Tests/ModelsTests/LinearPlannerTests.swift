import FileTools
import Foundation
import SparseFormats
import Testing
@testable import Models

struct LinearPlannerTests {
    @Test func measuresEveryLayerAndKeepsTheFaster() throws {
        let weights = try BertWeights(tensors: TinyModel.tensors(), config: TinyModel.config, path: "tiny")
        let measured = try LinearPlanner(runs: 1).plan(weights, tokens: [4, 64, 4])
        #expect(measured.entries.count == TinyModel.config.layerCount * 4 * 2, "four linear layers per layer, two token counts")
        #expect(measured.tokenCounts == [4, 64])
        for entry in measured.entries {
            #expect(entry.kernel == (entry.sparseMs < entry.denseMs ? .sparse : .dense))
            #expect(entry.denseMs > 0 && entry.sparseMs > 0)
        }
        // The plan of a shape is the choices at the nearest measured token count.
        let plan = measured.linearPlan(tokens: 50)
        for entry in measured.entries where entry.tokens == 64 { #expect(plan.kernels[entry.layer] == entry.kernel) }
        #expect(plan.kernels.count == TinyModel.config.layerCount * 4)
        // Saved and read back unchanged; the encoder built from it agrees with the dense one.
        let folder = try scratchFolder("plan")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plan.json").path
        try measured.write(to: file)
        #expect(try MeasuredLinearPlan(contentsOf: file) == measured)
        let tokens = BertTokenizer.Encoding(ids: [2, 4, 5, 6, 3], typeIDs: [0, 0, 0, 0, 0])
        let batch = TokenBatch([tokens, tokens], padID: 0)
        let planned = try BertEncoder(weights, plan: plan).embed(batch, workspace: EncoderWorkspace())
        let dense = try BertEncoder(weights, plan: .dense).embed(batch, workspace: EncoderWorkspace())
        #expect(zip(planned, dense).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(throws: ModelError.self) { try MeasuredLinearPlan(contentsOf: folder.appendingPathComponent("missing.json").path) }
        // A plan of other weights is recognised as such.
        let encoder = try BertEncoder(weights, plan: plan)
        #expect(measured.mismatch(encoder.linearLayers) == nil)
        let (pruned, _) = try TensorPruner(pattern: .unstructured, sparsity: 0.5, only: nil).prune(TinyModel.tensors())
        let other = try BertEncoder(try BertWeights(tensors: pruned, config: TinyModel.config, path: "tiny"))
        #expect(measured.mismatch(other.linearLayers)?.contains("sparsity") == true)
    }

    @Test func profileSplitsPassesByLayerKindWithoutChangingThem() throws {
        let (pruned, _) = try TensorPruner(pattern: .unstructured, sparsity: 0.75, only: nil).prune(TinyModel.tensors())
        let encoder = try BertEncoder(try BertWeights(tensors: pruned, config: TinyModel.config, path: "tiny"), plan: .sparse)
        let tokens = BertTokenizer.Encoding(ids: [2, 8, 7, 3], typeIDs: [0, 0, 0, 0])
        let batch = TokenBatch([tokens], padID: 0)
        let workspace = EncoderWorkspace()
        let plain = try encoder.embed(batch, workspace: workspace)
        let profile = EncoderProfile()
        workspace.profile = profile
        let profiled = try encoder.embed(batch, workspace: workspace)
        _ = try encoder.embed(batch, workspace: workspace)
        #expect(profiled == plain)
        #expect(profile.passes == 2)
        for kind in EncoderProfile.Kind.allCases { #expect((profile.perPass[kind] ?? -1) > 0, "\(kind) was timed") }
        profile.reset()
        #expect(profile.passes == 0 && profile.seconds.isEmpty)
    }
}

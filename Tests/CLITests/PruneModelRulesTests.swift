import Foundation
import FileTools
import SparseFormats
import SparseIO
import Testing

/// `sparrow prune` on a MiniLM-shaped model: embeddings, norms and biases are left alone by
/// default, and `--skip-unfit` lists the tensors a structured pattern does not divide.
@Suite("sparrow prune on a real model's layout")
struct PruneModelRulesTests {
    /// MiniLM's tensor names at toy sizes; `pooler.dense.weight` is 6 x 6, which neither
    /// block:4x4 nor 2:4 divides.
    static func miniLM() -> TensorCollection {
        var tensors = TensorCollection()
        tensors.append("embeddings.word_embeddings.weight", AnyDenseTensor(seededMatrix(30, 8, seed: 61)))
        tensors.append("embeddings.position_embeddings.weight", AnyDenseTensor(seededMatrix(16, 8, seed: 62)))
        tensors.append("embeddings.token_type_embeddings.weight", AnyDenseTensor(seededMatrix(2, 8, seed: 63)))
        tensors.append("embeddings.LayerNorm.weight", AnyDenseTensor(shape: [8], values: seededMatrix(1, 8, seed: 64).storage))
        tensors.append("encoder.layer.0.attention.self.query.weight", AnyDenseTensor(seededMatrix(8, 8, seed: 65)))
        tensors.append("encoder.layer.0.attention.self.query.bias", AnyDenseTensor(shape: [8], values: seededMatrix(1, 8, seed: 66).storage))
        tensors.append("encoder.layer.0.intermediate.dense.weight", AnyDenseTensor(seededMatrix(12, 8, seed: 67)))
        tensors.append("pooler.dense.weight", AnyDenseTensor(seededMatrix(6, 6, seed: 68)))
        return tensors
    }

    struct Run {
        var results: [PrunedTensor]
        var output: TensorCollection
        var text: String
    }

    /// Prunes the model with `arguments`, once as JSON and once as the text table.
    func prune(_ arguments: [String]) throws -> Run {
        let folder = try cliScratch("prune-model")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("model.safetensors").path
        let output = folder.appendingPathComponent("pruned.safetensors").path
        try SparseFile.write(.tensors(Self.miniLM()), to: input)
        let json = try sparrowOutput(["prune", input, output, "--json"] + arguments)
        let text = try sparrowOutput(["prune", input, output] + arguments)
        return Run(results: try decodeJSON([PrunedTensor].self, json), output: try readTensors(output), text: text)
    }

    func note(_ run: Run, _ name: String) -> String? { run.results.first { $0.name == name }?.skipped }

    @Test func embeddingsNormsAndBiasesAreSkippedByDefault() throws {
        let run = try prune(["--sparsity", "0.5"])
        let pruned = Set(run.results.filter { $0.report != nil }.map(\.name))
        #expect(pruned == ["encoder.layer.0.attention.self.query.weight", "encoder.layer.0.intermediate.dense.weight", "pooler.dense.weight"])
        #expect(note(run, "embeddings.word_embeddings.weight") == "embedding (use --include-embeddings)")
        #expect(note(run, "embeddings.position_embeddings.weight") == "position embedding (use --include-embeddings)")
        #expect(note(run, "embeddings.token_type_embeddings.weight") == "token type embedding (use --include-embeddings)")
        #expect(note(run, "embeddings.LayerNorm.weight") == "not 2-D")
        #expect(note(run, "encoder.layer.0.attention.self.query.bias") == "not 2-D")
        let model = Self.miniLM()
        for name in model.names where !pruned.contains(name) {
            #expect(run.output[name] == model[name], "\(name) changed")
        }
        #expect(run.text.contains("skipped: embedding (use --include-embeddings)"))
    }

    @Test func includeEmbeddingsPrunesThemToo() throws {
        let run = try prune(["--sparsity", "0.5", "--include-embeddings"])
        let pruned = Set(run.results.filter { $0.report != nil }.map(\.name))
        #expect(pruned.contains("embeddings.word_embeddings.weight"))
        #expect(pruned.contains("embeddings.position_embeddings.weight"))
        #expect(pruned.count == 6)
        let table = try #require(run.output["embeddings.word_embeddings.weight"])
        #expect(zeroFraction(table) == 0.5)
    }

    @Test(arguments: [("block:4x4", "6x6 is not divisible into 4x4 blocks"), ("2:4", "6 columns are not a multiple of M = 4")])
    func skipUnfitListsWhatThePatternDoesNotDivide(pattern: String, reason: String) throws {
        let sparsity = pattern.hasPrefix("block") ? ["--sparsity", "0.5"] : []
        let run = try prune(["--pattern", pattern, "--skip-unfit"] + sparsity)
        #expect(note(run, "pooler.dense.weight") == "does not fit \(pattern): \(reason) (--skip-unfit)")
        #expect(run.output["pooler.dense.weight"] == Self.miniLM()["pooler.dense.weight"])
        #expect(run.results.first { $0.name == "encoder.layer.0.attention.self.query.weight" }?.report != nil)
        #expect(run.text.contains("skipped: does not fit \(pattern)"))
    }

    @Test func withoutSkipUnfitOneMisfitStopsTheFileAndSaysHowToGoOn() throws {
        let folder = try cliScratch("prune-unfit")
        defer { try? FileManager.default.removeItem(at: folder) }
        try SparseFile.write(.tensors(Self.miniLM()), to: folder.appendingPathComponent("m.safetensors").path)
        let result = try runSparrow(["prune", "m.safetensors", "p.safetensors", "--pattern", "2:4"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderrLines == [
            "sparrow: m.safetensors: tensor 'pooler.dense.weight' [6, 6] does not fit 2:4: 6 columns are not a multiple of M = 4; add --skip-unfit to skip such tensors",
        ])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("p.safetensors").path))
    }

    @Test func onlyThatSelectsJustEmbeddingsSaysWhy() throws {
        let folder = try cliScratch("prune-only")
        defer { try? FileManager.default.removeItem(at: folder) }
        try SparseFile.write(.tensors(Self.miniLM()), to: folder.appendingPathComponent("m.safetensors").path)
        let result = try runSparrow(["prune", "m.safetensors", "p.safetensors", "--sparsity", "0.5", "--only", "word_embeddings"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderrLines == [
            "sparrow: m.safetensors: --only 'word_embeddings' selects no prunable tensor among its 8 (1 skipped as embeddings, norms or biases; add --include-embeddings)",
        ])
    }

    @Test(arguments: [
        ("embeddings.word_embeddings.weight", "embedding"),
        ("model.embed_tokens.weight", "embedding"),
        ("transformer.wte.weight", "embedding"),
        ("transformer.wpe.weight", "position embedding"),
        ("embeddings.position_embeddings.weight", "position embedding"),
        ("embeddings.token_type_embeddings.weight", "token type embedding"),
        ("encoder.layer.0.attention.output.LayerNorm.weight", "normalization"),
        ("model.layers.0.input_layernorm.weight", "normalization"),
        ("encoder.layer.0.attention.self.query.bias", "bias"),
        ("encoder.layer.0.attention.self.query.weight", nil),
        ("lm_head.weight", nil),
        ("transformer.h.0.mlp.c_fc.weight", nil),
    ] as [(String, String?)])
    func theNameRule(name: String, kind: String?) {
        #expect(TensorPruner.nonLinearKind(of: name) == kind)
    }
}

import FileTools
import Foundation
import SparseFormats
import SparseIO
import Testing
@testable import Models
import CPUKernels

private func modelDefect(_ body: () throws -> Void) -> ModelError.Defect? {
    do { try body() } catch let error as ModelError { return error.defect } catch { return nil }
    return nil
}

@Suite("Encoder loading, checks and invariances (tiny seeded model)")
struct EncoderChecksTests {
    static let texts = ["cafe!", "unbelievable cafe", "", "un un un cafe ! cafe"]

    @Test func batchingPackingAndPlansAgree() throws {
        let folder = try TinyModel.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let encoder = try SentenceEncoder(folder: folder.path)
        #expect(encoder.tokenizer.maxLength == 16, "no sentence_bert_config.json: the position table's length")
        let workspace = EncoderWorkspace()
        let together = try encoder.embed(Self.texts, batchSize: 4, workspace: workspace)
        let again = try encoder.embed(Array(Self.texts.prefix(2)), batchSize: 4, workspace: workspace)
        #expect(workspace.allocations == 1, "a smaller batch reuses the buffers")
        let alone = try encoder.embed(Self.texts, batchSize: 1)
        for (a, b) in zip(together, alone) {
            #expect(a.count == 8)
            #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }, "padding a text among longer ones changes nothing")
        }
        for (a, b) in zip(again, together) { #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }) }
        for row in together { #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5, "L2-normalised") }
        // Every layer through the sparse kernels (no zeros at all) gives the dense result.
        let sparse = try SentenceEncoder(folder: folder.path, plan: .sparse)
        #expect(sparse.encoder.linearLayers.allSatisfy { $0.kernel == .sparse })
        for (a, b) in zip(together, try sparse.embed(Self.texts)) { #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }) }
        // A bert.-prefixed checkpoint (BertForMaskedLM and the like) maps the same.
        let prefixed = try TinyModel.folder(TinyModel.tensors(prefix: "bert."))
        defer { try? FileManager.default.removeItem(at: prefixed) }
        #expect(try SentenceEncoder(folder: prefixed.path).embed(Self.texts) == together)
    }

    /// The dense layers through the Swift GEMM (no BLAS), and on a one-thread pool, give OpenBLAS's
    /// result on the shared pool (LinearLayerTests covers the split of large layers).
    @Test func denseLayersAgreeWithoutBLASAndWithoutThreads() throws {
        let weights = try BertWeights(tensors: TinyModel.tensors(), config: TinyModel.config, path: "m")
        let encodings = [[2, 5, 6, 7, 3], [2, 8, 3], [2, 4, 4, 4, 4, 4, 4, 4, 4, 5, 6, 3]].map {
            BertTokenizer.Encoding(ids: $0.map(Int32.init), typeIDs: Array(repeating: 0, count: $0.count))
        }
        let batch = TokenBatch(encodings, padID: 0)
        let blas = try BertEncoder(weights, plan: .dense).embed(batch, workspace: EncoderWorkspace())
        let serial = CPUWorkerPool(threads: 1)
        for encoder in [
            try BertEncoder(weights, plan: .dense, gemm: .swiftFallback()),
            try BertEncoder(weights, plan: .dense, pool: serial, gemm: DenseGEMM(pool: serial)),
        ] {
            let embeddings = try encoder.embed(batch, workspace: EncoderWorkspace())
            #expect(embeddings.count == blas.count && zip(embeddings, blas).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func blockPrunedWeightsRunOnTheBlockKernels() throws {
        let pruner = try TensorPruner(pattern: .block(rows: 4, columns: 4), sparsity: 0.5, only: nil)
        let (pruned, _) = try pruner.prune(TinyModel.tensors())
        let folder = try TinyModel.folder(pruned)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sparse = try SentenceEncoder(folder: folder.path, plan: .sparse)
        #expect(sparse.encoder.linearLayers.allSatisfy { $0.blockShape == [4, 4] })
        let dense = try SentenceEncoder(folder: folder.path, plan: .dense)
        #expect(dense.encoder.linearLayers.allSatisfy { $0.blockShape == nil })
        for (a, b) in zip(try sparse.embed(Self.texts), try dense.embed(Self.texts)) {
            #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        // Unstructured zeros stay CSR.
        let scattered = try TensorPruner(pattern: .unstructured, sparsity: 0.5, only: nil).prune(TinyModel.tensors()).0
        let unstructured = try TinyModel.folder(scattered)
        defer { try? FileManager.default.removeItem(at: unstructured) }
        let csr = try SentenceEncoder(folder: unstructured.path, plan: .sparse)
        #expect(csr.encoder.linearLayers.allSatisfy { $0.blockShape == [1, 1] })
    }

    @Test func planRuleAndOverrides() {
        let plan = LinearPlan(kernels: ["a.weight": .dense])
        #expect(plan.kernel(for: "a.weight", sparsity: 0.95) == .dense)
        #expect(plan.kernel(for: "b.weight", sparsity: 0.7) == .sparse)
        #expect(plan.kernel(for: "b.weight", sparsity: 0.69) == .dense)
        #expect(plan.kernel(for: "b.weight", sparsity: Double(103_219) / Double(384 * 384)) == .sparse, "pruned to 0.7, rounded to whole elements")
        #expect(LinearPlan.dense.kernel(for: "b.weight", sparsity: 1) == .dense)
    }

    @Test func missingAndMisshapedTensorsAreNamed() throws {
        var missing = TensorCollection()
        let all = TinyModel.tensors()
        for name in all.names where name != "encoder.layer.1.output.dense.bias" { missing.append(name, all[name]!) }
        #expect(modelDefect { _ = try BertWeights(tensors: missing, config: TinyModel.config, path: "m.safetensors") }
            == .missingTensor(name: "encoder.layer.1.output.dense.bias"))

        var misshaped = TensorCollection()
        for name in all.names {
            let tensor = all[name]!
            misshaped.append(name, name == "encoder.layer.0.intermediate.dense.weight"
                ? AnyDenseTensor(shape: [8, 16], values: tensor.values(as: Float.self)!) : tensor)
        }
        #expect(modelDefect { _ = try BertWeights(tensors: misshaped, config: TinyModel.config, path: "m.safetensors") }
            == .tensorShape(name: "encoder.layer.0.intermediate.dense.weight", expected: [16, 8], actual: [8, 16]))
        let error = ModelError(path: "m.safetensors", .missingTensor(name: "x.weight"))
        #expect(error.description == "m.safetensors: tensor 'x.weight' is missing")
    }

    @Test func configAndInputDefectsAreNamed() throws {
        let badHeads = try TinyModel.folder(configJSON: """
            {"hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 3, "intermediate_size": 16, "vocab_size": 9}
            """)
        defer { try? FileManager.default.removeItem(at: badHeads) }
        #expect(modelDefect { _ = try SentenceEncoder(folder: badHeads.path) }
            == .unsupported(field: "num_attention_heads", value: "3 (does not divide hidden_size 8)"))
        var config = TinyModel.config
        config.hiddenActivation = "relu"
        #expect(modelDefect { try config.validate(path: "c.json") } == .unsupported(field: "hidden_act", value: "'relu' (only exact gelu)"))
        let noLayers = try TinyModel.folder(configJSON: #"{"hidden_size": 8, "num_attention_heads": 2, "vocab_size": 9}"#)
        defer { try? FileManager.default.removeItem(at: noLayers) }
        #expect(modelDefect { _ = try SentenceEncoder(folder: noLayers.path) }
            == .invalidJSON(codingPath: "", reason: "missing 'num_hidden_layers'"))

        let encoder = try BertEncoder(BertWeights(tensors: TinyModel.tensors(), config: TinyModel.config, path: "m"))
        let outside = TokenBatch([BertTokenizer.Encoding(ids: [2, 42, 3], typeIDs: [0, 0, 0])], padID: 0)
        #expect(modelDefect { _ = try encoder.embed(outside, workspace: EncoderWorkspace()) }
            == .input("token id 42 (text 0, position 1) is outside the vocabulary 0..<9"))
        let long = TokenBatch([BertTokenizer.Encoding(ids: Array(repeating: 4, count: 17), typeIDs: Array(repeating: 0, count: 17))], padID: 0)
        #expect(modelDefect { _ = try encoder.embed(long, workspace: EncoderWorkspace()) }
            == .input("text 0 is longer than the 16 positions the model has"))
    }

    @Test func embedJobOptionsAndInputLines() throws {
        #expect(EmbedJob.lines(Data("a\r\nb\n\nc\n".utf8)) == ["a", "b", "", "c"])
        #expect(EmbedJob.lines(Data()) == [])
        let folder = try TinyModel.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The GPU path's own refusals come before it looks for a device (none is needed here).
        #expect(throws: EmbedJob.Refusal.self) { try EmbedJob(model: folder.path, texts: ["x"], device: .gpu, planFile: "p.json").run() }
        #expect(throws: EmbedJob.Refusal.self) { try EmbedJob(model: folder.path, texts: ["x"], batchSize: 0).run() }
        let npy = folder.appendingPathComponent("e.npy").path
        let result = try EmbedJob(model: folder.path, texts: Self.texts, batchSize: 3, npy: npy).run()
        #expect(result.embeddings.count == 4 && result.dimension == 8 && result.layers.count == 8)
        guard case let .dense(tensor) = try SparseFile.read(npy) else { Issue.record("not a dense .npy"); return }
        #expect(tensor.shape == [4, 8])
        #expect(tensor.values(as: Float.self) == result.embeddings.flatMap { $0 })
    }
}

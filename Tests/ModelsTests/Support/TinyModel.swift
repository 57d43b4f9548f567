import Foundation
import SparseFormats
import SparseIO
@testable import Models

/// A small tokenizer.json: BERT's pipeline over a nine-entry vocabulary.
func tinyTokenizerJSON(
    normalizer: String = #"{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}"#,
    vocab: String = ###"{"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "un": 4, "##believ": 5, "##able": 6, "!": 7, "cafe": 8}"###,
    unk: String = "[UNK]",
    added: String = #"[{"id": 0, "content": "[PAD]", "special": true}, {"id": 3, "content": "[SEP]", "special": true}]"#
) -> Data {
    Data("""
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": \(added),
         "normalizer": \(normalizer), "pre_tokenizer": {"type": "BertPreTokenizer"},
         "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                               "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
         "model": {"type": "WordPiece", "unk_token": "\(unk)", "continuing_subword_prefix": "##",
                   "max_input_chars_per_word": 12, "vocab": \(vocab)}}
        """.utf8)
}

/// A BERT of hidden size 8 (2 heads, 2 layers, FFN 16) over the tiny tokenizer's nine tokens, with
/// seeded weights: the encoder's checks and invariances without the downloaded model.
struct TinyModel {
    static let config = BertConfig(
        hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 16, maxPositions: 16, vocabularySize: 9)

    /// Every tensor `BertModel` has, named as its checkpoints name them (`prefix` before each).
    static func tensors(prefix: String = "", seed: UInt64 = 11) -> TensorCollection {
        var generator = SeededGenerator(seed: seed)
        var tensors = TensorCollection()
        func add(_ name: String, _ shape: [Int], around center: Float = 0) {
            let values: [Float] = generator.signedUnitValues(shape.reduce(1, *)).map { center + 0.5 * $0 }
            tensors.append(prefix + name, AnyDenseTensor(shape: shape, values: values))
        }
        let c = config
        add("embeddings.word_embeddings.weight", [c.vocabularySize, c.hiddenSize])
        add("embeddings.position_embeddings.weight", [c.maxPositions, c.hiddenSize])
        add("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, c.hiddenSize])
        add("embeddings.LayerNorm.weight", [c.hiddenSize], around: 1)
        add("embeddings.LayerNorm.bias", [c.hiddenSize])
        for layer in 0..<c.layerCount {
            let p = "encoder.layer.\(layer)."
            for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                add(p + name + ".weight", [c.hiddenSize, c.hiddenSize])
                add(p + name + ".bias", [c.hiddenSize])
            }
            add(p + "intermediate.dense.weight", [c.intermediateSize, c.hiddenSize])
            add(p + "intermediate.dense.bias", [c.intermediateSize])
            add(p + "output.dense.weight", [c.hiddenSize, c.intermediateSize])
            add(p + "output.dense.bias", [c.hiddenSize])
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                add(p + norm + ".weight", [c.hiddenSize], around: 1)
                add(p + norm + ".bias", [c.hiddenSize])
            }
        }
        return tensors
    }

    /// A model folder holding `tensors`, the tiny tokenizer and a config (`configJSON` replaces it).
    static func folder(_ tensors: TensorCollection = tensors(), configJSON: String? = nil) throws -> URL {
        let folder = try scratchFolder("tiny-model")
        try Safetensors.write(tensors, to: folder.appendingPathComponent("model.safetensors").path)
        try tinyTokenizerJSON().write(to: folder.appendingPathComponent("tokenizer.json"))
        let config = configJSON ?? """
            {"hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 16,
             "hidden_act": "gelu", "layer_norm_eps": 1e-12, "max_position_embeddings": 16, "vocab_size": 9,
             "type_vocab_size": 2}
            """
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        return folder
    }
}

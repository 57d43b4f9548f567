import Foundation

/// A sentence-transformers model folder: `config.json`, `model.safetensors`, `tokenizer.json`,
/// `sentence_bert_config.json` (its `max_seq_length`) and the pooling settings.
package struct ModelFolder: Sendable, Equatable {
    package var url: URL

    package init(_ path: String) throws(ModelError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelError(path: path, .unreadable(reason: "not a folder (a model folder holds config.json, model.safetensors and tokenizer.json)"))
        }
        url = URL(fileURLWithPath: path, isDirectory: true)
    }

    package var configPath: String { file("config.json") }
    package var weightsPath: String { file("model.safetensors") }
    package var tokenizerPath: String { file("tokenizer.json") }

    package func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Where `scripts/get-model.sh` puts a model: `$SPARROW_CACHE_DIR/models/NAME`, else
    /// `$XDG_CACHE_HOME/sparrow/models/NAME`, else `~/.cache/sparrow/models/NAME`.
    package static func cached(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache: String
        if let explicit = environment["SPARROW_CACHE_DIR"], !explicit.isEmpty {
            cache = explicit
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            cache = xdg + "/sparrow"
        } else {
            cache = NSHomeDirectory() + "/.cache/sparrow"
        }
        return cache + "/models/" + name
    }

    /// Decodes a JSON file of the folder, naming the file and the field on failure.
    package func decode<T: Decodable>(_ type: T.Type, from name: String) throws(ModelError) -> T {
        let path = file(name)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelError(path: path, .unreadable(reason: "cannot read (\(error.localizedDescription))"))
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            let failure = DecodingFailure(error)
            throw ModelError(path: path, .invalidJSON(codingPath: failure.codingPath, reason: failure.reason))
        }
    }

    /// sentence-transformers' `max_seq_length` (`sentence_bert_config.json`), else `fallback` (the
    /// position table's length): the longest encoding, special tokens included.
    package func maxSequenceLength(fallback: Int) throws(ModelError) -> Int {
        struct SentenceBertConfig: Decodable {
            var maxSeqLength: Int?
            enum CodingKeys: String, CodingKey { case maxSeqLength = "max_seq_length" }
        }
        guard FileManager.default.fileExists(atPath: file("sentence_bert_config.json")) else { return fallback }
        let config = try decode(SentenceBertConfig.self, from: "sentence_bert_config.json")
        guard let length = config.maxSeqLength else { return fallback }
        guard length > 0 else {
            throw ModelError(path: file("sentence_bert_config.json"), .unsupported(field: "max_seq_length", value: String(length)))
        }
        return min(length, fallback)
    }

    /// The folder's tokenizer, truncating at `maxLength`.
    package func tokenizer(maxLength: Int) throws(TokenizerError) -> BertTokenizer {
        try BertTokenizer(contentsOf: tokenizerPath, maxLength: maxLength)
    }
}

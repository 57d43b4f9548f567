import Foundation

/// How sentence-transformers turns token states into one embedding: from `1_Pooling/config.json`
/// (only mean pooling is implemented) and `modules.json` (a `Normalize` module divides by the L2 norm).
package struct SentencePooling: Sendable, Hashable {
    package var normalize: Bool

    package init(normalize: Bool = true) { self.normalize = normalize }

    /// Reads the folder's pooling settings; a folder without them gets mean pooling and normalisation.
    package init(folder: ModelFolder) throws(ModelError) {
        struct Pooling: Decodable {
            var mean: Bool?
            var cls: Bool?
            var max: Bool?
            var meanSqrt: Bool?
            enum CodingKeys: String, CodingKey {
                case mean = "pooling_mode_mean_tokens"
                case cls = "pooling_mode_cls_token"
                case max = "pooling_mode_max_tokens"
                case meanSqrt = "pooling_mode_mean_sqrt_len_tokens"
            }
        }
        struct Module: Decodable {
            var type: String
        }
        let poolingFile = "1_Pooling/config.json"
        if FileManager.default.fileExists(atPath: folder.file(poolingFile)) {
            let pooling = try folder.decode(Pooling.self, from: poolingFile)
            for (field, on) in [
                ("pooling_mode_cls_token", pooling.cls), ("pooling_mode_max_tokens", pooling.max),
                ("pooling_mode_mean_sqrt_len_tokens", pooling.meanSqrt),
            ] where on == true {
                throw ModelError(path: folder.file(poolingFile), .unsupported(field: field, value: "true (only mean pooling)"))
            }
            guard pooling.mean != false else {
                throw ModelError(path: folder.file(poolingFile), .unsupported(field: "pooling_mode_mean_tokens", value: "false"))
            }
        }
        if FileManager.default.fileExists(atPath: folder.file("modules.json")) {
            let modules = try folder.decode([Module].self, from: "modules.json")
            normalize = modules.contains { $0.type.hasSuffix(".Normalize") || $0.type == "Normalize" }
        } else {
            normalize = true
        }
    }
}

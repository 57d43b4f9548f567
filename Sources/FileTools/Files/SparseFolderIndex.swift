import Foundation

/// The `index.json` that `convert --all-sparse` writes next to the `.npz` files: which file
/// holds which tensor, and which tensors were left out and why.
///
/// ```json
/// { "minSparsity": 0.3, "source": "model.safetensors",
///   "skipped": { "embeddings.LayerNorm.weight": "not 2-D" },
///   "tensors": { "encoder.layer.0.attention.self.query.weight":
///       { "dtype": "f32", "file": "encoder.layer.0.attention.self.query.weight.npz",
///         "nnz": 14746, "shape": [384, 384], "sparsity": 0.9 } } }
/// ```
package struct SparseFolderIndex: Codable, Sendable {
    /// The index's name inside the folder.
    package static let fileName = "index.json"

    /// One written tensor.
    package struct Entry: Codable, Sendable {
        /// The `.npz` file, relative to the folder (see ``TensorFileName``).
        package var file: String
        package var shape: [Int]
        /// `f32` or `f64`: the values as written.
        package var dtype: String
        /// Stored entries: the tensor's nonzeros.
        package var nnz: Int
        /// Fraction of the tensor's elements that are zero.
        package var sparsity: Double
    }

    /// The file the tensors came from, as given.
    package var source: String
    package var minSparsity: Double
    /// Written tensors by name.
    package var tensors: [String: Entry] = [:]
    /// Tensors left out, by name, with the reason.
    package var skipped: [String: String] = [:]
    /// Every tensor's name in the source's order (for printing; not in the JSON).
    package var order: [String] = []

    enum CodingKeys: String, CodingKey {
        case source, minSparsity, tensors, skipped
    }

    package init(source: String, minSparsity: Double) {
        self.source = source
        self.minSparsity = minSparsity
    }

    /// Writes the index as pretty JSON with sorted keys, atomically.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try (try encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FileCommandError(path, "cannot write: \(folderProblem(URL(fileURLWithPath: path).deletingLastPathComponent().path) ?? error.localizedDescription)")
        }
    }
}

import Foundation
import FileTools
import Models
import SparseFormats
import SparseIO

/// What one-shot magnitude pruning costs a sentence encoder in accuracy: for each pattern and
/// sparsity, how close the pruned model's embeddings stay to the unpruned model's (cosine per
/// sentence) and how well its similarity scores over sentence pairs keep their order (Spearman).
package struct PruningAccuracyJob: Sendable {
    package var model: String
    /// Sentence pairs, one a line, tab-separated `kind<TAB>first<TAB>second`; `#` starts a comment.
    package var pairs: String
    package var sparsities: [Double] = [0.5, 0.7, 0.9]
    package var patterns: [PruningPattern] = [.unstructured, .block(rows: 4, columns: 4)]
    package var batchSize = 16

    package init(model: String, pairs: String) {
        self.model = model
        self.pairs = pairs
    }

    /// One pattern and sparsity.
    package struct Row: Codable, Sendable {
        package var pattern: String
        package var sparsity: Double
        /// Cosine between each sentence's pruned and unpruned embedding.
        package var meanCosine: Double
        package var minimumCosine: Double
        /// Spearman's rank correlation of the pairs' pruned similarities with their unpruned ones.
        package var spearman: Double
    }

    package struct Report: Codable, Sendable {
        package var model: String
        package var pairs: Int
        package var sentences: Int
        package var rows: [Row]

        package func markdown() -> String {
            var lines = ["| pattern | sparsity | mean cosine | min cosine | Spearman (pair similarities) |", "| --- | --- | --- | --- | --- |"]
            for r in rows {
                lines.append(String(format: "| %@ | %.2f | %.5f | %.5f | %.4f |", r.pattern, r.sparsity, r.meanCosine, r.minimumCosine, r.spearman))
            }
            return "\(pairs) sentence pairs (\(sentences) sentences), \(model), pruned against unpruned\n\n" + lines.joined(separator: "\n") + "\n"
        }
    }

    /// The pairs of a file in the format above.
    package static func readPairs(_ path: String) throws -> [(String, String)] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().compactMap { index, line in
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw ModelBenchJob.Mismatch(description: "\(path):\(index + 1): expected kind<TAB>first<TAB>second, got \(fields.count) fields")
            }
            return (String(fields[1]), String(fields[2]))
        }
    }

    package func run(note: (String) -> Void) throws -> Report {
        let pairs = try Self.readPairs(self.pairs)
        var sentences: [String] = []
        var index: [String: Int] = [:]
        for sentence in pairs.flatMap({ [$0.0, $0.1] }) where index[sentence] == nil {
            index[sentence] = sentences.count
            sentences.append(sentence)
        }
        let folder = try ModelFolder(model)
        let config = try BertConfig(folder: folder)
        let tokenizer = try folder.tokenizer(maxLength: try folder.maxSequenceLength(fallback: config.maxPositions))
        let tensors = try Safetensors.read(folder.weightsPath)
        func embed(_ tensors: TensorCollection) throws -> [[Float]] {
            let encoder = try BertEncoder(try BertWeights(tensors: tensors, config: config, path: folder.weightsPath))
            let workspace = EncoderWorkspace()
            var out: [[Float]] = []
            for start in stride(from: 0, to: sentences.count, by: batchSize) {
                let flat = try encoder.embed(tokenizer.encodeBatch(Array(sentences[start..<min(start + batchSize, sentences.count)])), workspace: workspace)
                out += stride(from: 0, to: flat.count, by: config.hiddenSize).map { Array(flat[$0..<($0 + config.hiddenSize)]) }
            }
            return out
        }
        func similarities(_ e: [[Float]]) -> [Double] {
            pairs.compactMap { a, b in
                guard let i = index[a], let j = index[b] else { return nil }
                return Self.cosine(e[i], e[j])
            }
        }
        note("embedding \(sentences.count) sentences with the unpruned model")
        let reference = try embed(tensors)
        let referenceScores = similarities(reference)
        var rows: [Row] = []
        for pattern in patterns {
            for sparsity in sparsities {
                note("pruning \(pattern) \(sparsity)")
                let (pruned, _) = try TensorPruner(pattern: pattern, sparsity: sparsity, only: ModelBenchJob.linearWeights).prune(tensors)
                let embedded = try embed(pruned)
                let cosines = zip(embedded, reference).map { Self.cosine($0, $1) }
                rows.append(Row(
                    pattern: pattern.description, sparsity: sparsity, meanCosine: cosines.reduce(0, +) / Double(max(cosines.count, 1)),
                    minimumCosine: cosines.min() ?? 0, spearman: Self.spearman(similarities(embedded), referenceScores)))
            }
        }
        return Report(model: model, pairs: pairs.count, sentences: sentences.count, rows: rows)
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        EmbeddingCosine.minimum(a, b, dimension: a.count)
    }

    /// Spearman's rank correlation: Pearson's over the ranks, ties given their mean rank.
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        pearson(ranks(x), ranks(y))
    }

    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            for k in start...end { ranks[order[k]] = Double(start + end) / 2 + 1 }
            start = end + 1
        }
        return ranks
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count == y.count, x.count > 1 else { return .nan }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}

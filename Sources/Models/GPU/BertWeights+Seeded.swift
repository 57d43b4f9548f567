import SparseFormats

extension BertWeights {
    /// Seeded random weights of `config`'s shapes, for checks without a checkpoint: values
    /// uniform in ±0.2 (embeddings ±1, LayerNorm scale 1 ± 0.2), and about `zeros` of each linear
    /// weight's entries set to 0 by a seeded draw.
    package static func seeded(_ config: BertConfig, zeros: Double, label: String) throws -> BertWeights {
        var rng = SeededGenerator(label: label)
        func values(_ n: Int, scale: Float = 0.2) -> [Float] { (0..<n).map { _ in rng.nextSignedUnitFloat() * scale } }
        func linear(_ name: String, _ rows: Int, _ columns: Int) throws -> LinearWeights {
            let storage = values(rows * columns).map { v -> Float in Double(rng.next() % 1000) / 1000 < zeros ? 0 : v }
            return LinearWeights(name: name, weight: try DenseMatrix(rows: rows, columns: columns, storage: storage), bias: values(rows))
        }
        func norm() -> LayerNormWeights { LayerNormWeights(gamma: values(config.hiddenSize).map { 1 + $0 }, beta: values(config.hiddenSize)) }
        let h = config.hiddenSize, i = config.intermediateSize
        let layers = try (0..<config.layerCount).map { l in
            let p = "encoder.layer.\(l)."
            return BertLayerWeights(
                query: try linear(p + "attention.self.query.weight", h, h), key: try linear(p + "attention.self.key.weight", h, h),
                value: try linear(p + "attention.self.value.weight", h, h),
                attentionOutput: try linear(p + "attention.output.dense.weight", h, h), attentionNorm: norm(),
                intermediate: try linear(p + "intermediate.dense.weight", i, h), output: try linear(p + "output.dense.weight", h, i),
                outputNorm: norm())
        }
        return BertWeights(
            config: config, wordEmbeddings: values(config.vocabularySize * h, scale: 1),
            positionEmbeddings: values(config.maxPositions * h, scale: 1), tokenTypeEmbeddings: values(config.typeVocabularySize * h, scale: 1),
            embeddingNorm: norm(), layers: layers)
    }
}

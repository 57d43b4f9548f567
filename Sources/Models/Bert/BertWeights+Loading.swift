import SparseFormats
import SparseIO

extension BertWeights {
    /// Reads the weights of a model folder (`model.safetensors`) for its `config.json`.
    package init(folder: ModelFolder, config: BertConfig) throws(ModelError) {
        try self.init(file: folder.weightsPath, config: config)
    }

    /// Reads a safetensors file; names are Hugging Face `BertModel`'s, with or without a `bert.` prefix.
    package init(file path: String, config: BertConfig) throws(ModelError) {
        let tensors: TensorCollection
        do { tensors = try Safetensors.read(path) } catch { throw ModelError(path: path, .unreadable(reason: error.description)) }
        try self.init(tensors: tensors, config: config, path: path)
    }

    /// Maps tensors by their checkpoint names; `path` names the source in errors.
    package init(tensors: TensorCollection, config: BertConfig, path: String) throws(ModelError) {
        let reader = TensorReader(tensors: tensors, path: path)
        let h = config.hiddenSize
        self.config = config
        wordEmbeddings = try reader.floats("embeddings.word_embeddings.weight", [config.vocabularySize, h])
        positionEmbeddings = try reader.floats("embeddings.position_embeddings.weight", [config.maxPositions, h])
        tokenTypeEmbeddings = try reader.floats("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, h])
        embeddingNorm = try reader.layerNorm("embeddings.LayerNorm", h)
        var layers: [BertLayerWeights] = []
        for index in 0..<config.layerCount {
            let p = "encoder.layer.\(index)."
            let i = config.intermediateSize
            layers.append(
                BertLayerWeights(
                    query: try reader.linear(p + "attention.self.query", outputs: h, inputs: h),
                    key: try reader.linear(p + "attention.self.key", outputs: h, inputs: h),
                    value: try reader.linear(p + "attention.self.value", outputs: h, inputs: h),
                    attentionOutput: try reader.linear(p + "attention.output.dense", outputs: h, inputs: h),
                    attentionNorm: try reader.layerNorm(p + "attention.output.LayerNorm", h),
                    intermediate: try reader.linear(p + "intermediate.dense", outputs: i, inputs: h),
                    output: try reader.linear(p + "output.dense", outputs: h, inputs: i),
                    outputNorm: try reader.layerNorm(p + "output.LayerNorm", h)))
        }
        self.layers = layers
    }
}

/// Looks tensors up by checkpoint name and checks their shape and element type.
struct TensorReader {
    let tensors: TensorCollection
    let path: String
    /// `bert.` when the checkpoint is a `BertFor...` model's (its encoder under `bert.`), else empty.
    let prefix: String

    init(tensors: TensorCollection, path: String) {
        self.tensors = tensors
        self.path = path
        let probe = "embeddings.word_embeddings.weight"
        prefix = tensors[probe] == nil && tensors["bert." + probe] != nil ? "bert." : ""
    }

    func floats(_ name: String, _ shape: [Int]) throws(ModelError) -> [Float] {
        let full = prefix + name
        guard let tensor = tensors[full] else { throw ModelError(path: path, .missingTensor(name: full)) }
        guard tensor.shape == shape else { throw ModelError(path: path, .tensorShape(name: full, expected: shape, actual: tensor.shape)) }
        switch tensor.dtype {
        case .f32: return tensor.values(as: Float.self) ?? []
        case .f64, .f16, .bf16: return tensor.doubles().map { Float($0) }
        default: throw ModelError(path: path, .tensorType(name: full, dtype: tensor.dtype.rawValue))
        }
    }

    func layerNorm(_ name: String, _ size: Int) throws(ModelError) -> LayerNormWeights {
        LayerNormWeights(gamma: try floats(name + ".weight", [size]), beta: try floats(name + ".bias", [size]))
    }

    func linear(_ name: String, outputs: Int, inputs: Int) throws(ModelError) -> LinearWeights {
        let values = try floats(name + ".weight", [outputs, inputs])
        let weight: DenseMatrix<Float>
        do { weight = try DenseMatrix(rows: outputs, columns: inputs, storage: values) } catch {
            throw ModelError(path: path, .tensorShape(name: prefix + name + ".weight", expected: [outputs, inputs], actual: [values.count]))
        }
        return LinearWeights(name: prefix + name + ".weight", weight: weight, bias: try floats(name + ".bias", [outputs]))
    }
}

import CPUKernels
import Runtime
import SparseFormats

extension BertEncoder {
    /// The batch's texts packed end to end: only their real tokens (mask 1), each with its position
    /// in its row.
    struct PackedTokens {
        var ids: [Int32] = []
        var typeIDs: [Int32] = []
        var positions: [Int] = []
        /// Where each text's tokens start, and how many it has.
        var starts: [Int] = []
        var lengths: [Int] = []
        /// Each text's attention pattern over its own tokens, for sparse attention (else empty).
        var layouts: [ACSR] = []

        var count: Int { ids.count }
    }

    /// Mean-pooled embeddings (L2-normalised unless `normalize` is false), one row of `hiddenSize`
    /// per text of the batch, row-major. `workspace` keeps the buffers for the next call; inside,
    /// activations are feature-major (a row per feature, a column per token), so each linear
    /// layer is `W X` for the sparse kernels and a plain GEMM for the dense ones.
    package func embed(_ batch: TokenBatch, workspace: EncoderWorkspace, normalize: Bool = true) throws(ModelError) -> [Float] {
        var tokens = try pack(batch)
        guard tokens.lengths.count > 0 else { return [] }
        if case .sparse(let sparse) = attentionMode { tokens.layouts = try layouts(sparse, tokens.lengths) }
        workspace.reserve(tokens: tokens.count, texts: tokens.lengths.count, longest: tokens.lengths.max() ?? 0, for: self)
        timed(.other, workspace) { embeddings(tokens, into: workspace.hidden.pointer, ld: workspace.ld) }
        for layer in layers { run(layer, tokens, workspace) }
        workspace.profile?.countPass()
        return timed(.other, workspace) { meanPooled(workspace.hidden.pointer, ld: workspace.ld, tokens, normalize: normalize) }
    }

    /// The pattern over each text's tokens (its keys past the text's length excluded).
    func layouts(_ sparse: SparseAttention, _ lengths: [Int]) throws(ModelError) -> [ACSR] {
        var byLength: [Int: ACSR] = [:]
        var layouts: [ACSR] = []
        for length in lengths {
            if let known = byLength[length] {
                layouts.append(known)
                continue
            }
            let layout: ACSR
            do { layout = try sparse.layout(length: length) } catch {
                throw ModelError(path: "input", .input("attention pattern '\(sparse.pattern)' over \(length) tokens: \(error)"))
            }
            byLength[length] = layout
            layouts.append(layout)
        }
        return layouts
    }

    /// Keeps the tokens under the mask and checks ids, token types and positions against the tables.
    func pack(_ batch: TokenBatch) throws(ModelError) -> PackedTokens {
        precondition(batch.ids.count == batch.count * batch.length && batch.attentionMask.count == batch.ids.count)
        var tokens = PackedTokens()
        tokens.ids.reserveCapacity(batch.ids.count)
        for row in 0..<batch.count {
            tokens.starts.append(tokens.count)
            for column in 0..<batch.length where batch.attentionMask[row * batch.length + column] != 0 {
                let index = row * batch.length + column
                let id = batch.ids[index], type = batch.typeIDs[index]
                guard (0..<Int32(config.vocabularySize)).contains(id) else {
                    throw ModelError(path: "input", .input("token id \(id) (text \(row), position \(column)) is outside the vocabulary 0..<\(config.vocabularySize)"))
                }
                guard (0..<Int32(config.typeVocabularySize)).contains(type) else {
                    throw ModelError(path: "input", .input("token type \(type) (text \(row)) is outside 0..<\(config.typeVocabularySize)"))
                }
                guard column < config.maxPositions else {
                    throw ModelError(path: "input", .input("text \(row) is longer than the \(config.maxPositions) positions the model has"))
                }
                tokens.ids.append(id)
                tokens.typeIDs.append(type)
                tokens.positions.append(column)
            }
            tokens.lengths.append(tokens.count - tokens.starts[row])
        }
        return tokens
    }

    /// word + position + token type embeddings, then LayerNorm, into `hidden` (feature-major:
    /// row f holds feature f of every token, rows `ld` apart).
    func embeddings(_ tokens: PackedTokens, into hidden: UnsafeMutableBufferPointer<Float>, ld: Int) {
        let h = config.hiddenSize
        for t in 0..<tokens.count {
            let word = Int(tokens.ids[t]) * h, position = tokens.positions[t] * h, type = Int(tokens.typeIDs[t]) * h
            // ids, positions and types were checked against the tables' rows in pack(); t < count <= ld.
            for f in 0..<h { hidden[f * ld + t] = wordEmbeddings[word + f] + positionEmbeddings[position + f] + tokenTypeEmbeddings[type + f] }
        }
        layerNorm(columns: tokens.count, ld: ld, hidden, embeddingNorm, into: hidden)
    }

    /// One transformer layer, `hidden` in and out, every buffer feature-major with rows `ld` apart.
    /// The residuals ride in the epilogues of the attention output and FFN output layers, GELU in
    /// the intermediate layer's.
    func run(_ layer: Layer, _ tokens: PackedTokens, _ w: EncoderWorkspace) {
        let m = tokens.count, ld = w.ld
        let hidden = w.hidden.pointer
        func linear(_ l: LinearLayer, _ x: EncoderWorkspace.Buffer, _ y: EncoderWorkspace.Buffer, gelu: Bool = false, residual: Bool = false) {
            timed(.linear, w) {
                l.apply(
                    UnsafeBufferPointer(x.pointer), ldx: ld, m: m, into: y.pointer, ldy: ld, gelu: gelu,
                    residual: residual ? UnsafeBufferPointer(hidden) : nil, ldr: ld, gemm: gemm)
            }
        }
        linear(layer.queryKeyValue, w.hidden, w.queryKeyValue)
        timed(.attention, w) { attention(tokens, w) }
        linear(layer.attentionOutput, w.context, w.scratch, residual: true)
        timed(.norms, w) { layerNorm(columns: m, ld: ld, w.scratch.pointer, layer.attentionNorm, into: hidden) }
        linear(layer.intermediate, w.hidden, w.intermediate, gelu: true)
        linear(layer.output, w.intermediate, w.scratch, residual: true)
        timed(.norms, w) { layerNorm(columns: m, ld: ld, w.scratch.pointer, layer.outputNorm, into: hidden) }
    }
}

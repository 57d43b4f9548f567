import SparseFormats

extension TensorPruner {
    /// The rule `prune` states in its help: which tensors are not linear-layer weights and are
    /// copied unchanged unless `--include-embeddings` is given.
    package static let nonLinearRule =
        "names containing 'embed', 'position', 'token_type', 'norm' or 'bias' (any case), or a name part 'wte' or 'wpe'"

    /// Ends the skip note of a tensor the rule skipped.
    package static let includeHint = "(use --include-embeddings)"

    /// What kind of non-linear-layer tensor `name` names (`embedding`, `normalization`, ...),
    /// or nil for a tensor that may be a linear layer's weight.
    ///
    /// Names decide, not shapes: an embedding table is as 2-D as a projection, and pruning
    /// it (every token's vector) hurts a model far more than pruning a linear layer does.
    package static func nonLinearKind(of name: String) -> String? {
        let lowered = name.lowercased()
        let parts = lowered.split(whereSeparator: { $0 == "." || $0 == "/" })
        if lowered.contains("norm") { return "normalization" }
        if lowered.contains("bias") { return "bias" }
        if lowered.contains("position") || parts.contains("wpe") { return "position embedding" }
        if lowered.contains("token_type") { return "token type embedding" }
        if lowered.contains("embed") || parts.contains("wte") { return "embedding" }
        return nil
    }
}

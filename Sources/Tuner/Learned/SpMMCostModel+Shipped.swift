// Written by scripts/train-cost-model.py when a model is trained on recorded GPU trials; until
// then no learned model ships, and `--cost-model learned` falls back to the hand model.

extension SpMMCostModelFile {
    /// The shipped model's JSON, if one was trained.
    static let shippedJSON: String? = nil
}

import SparseFormats

extension BenchSuite {
    /// One weight shape of a pruned-random suite: `rows x columns` (N x K: output x input features).
    package struct WeightShape: Sendable {
        package var name: String
        package var rows: Int
        package var columns: Int
    }

    /// Llama-2-7B / Llama-3-8B linear layers: attention projections (4096 x 4096), MLP up/gate
    /// (11008 x 4096), MLP down (4096 x 11008) and Llama-3-8B's MLP up/gate (14336 x 4096).
    package static let llmShapes = [
        WeightShape(name: "attn-4096x4096", rows: 4096, columns: 4096),
        WeightShape(name: "mlp-up-11008x4096", rows: 11008, columns: 4096),
        WeightShape(name: "mlp-down-4096x11008", rows: 4096, columns: 11008),
        WeightShape(name: "mlp-up-14336x4096", rows: 14336, columns: 4096),
    ]

    /// BERT-base's distinct linear shapes: attention (768 x 768), intermediate (3072 x 768),
    /// output (768 x 3072).
    package static let bertBaseShapes = [
        WeightShape(name: "attn-768x768", rows: 768, columns: 768),
        WeightShape(name: "intermediate-3072x768", rows: 3072, columns: 768),
        WeightShape(name: "output-768x3072", rows: 768, columns: 3072),
    ]

    /// Each shape filled with seeded uniform values in [-1, 1) (``SeededGenerator`` labelled by
    /// suite and shape) and pruned by magnitude (``SparseFormats/Pruning``; unstructured unless
    /// ``SuiteSelection/pattern`` says otherwise) to each sparsity, at each width. `--filter`
    /// matches the problem name, `--sparsity` and `-n` replace the defaults. An N:M pattern prunes
    /// each shape once, to its own sparsity 1 - N/M (problem `llm/attn-4096x4096/2:4`); a block
    /// pattern names its problems `.../block:RxC-0.7`.
    func pruned(_ shapes: [WeightShape], sparsities: [Double], widths: [Int], note: (String) -> Void) throws -> [SpMMBenchProblem] {
        let pattern = selection.pattern
        let levels: [(label: String, sparsity: Double?, nominal: Double)]
        switch pattern {
        case .unstructured:
            levels = (selection.sparsities ?? sparsities).map { ("\($0)", $0, $0) }
        case let .nOfM(n, m):
            levels = [("\(pattern)", nil, 1 - Double(n) / Double(m))]
        case .block:
            levels = (selection.sparsities ?? sparsities).map { ("\(pattern)-\($0)", $0, $0) }
        }
        var out: [SpMMBenchProblem] = []
        for shape in shapes {
            let chosen = levels.filter { level in
                selection.filter.map { "\(name.rawValue)/\(shape.name)/\(level.label)".contains($0) } ?? true
            }
            guard !chosen.isEmpty else { continue }
            note("pruning \(shape.name) (\(shape.rows) x \(shape.columns)) to \(chosen.map(\.label).joined(separator: ", "))")
            var generator = SeededGenerator(label: "\(name.rawValue)/\(shape.name)")
            let dense = try DenseMatrix(
                rows: shape.rows, columns: shape.columns,
                storage: generator.signedUnitValues(shape.rows * shape.columns, as: Float.self))
            for level in chosen {
                let w = try dense.prunedCSR(pattern, sparsity: level.sparsity).matrix
                for m in selection.widths ?? widths {
                    out.append(SpMMBenchProblem(
                        name: "\(name.rawValue)/\(shape.name)/\(level.label)", suite: name.rawValue, nominalSparsity: level.nominal,
                        matrix: w, m: m))
                }
            }
        }
        return out
    }
}

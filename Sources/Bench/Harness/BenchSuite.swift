import Runtime
import Foundation
import SparseFormats
import SparseIO

/// The benchmark suites of `../shared/docs/benchmarks.md`.
package enum BenchSuiteName: String, CaseIterable, Codable, Sendable {
    case dlmcRN50 = "dlmc-rn50"
    case dlmcTransformer = "dlmc-transformer"
    case synthetic
    /// 7B/8B decoder linear shapes, magnitude-pruned seeded random weights, timed cold.
    case llm
    /// BERT-base's linear shapes, magnitude-pruned seeded random weights.
    case bertBase = "bert-base"

    /// Whether the suite reads DLMC data.
    package var readsDLMC: Bool { self == .dlmcRN50 || self == .dlmcTransformer }
    /// Memory-bound suites are timed cold (``ColdRotation``) unless asked otherwise.
    package var coldByDefault: Bool { self == .llm }
}

/// What to take from a suite: sparsities, dense widths, sizes and how many matrices.
package struct SuiteSelection: Sendable {
    /// Sparsity folders (DLMC) or targets (synthetic); nil means the suite's default.
    package var sparsities: [Double]?
    /// Dense widths n; nil means the suite's default (for rn50: each layer's spatial size and 256).
    package var widths: [Int]?
    /// Also run each rn50 layer at its own spatial size (with `widths` given).
    package var layerWidths = false
    /// Matrix sizes N = K for the synthetic suite; nil means 4096.
    package var sizes: [Int]?
    /// Synthetic row distributions; nil means uniform.
    package var distributions: [SyntheticMatrices.RowDistribution]?
    /// At most this many matrices per sparsity (the first in name order); nil means all.
    package var limit: Int?
    /// Only matrices whose name contains this text.
    package var filter: String?
    /// DLMC: this many matrices per sparsity, spread evenly over the name order (``EvenSample``),
    /// before ``limit``; nil means all.
    package var sample: Int?

    package init(sparsities: [Double]? = nil, widths: [Int]? = nil, sizes: [Int]? = nil,
                distributions: [SyntheticMatrices.RowDistribution]? = nil, limit: Int? = nil, filter: String? = nil) {
        self.sparsities = sparsities
        self.widths = widths
        self.sizes = sizes
        self.distributions = distributions
        self.limit = limit
        self.filter = filter
    }
}

/// A suite's problems could not be built.
package struct SuiteError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// Builds the problems of a suite.
package struct BenchSuite {
    package var name: BenchSuiteName
    package var selection: SuiteSelection
    package var data: DLMCData?

    package init(name: BenchSuiteName, selection: SuiteSelection, data: DLMCData?) {
        self.name = name
        self.selection = selection
        self.data = data
    }

    /// The suite's problems; `note` hears what takes time (unpacking an archive, once).
    package func problems(note: (String) -> Void = { _ in }) throws -> [SpMMBenchProblem] {
        switch name {
        case .synthetic: return try synthetic()
        case .dlmcRN50: return try dlmc(model: "rn50", defaultSparsities: [0.7, 0.8, 0.9, 0.95, 0.98], note: note)
        case .dlmcTransformer: return try dlmc(model: "transformer", defaultSparsities: [0.9], note: note)
        case .llm: return try pruned(Self.llmShapes, sparsities: [0.5, 0.6, 0.7, 0.8, 0.9], widths: [1, 8, 16, 32, 64, 512], note: note)
        case .bertBase: return try pruned(Self.bertBaseShapes, sparsities: [0.8, 0.9, 0.95], widths: [128, 512, 4096], note: note)
        }
    }

    func synthetic() throws -> [SpMMBenchProblem] {
        var out: [SpMMBenchProblem] = []
        for size in selection.sizes ?? [4096] {
            for sparsity in selection.sparsities ?? [0.9] {
                for distribution in selection.distributions ?? [.uniform] {
                    let name = "synthetic-\(distribution.rawValue)-\(size)x\(size)-\(sparsity)"
                    let w = try SyntheticMatrices.make(
                        rows: size, columns: size, sparsity: sparsity, distribution: distribution,
                        generator: SeededGenerator(label: name))
                    if let filter = selection.filter, !name.contains(filter) { continue }
                    for m in selection.widths ?? [256] {
                        out.append(SpMMBenchProblem(name: name, suite: "synthetic", nominalSparsity: sparsity, matrix: w, m: m))
                    }
                }
            }
        }
        return out
    }

    func dlmc(model: String, defaultSparsities: [Double], note: (String) -> Void) throws -> [SpMMBenchProblem] {
        guard let data else {
            throw SuiteError("the \(name.rawValue) suite needs the DLMC data: pass --data DIR (the folder holding dlmc.tar.gz, the dlmc-*.tar.xz files or an unpacked dlmc/ folder)")
        }
        let root = try data.unpacked(model: model, note: note)
        let spatial = model == "rn50" ? try data.rn50SpatialSizes(root: root) : [:]
        var out: [SpMMBenchProblem] = []
        for sparsity in selection.sparsities ?? defaultSparsities {
            let folder = root.appendingPathComponent("\(model)/magnitude_pruning/\(DLMCData.folderName(sparsity))")
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
                throw SuiteError("\(folder.path): no DLMC matrices for sparsity \(sparsity) (folders are 0.5 ... 0.98)")
            }
            var names = files.filter { $0.hasSuffix(".smtx") }.sorted()
            if let filter = selection.filter { names = names.filter { $0.contains(filter) } }
            if let sample = selection.sample { names = EvenSample.pick(names, count: sample) }
            if let limit = selection.limit { names = Array(names.prefix(limit)) }
            for file in names {
                // Values are drawn from the documented seeded generator (`SMTX.valueSeed`).
                let w = try SMTX.read(folder.appendingPathComponent(file).path, as: Float.self)
                let layer = String(file.dropLast(".smtx".count))
                var widths = selection.widths ?? (model == "rn50" ? [256] : [256, 2048])
                if model == "rn50", selection.widths == nil || selection.layerWidths, let own = spatial[layer] {
                    widths = Array(Set(widths + [own])).sorted()
                }
                for m in widths {
                    out.append(SpMMBenchProblem(name: "\(model)/\(DLMCData.folderName(sparsity))/\(layer)", suite: name.rawValue, nominalSparsity: sparsity, matrix: w, m: m))
                }
            }
        }
        return out
    }
}

import Foundation
import KernelGen

/// The features of one GPU SpMM candidate: the problem's (shape, dense width, element type, the
/// pattern's spread), the config's knobs, and what follows from both on the device (occupancy,
/// blocks, waves, work per block, the hand model's estimate). The one definition: the tuning
/// database's trials are turned into training rows with it (`sparrow tune --features`) and the
/// learned cost model ranks with it, so training and ranking can never disagree.
///
/// Every value is a finite Double except the pattern's spread when the statistics are unknown
/// (NaN, which the trees treat as missing). Sizes enter as log2, so a tree's thresholds split
/// ratios rather than absolute sizes.
package struct SpMMFeatures: Sendable {
    /// Feature names, in vector order: ``problemNames`` then ``configNames``. A model file
    /// records the names it was trained on; a model whose names differ is not used.
    package static let names = problemNames + configNames

    /// The problem's features, the same for every candidate.
    package static let problemNames = [
        "log2_rows", "log2_columns", "log2_nnz", "log2_n", "element_bytes", "is_bf16", "density", "log2_row_mean",
        "row_cv", "row_max_over_mean", "empty_row_fraction", "column_cv", "log2_sms",
    ]

    /// The config's knobs and the derived quantities.
    package static let configNames = [
        "family", "threads_per_block", "lanes_per_row", "rows_per_block", "tile_width", "vector_width",
        "vectors_per_thread", "chunk_size", "double_buffered", "row_split", "unroll", "tile_covers_n",
        "idle_tile_fraction", "log2_blocks", "blocks_per_sm", "occupancy", "waves", "log2_shared_bytes",
        "registers", "log2_flops_per_block", "log2_bytes_per_block", "longest_segment_over_chunk",
        "mean_segment", "log2_hand_ns", "row_order",
    ]

    /// The last feature a model must have been trained on (the shipped one was trained before
    /// `row_order` was appended; see ``SpMMCostModelFile/knowsRowOrder``).
    package static let requiredNames = Array(names.prefix(while: { $0 != "row_order" }))

    /// The problem's part of every vector (``problemNames``).
    package let problemValues: [Double]
    let problem: SpMMProblem
    let hand: HandCostModel

    /// Features of candidates for `problem`, whose W has `pattern` (nil or another matrix's
    /// statistics: the spread features are NaN).
    package init(_ problem: SpMMProblem, pattern: PatternStatistics?, hand: HandCostModel = HandCostModel()) {
        self.problem = problem
        self.hand = hand
        let known = pattern.flatMap { problem.isDescribed(by: $0) ? $0 : nil }
        let rows = Double(problem.n), mean = problem.meanRowLength
        problemValues = [
            log2(rows), log2(Double(max(1, problem.k))), log2(Double(max(1, problem.nnz))), log2(Double(problem.m)),
            Double(problem.elementType.byteWidth), problem.elementType == .bf16 ? 1 : 0,
            Double(problem.nnz) / (rows * Double(max(1, problem.k))), log2(max(1, mean)),
            known?.rowLengthCV ?? .nan, mean > 0 ? Double(problem.maxRowLength) / mean : 0,
            known.map { Double($0.emptyRows) / rows } ?? .nan, known?.columnLengthCV ?? .nan,
            log2(Double(problem.device.multiprocessorCount)),
        ]
    }

    /// The whole vector for `config` (``names``' order).
    package func vector(_ config: SpMMConfig) -> [Double] {
        problemValues + configValues(config)
    }
}

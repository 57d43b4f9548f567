import ArgumentParser
import Foundation
import FileTools
import SparseIO

/// `sparrow info FILE`: what a sparse or dense file holds.
struct InfoCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a .npy, .npz, .safetensors, .mtx or .smtx file.",
        discussion: """
            A matrix: shape, dtype, format, stored entries, nonzeros, sparsity, row statistics \
            (entries per row: min, max, mean, population std, empty rows), block shape (BSR), \
            pattern digest and non-finite counts. Named tensors (.safetensors, np.savez .npz): \
            one row per tensor with a total, a line for each tensor holding NaN or infinities, and \
            the metadata. With --tiles, a matrix's tensor-core tiles too (for named tensors, each \
            2-D floating-point tensor's with at least 30% zeros): the 16 x 16 blocks \
            holding an entry (the bitmap and fragment-COO kernels multiply each in full), and the \
            share of the dense math left when each group of 8 or 16 rows is packed onto the union \
            of its columns, in row order and in the locality order (rows sharing columns placed \
            together); the locality order takes O(rows x 64 x mean row length).
            """)

    @Argument(help: "The file to describe.")
    var file: String

    @Flag(help: "Print the summary as JSON (sorted keys).")
    var json = false

    @Flag(help: "A matrix's tensor-core tiles: 16 x 16 blocks holding an entry, rows packed onto the union of their columns.")
    var tiles = false

    // Unconditional so that a negative value reaches the check that names the rule.
    @Option(parsing: .unconditional, help: ArgumentHelp("Cap on an .npz's decompressed size (zip bomb guard; default 4 GiB).", valueName: "bytes"))
    var maxDecompressedBytes: Int?

    func execute() throws {
        print(try report(), terminator: "")
    }

    /// What `execute` prints: the summary as text tables or JSON.
    func report() throws -> String {
        let status = StatusLine()
        let summary = try FileSummary.read(file, maxDecompressedBytes: maxDecompressedBytes, tiles: tiles) { name in
            status.step("tiles of \(name)")
        }
        status.finish()
        if json { return try JSONText.encode(summary) }
        guard tiles, summary.matrix == nil else { return InfoCommand.text(summary) }
        let described = (summary.tensors ?? []).filter { $0.tiles != nil }
        // Named tensors: a table of the sparse 2-D ones, or a line saying there is none.
        let percent = Int((SparseFolderJob.defaultMinSparsity * 100).rounded())
        return InfoCommand.text(summary) + (described.isEmpty
            ? "tiles: no 2-D floating-point tensor of \(summary.path) has at least \(percent)% zeros\n"
            : "\ntensor-core tiles of the 2-D tensors with at least \(percent)% zeros (fraction of K a packed kernel keeps)\n"
                + Self.tileTable(described).render())
    }

    /// One row per tensor: its 16 x 16 blocks holding an entry, and the fraction of K left for
    /// each row-group size and order.
    static func tileTable(_ tensors: [TensorSummary]) -> TextTable {
        let groups = tensors.first?.tiles?.rowGroups.map { "\($0.groupSize) rows" + ($0.ordering == .identity ? "" : ", \($0.ordering.rawValue)") } ?? []
        var table = TextTable(
            headers: ["name", "shape", "16x16 blocks"] + groups, alignments: [.left, .left] + Array(repeating: .right, count: 1 + groups.count))
        for t in tensors {
            guard let tiles = t.tiles else { continue }
            table.append([t.name, TextFormat.shape(t.shape), TextFormat.percent(tiles.blocks.nonEmptyShare)]
                + tiles.rowGroups.map { TextFormat.percent($0.fractionOfK) })
        }
        return table
    }

    static func text(_ summary: FileSummary) -> String {
        var out = TextTable.keyValue([("file", summary.path), ("kind", summary.kind)]).render()
        if let matrix = summary.matrix {
            out += "\n" + text(matrix)
        }
        if let tensors = summary.tensors, summary.kind == "tensors" || summary.matrix == nil {
            out += "\n" + tensorTable(tensors, total: summary.total).render() + nonFiniteNotes(tensors)
        }
        if let metadata = summary.metadata, !metadata.isEmpty {
            var table = TextTable(headers: ["metadata", "value"])
            for key in metadata.keys.sorted() { table.append([key, metadata[key] ?? ""]) }
            out += "\n" + table.render()
        }
        return out
    }

    static func text(_ m: MatrixSummary) -> String {
        var pairs: [(String, String)] = [
            ("format", m.format), ("dtype", m.dtype), ("shape", TextFormat.shape([m.rows, m.columns])),
        ]
        if let r = m.blockRows, let c = m.blockColumns { pairs.append(("block", "\(r) x \(c)")) }
        pairs += [
            ("stored", String(m.stored)), ("nonzeros", String(m.nonzeros)),
            ("sparsity", TextFormat.fraction(m.sparsity)), ("pattern digest", m.patternDigest),
            ("non-finite", m.nonFinite.description),
        ]
        if let bytes = m.storageBytes, let perWeight = m.bytesPerWeight {
            pairs.append(("storage", "\(bytes) B, \(TextFormat.fixed(perWeight, decimals: 3)) B per weight (dense fp16: 2)"))
        }
        let s = m.rowStatistics
        var rows = TextTable(
            headers: ["rows", "min/row", "max/row", "mean/row", "std/row", "empty rows", "mean/col", "std/col"],
            alignments: Array(repeating: .right, count: 8))
        rows.append([
            String(s.rows), String(s.minPerRow), String(s.maxPerRow), TextFormat.fixed(s.meanPerRow, decimals: 3),
            TextFormat.fixed(s.stdPerRow, decimals: 3), String(s.emptyRows), TextFormat.fixed(s.meanPerColumn, decimals: 3),
            TextFormat.fixed(s.stdPerColumn, decimals: 3),
        ])
        let counted = m.format == "csr" ? "stored entries" : "nonzeros"
        let out = TextTable.keyValue(pairs).render() + "\nrow statistics (\(counted) per row)\n" + rows.render()
        return out + (m.tiles.map { "\n" + text($0) } ?? "")
    }

    /// The `--tiles` section: 16 x 16 blocks, then one row per (group size, order).
    static func text(_ t: TileSummary) -> String {
        let b = t.blocks
        var out = "tensor-core tiles\n" + TextTable.keyValue([
            ("16 x 16 blocks holding an entry", "\(b.nonEmptyBlocks) of \(b.totalBlocks) (\(TextFormat.percent(b.nonEmptyShare))), mean fill \(TextFormat.fixed(b.meanFill, decimals: 3))"),
        ]).render()
        var groups = TextTable(headers: ["rows a group", "order", "fraction of K", "fill"], alignments: [.right, .left, .right, .right])
        for g in t.rowGroups {
            groups.append([String(g.groupSize), g.ordering.rawValue, TextFormat.percent(g.fractionOfK), TextFormat.fixed(g.fill, decimals: 3)])
        }
        out += "\nrows packed onto the union of their columns (the dense math a packed kernel keeps)\n" + groups.render()
        return out
    }

    static func tensorTable(_ tensors: [TensorSummary], total: TensorSummary?) -> TextTable {
        var table = TextTable(
            headers: ["name", "dtype", "shape", "elements", "zeros", "sparsity"],
            alignments: [.left, .left, .left, .right, .right, .right])
        for t in tensors {
            table.append([t.name, t.dtype, TextFormat.shape(t.shape), String(t.elements), String(t.zeros), TextFormat.fraction(t.sparsity)])
        }
        if let total {
            table.append(["total (\(tensors.count) tensors)", "", "", String(total.elements), String(total.zeros), TextFormat.fraction(total.sparsity)])
        }
        return table
    }
}

extension InfoCommand {
    /// One line per tensor holding NaN or infinities, under the tensor table; empty when all are finite.
    /// Positions are row and column of a 2-D tensor; other ranks are rows of their last dimension.
    static func nonFiniteNotes(_ tensors: [TensorSummary]) -> String {
        tensors.compactMap { t in
            guard let report = t.nonFinite, !report.isAllFinite else { return nil }
            return "non-finite in \(t.name.isEmpty ? "the tensor" : "'\(t.name)'"): \(report)\n"
        }.joined()
    }
}

/// Pretty JSON with sorted keys, the CLI's machine-readable form.

import KernelGen
import SparseFormats

/// Cold-cache timing (`benchmarks.md`): each candidate keeps several device copies of W (and of
/// its format's arrays) and its timed launches cycle through them, so that by the time a copy is
/// read again the others have pushed it out of L2 and every launch reads W from memory.
///
/// Copies: enough that all of them together hold at least ``rotationBytes`` (3 x 64 MiB, three
/// times the largest L2 of the GPUs Sparrow runs on: an H200 has 50-60 MB), and at least two.
package enum ColdRotation {
    /// Bytes the copies must hold together.
    package static let rotationBytes = 3 * 64 * 1024 * 1024
    /// Most copies any candidate keeps (tiny matrices are launch-bound anyway).
    package static let maximumCopies = 64

    /// Copies of `bytesPerCopy` bytes each to rotate through: 1 when `cold` is false.
    package static func copies(bytesPerCopy: Double, cold: Bool) -> Int {
        guard cold else { return 1 }
        let needed = Int((Double(rotationBytes) / max(1, bytesPerCopy)).rounded(.up))
        return min(maximumCopies, max(2, needed))
    }

    /// The protocol as the report states it.
    package static func description(cold: Bool) -> String {
        cold
            ? "cold: each candidate rotates its timed launches among device copies of W and its format's arrays holding at least \(rotationBytes >> 20) MiB together (3 x a 64 MiB L2; at least 2, at most \(maximumCopies) copies), so every launch reads W from memory; Sparrow's search times every config it tries the same way"
            : "warm: back-to-back launches on one copy of the operands (W may stay in L2)"
    }
}

/// Bytes of W a kernel reads once per launch, in the format it reads: what cold timing streams
/// from memory and what the byte bound counts.
package enum WeightBytes {
    /// CSR with 32-bit offsets and indices and `elementBytes` values.
    package static func csr(_ w: CSRMatrix<Float>, elementBytes: Int) -> Double {
        Double(w.rows + 1) * 4 + Double(w.nnz) * Double(4 + elementBytes)
    }

    /// Dense W.
    package static func dense(_ w: CSRMatrix<Float>, elementBytes: Int) -> Double {
        Double(w.rows) * Double(w.columns) * Double(elementBytes)
    }

    /// What `config` reads: the compact formats' arrays (``SparseFormats/CSR16Matrix`` with one
    /// panel, ``SparseFormats/DeltaCSRMatrix`` with its padding entries), the bitmap format's
    /// (``bitmap(_:elementBytes:)``), the 2:4 format's (``twoFour(_:elementBytes:)``), the
    /// fragment-COO format's (``fragmentCOO(_:elementBytes:)``), CSR for the other families.
    package static func of(_ config: SpMMConfig, _ w: CSRMatrix<Float>, elementBytes: Int) -> Double {
        if config.family == .bitmap { return bitmap(w, elementBytes: elementBytes) }
        if config.family == .twoFour { return twoFour(w, elementBytes: elementBytes) }
        if config.family == .fragmentCOO { return fragmentCOO(w, elementBytes: elementBytes) }
        guard let compact = config.asCompact else { return csr(w, elementBytes: elementBytes) }
        let offsets = Double(w.rows + 1) * 4
        switch compact.format {
        case .csr16:
            return offsets + Double(w.nnz) * Double(2 + elementBytes)
        case .delta4:
            let entries = Double(delta4Entries(w))
            return offsets + entries * Double(elementBytes) + (entries / 2).rounded(.up)
        }
    }

    /// ``SparseFormats/BitmapTiledMatrix``: a 64-bit mask and a 32-bit offset per 8 x 8 tile (the
    /// grid padded to 16 x 16 blocks), plus one more offset, plus the nonzeros' values.
    package static func bitmap(_ w: CSRMatrix<Float>, elementBytes: Int) -> Double {
        let tiles = Double(BitmapTiledMatrix<Float>.tileCount(rows: w.rows, columns: w.columns))
        return tiles * 8 + (tiles + 1) * 4 + Double(w.nnz) * Double(elementBytes)
    }

    /// ``SparseFormats/FragmentCOOMatrix``: a 32-bit offset per 16 x 16 block plus one more, and a
    /// value and a position byte per nonzero.
    package static func fragmentCOO(_ w: CSRMatrix<Float>, elementBytes: Int) -> Double {
        let blocks = Double(FragmentCOOMatrix<Float>.blockCount(rows: w.rows, columns: w.columns))
        return (blocks + 1) * 4 + Double(w.nnz) * Double(elementBytes + 1)
    }

    /// ``SparseFormats/TwoFourMatrix``: 256 values and 16 metadata words per 16 x 32 tile (the
    /// matrix padded to whole tiles).
    package static func twoFour(_ w: CSRMatrix<Float>, elementBytes: Int) -> Double {
        let tiles = Double(TwoFourMatrix<Float>.tileCount(rows: w.rows, columns: w.columns))
        return tiles * Double(TwoFourMatrix<Float>.valuesPerTile * elementBytes + TwoFourMatrix<Float>.wordsPerTile * 4)
    }

    /// Entries of W's delta4 encoding: each nonzero plus one padding entry per 16 columns of a
    /// gap beyond the first 16 (``SparseFormats/DeltaCSRMatrix``'s rule), counted without encoding.
    package static func delta4Entries(_ w: CSRMatrix<Float>) -> Int {
        let step = DeltaCSRMatrix<Float>.maximumStep
        var entries = w.nnz
        for row in 0..<w.rows {
            var previous = -1
            for position in w.range(ofRow: row) {
                let column = Int(w.columnIndices[position])
                entries += (column - previous - 1) / step
                previous = column
            }
        }
        return entries
    }
}

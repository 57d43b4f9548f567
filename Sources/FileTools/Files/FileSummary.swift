import SparseFormats
import SparseIO

/// What `sparrow info` reports about one sparse matrix (or a 2-D dense tensor seen as one).
package struct MatrixSummary: Codable, Sendable {
    package var format: String
    package var dtype: String
    package var rows: Int
    package var columns: Int
    /// Stored entries (for BSR: every element of every stored block).
    package var stored: Int
    /// Entries that are not zero.
    package var nonzeros: Int
    /// 1 - nonzeros / (rows x columns).
    package var sparsity: Double
    package var blockRows: Int?
    package var blockColumns: Int?
    package var rowStatistics: RowStatistics
    package var patternDigest: String
    package var nonFinite: NonFiniteReport
    /// Bytes of the arrays a kernel reads in this format (CSR: 32-bit offsets and indices; BSR:
    /// 32-bit block offsets and indices; the compact formats: their own arrays); nil for dense.
    package var storageBytes: Int?
    /// How the entries fall into the tiles tensor-core kernels multiply (`sparrow info --tiles`).
    package var tiles: TileSummary?
    /// ``storageBytes`` over the rows x columns weights (dense fp16 is 2).
    package var bytesPerWeight: Double? {
        guard let storageBytes, rows > 0, columns > 0 else { return nil }
        return Double(storageBytes) / (Double(rows) * Double(columns))
    }
}

/// How a matrix's entries fall into the tiles the tensor-core kernels multiply: the 16 x 16 blocks
/// the bitmap and fragment-COO families expand (every block holding an entry is multiplied in
/// full), and groups of rows packed onto the union of their columns, in row order and in the
/// locality order, which a kernel of that kind would multiply instead.
package struct TileSummary: Codable, Sendable {
    package var blocks: BlockStatistics
    package var rowGroups: [RowGroupStatistics]

    package init<E: SparseElement>(_ matrix: CSRMatrix<E>) {
        // 16 x 16 is a positive block: the statistics cannot refuse it.
        guard let blocks = try? matrix.blockStatistics(blockRows: 16, blockColumns: 16) else {
            preconditionFailure("16 x 16 block statistics refused")
        }
        self.blocks = blocks
        rowGroups = matrix.rowGroupStatistics()
    }
}

/// One tensor of a safetensors or npz file.
package struct TensorSummary: Codable, Sendable {
    package var name: String
    package var dtype: String
    package var shape: [Int]
    package var elements: Int
    package var zeros: Int
    package var sparsity: Double
    /// NaN and infinities among the elements (integer and boolean tensors are always finite);
    /// nil for the total row.
    package var nonFinite: NonFiniteReport? = nil
    /// `sparrow info --tiles`: a 2-D floating-point tensor's tiles, when at least
    /// ``SparseFolderJob/defaultMinSparsity`` of it is zero (what `bench spmm FILE` takes).
    package var tiles: TileSummary? = nil
}

/// Everything `sparrow info` knows about a file.
package struct FileSummary: Codable, Sendable {
    package var path: String
    /// `sparse`, `dense` or `tensors`.
    package var kind: String
    package var matrix: MatrixSummary?
    package var tensors: [TensorSummary]?
    package var total: TensorSummary?
    package var metadata: [String: String]?

    package init(path: String, loaded: LoadedFile) {
        self.path = path
        switch loaded {
        case let .sparse(matrix):
            kind = "sparse"
            self.matrix = FileSummary.summarize(matrix)
        case let .dense(tensor):
            kind = "dense"
            tensors = [FileSummary.summarize(name: "", tensor)]
            if tensor.shape.count == 2, tensor.dtype.elementType != nil, let dense = tensor.convertedMatrix(to: Double.self) {
                // A dense matrix stores every element; its statistics are those of its nonzeros.
                matrix = (try? CSRMatrix(dense)).map {
                    var summary = FileSummary.summarize(csr: $0, format: "dense", dtype: tensor.dtype.rawValue)
                    summary.stored = dense.rows * dense.columns
                    return summary
                }
            }
        case let .tensors(collection):
            kind = "tensors"
            let list = collection.names.compactMap { name in collection[name].map { FileSummary.summarize(name: name, $0) } }
            tensors = list
            let elements = list.reduce(0) { $0 + $1.elements }, zeros = list.reduce(0) { $0 + $1.zeros }
            total = TensorSummary(name: "total", dtype: "", shape: [], elements: elements, zeros: zeros,
                                  sparsity: elements == 0 ? 0 : Double(zeros) / Double(elements))
            metadata = collection.metadata.isEmpty ? nil : collection.metadata
        }
    }

    static func summarize(name: String, _ tensor: AnyDenseTensor) -> TensorSummary {
        let values = tensor.doubles()
        let zeros = values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        return TensorSummary(name: name, dtype: tensor.dtype.rawValue, shape: tensor.shape, elements: values.count, zeros: zeros,
                             sparsity: values.isEmpty ? 0 : Double(zeros) / Double(values.count),
                             nonFinite: tensor.nonFiniteReport)
    }

    static func summarize(_ matrix: AnySparseMatrix) -> MatrixSummary {
        switch matrix {
        case let .csr(csr):
            var s = summarize(csr: csr.converted(to: Double.self), format: "csr", dtype: csr.elementType.rawValue)
            s.storageBytes = (csr.rows + 1) * 4 + csr.nnz * (4 + csr.elementType.byteWidth)
            return s
        case let .bsr(bsr):
            let wide = bsr.converted(to: Double.self)
            var s = summarize(bsr: wide, dtype: bsr.elementType.rawValue)
            s.storageBytes = wide.rowOffsets.count * 4 + wide.columnIndices.count * 4 + wide.storedCount * bsr.elementType.byteWidth
            return s
        }
    }

    /// A compact file's matrix: its statistics, its format and the bytes of its arrays.
    static func summarize(_ compact: CompactFile.Contents) -> MatrixSummary {
        var s = summarize(compact.csr)
        s.format = compact.format.description
        s.stored = compact.storedEntries
        s.storageBytes = compact.storageBytes
        return s
    }

    /// `w` holds the values widened to Double, which keeps them exactly (and their non-finite ones).
    static func summarize(bsr w: BSRMatrix<Double>, dtype: String) -> MatrixSummary {
        // Dropping zeros keeps the shape and the pattern of true nonzeros; it cannot fail
        // on a valid BSR matrix.
        guard let csr = try? w.csr(droppingZeros: true) else {
            preconditionFailure("a valid BSR matrix did not convert to CSR")
        }
        var s = summarize(csr: csr, format: "bsr", dtype: dtype)
        s.stored = w.storedCount
        s.blockRows = w.blockRows
        s.blockColumns = w.blockColumns
        s.patternDigest = w.patternDigest.description
        s.nonFinite = w.nonFiniteReport
        return s
    }

    static func summarize(csr: CSRMatrix<Double>, format: String, dtype: String) -> MatrixSummary {
        let nonzeros = csr.values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let total = Double(csr.rows) * Double(csr.columns)
        return MatrixSummary(
            format: format, dtype: dtype, rows: csr.rows, columns: csr.columns, stored: csr.nnz, nonzeros: nonzeros,
            sparsity: total == 0 ? 0 : 1 - Double(nonzeros) / total, blockRows: nil, blockColumns: nil,
            rowStatistics: csr.rowStatistics, patternDigest: csr.patternDigest.description, nonFinite: csr.nonFiniteReport)
    }
}

extension FileSummary {
    /// Reads `path` and summarises it; `maxDecompressedBytes` overrides the `.npz` zip-bomb cap;
    /// `tiles` adds the matrix's ``TileSummary`` (or each sparse enough 2-D tensor's, calling
    /// `progress` with the tensor's name before each).
    package static func read(
        _ path: String, maxDecompressedBytes: Int? = nil, tiles: Bool = false, progress: (String) -> Void = { _ in }
    ) throws -> FileSummary {
        var options = SparseFile.ReadOptions()
        if let maxDecompressedBytes {
            guard maxDecompressedBytes > 0 else { throw FileCommandError(option: "--max-decompressed-bytes", "must be positive") }
            options.maxDecompressedBytes = maxDecompressedBytes
        }
        var summary: FileSummary
        let loaded: LoadedFile
        if (try? SparseFile.Format(path: path)) == .spc {
            let compact = try naming(path) { try CompactFile.read(path, memoryLimit: options.memoryLimit) }
            loaded = .sparse(compact.csr)
            summary = FileSummary(path: path, loaded: loaded)
            summary.matrix = FileSummary.summarize(compact)
        } else {
            loaded = try naming(path) { try readFile(path, options: options) }
            summary = FileSummary(path: path, loaded: loaded)
        }
        if tiles {
            summary.matrix?.tiles = tileSummary(loaded)
            if case let .tensors(collection) = loaded, let list = summary.tensors {
                summary.tensors = list.map { entry in
                    guard entry.shape.count == 2, entry.sparsity >= SparseFolderJob.defaultMinSparsity, let tensor = collection[entry.name] else {
                        return entry
                    }
                    progress(entry.name)
                    var described = entry
                    described.tiles = tileSummary(.dense(tensor))
                    return described
                }
            }
        }
        return summary
    }

    /// The tile statistics of a file's matrix (a CSR matrix's stored entries, explicit zeros
    /// included, as the kernels store them; a BSR matrix's or a dense 2-D tensor's nonzeros); nil
    /// for named tensors.
    static func tileSummary(_ loaded: LoadedFile) -> TileSummary? {
        switch loaded {
        case let .sparse(.csr(csr)): TileSummary(csr.converted(to: Double.self))
        case let .sparse(.bsr(bsr)): (try? bsr.converted(to: Double.self).csr(droppingZeros: true)).map(TileSummary.init)
        case let .dense(tensor):
            tensor.shape.count == 2 ? tensor.convertedMatrix(to: Double.self).flatMap { try? CSRMatrix($0) }.map(TileSummary.init) : nil
        case .tensors: nil
        }
    }
}

/// A weight matrix in one of the compact storage formats that read fewer bytes than CSR with
/// 32-bit indices (6 B per nonzero at fp16): at decoding shapes (n <= 64) a sparse kernel's time
/// is the bytes of W, so the format bounds how far it can beat dense fp16 (2 B per weight).
///
/// Every format converts from and back to canonical CSR (`init(csr:)`, ``csr()``), which is also
/// how the Float64 reference runs over it (``ReferenceSpMM/multiply(_:_:bias:relu:)`` on the
/// decoded matrix: the decode is the format's own, independent of the encoder).
public protocol CompactSparseMatrix<Element>: Sendable, Hashable {
    associatedtype Element: SparseElement
    /// The format's short name: `csr16`, `delta4`, `bitmap8x8`.
    static var formatName: String { get }
    var rows: Int { get }
    var columns: Int { get }
    /// Nonzeros of the matrix (entries the format stores only as padding are not counted).
    var nnz: Int { get }
    /// Bytes of every array a kernel reads (indices, offsets, masks, values).
    var storageBytes: Int { get }
    /// Encodes canonical CSR.
    init(csr: CSRMatrix<Element>) throws(SparseFormatError)
    /// Decodes to canonical CSR (padding entries dropped).
    func csr() -> CSRMatrix<Element>
}

extension CompactSparseMatrix {
    /// Bytes per weight of the `rows x columns` matrix: what a kernel reading it once moves, over
    /// the weights it stands for (dense fp16 is 2, CSR with 32-bit indices at fp16 is about 6 x density).
    public var bytesPerWeight: Double {
        let weights = Double(rows) * Double(columns)
        return weights == 0 ? 0 : Double(storageBytes) / weights
    }

    /// Bytes per stored nonzero.
    public var bytesPerNonzero: Double { nnz == 0 ? 0 : Double(storageBytes) / Double(nnz) }
}

extension CSRMatrix {
    /// Bytes of CSR with 32-bit offsets and indices: the baseline the compact formats are measured
    /// against.
    public var storageBytes: Int { (rows + 1) * 4 + nnz * (4 + Element.byteWidth) }
}

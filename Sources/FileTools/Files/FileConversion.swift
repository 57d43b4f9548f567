import Foundation
import SparseFormats
import SparseIO

/// The sparse layout `convert` writes.
package enum SparseLayout: String, Sendable, CaseIterable {
    case csr, bsr
    /// The compact formats, written to `.spc` (``SparseIO/CompactFile``).
    case csr16, delta, bitmap
    /// 2:4 structured sparsity (``SparseFormats/TwoFourMatrix``): only for matrices that keep at
    /// most 2 of every 4 consecutive weights of a row.
    case twoFour = "2:4"
    /// Fragment-COO (``SparseFormats/FragmentCOOMatrix``): each nonzero's value and its byte
    /// position in a 16 x 16 block's tensor-core fragment.
    case fcoo

    /// The compact file format of this layout, or nil for CSR and BSR.
    package var compactFormat: CompactFile.Format? {
        switch self {
        case .csr, .bsr: nil
        case .csr16: .csr16
        case .delta: .delta4
        case .bitmap: .bitmap8x8
        case .twoFour: .twoFour
        case .fcoo: .fcoo16
        }
    }
}

/// What `sparrow convert` turns a file's content into, decided by the output's extension.
///
/// All structural work happens in Float64, which holds every f16, bf16, f32 and f64 value
/// exactly, so converting back to the original (or requested) element type is lossless
/// unless `dtype` asks for a narrower one.
package struct FileConversion {
    package init(layout: SparseLayout?, block: (rows: Int, columns: Int)?, dtype: ElementType?, tensor: String?) {
        self.layout = layout
        self.block = block
        self.dtype = dtype
        self.tensor = tensor
    }

    /// `csr` or `bsr`; nil keeps the input's layout (CSR for dense input).
    package var layout: SparseLayout?
    /// BSR block shape; implies `layout = .bsr`.
    package var block: (rows: Int, columns: Int)?
    /// Element type of the output's values; nil keeps the input's.
    package var dtype: ElementType?
    /// The tensor of a named-tensor file to convert (or the name of a single tensor written to safetensors).
    package var tensor: String?

    /// Parses `RxC` or `R` (meaning `RxR`), both sides positive.
    package static func parseBlock(_ text: String) throws -> (rows: Int, columns: Int) {
        let sides = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard (1...2).contains(sides.count), let r = Int(sides[0]), let c = Int(sides[sides.count - 1]), r > 0, c > 0 else {
            throw FileCommandError(option: "--block", "cannot read '\(text)': expected RxC with positive sides, e.g. 4x4")
        }
        return (r, c)
    }

    /// The content to write to `output`, converted from `loaded` (read from `input`).
    package func convert(_ loaded: LoadedFile, input: String, output: String) throws -> LoadedFile {
        let target = try SparseFile.Format(path: output)
        if case .tensors = loaded {} else if tensor != nil, target != .safetensors {
            // Silently ignoring it would convert something other than what was asked for.
            throw FileCommandError(
                input, "holds one matrix, not named tensors, so --tensor has nothing to choose (it selects a tensor of a .safetensors or np.savez .npz, or names the tensor written to .safetensors)")
        }
        let wantsSparse: Bool
        if (target == .spc) != (layout?.compactFormat != nil) {
            throw FileCommandError(
                output, target == .spc
                    ? ".spc holds a compact format: add --format csr16, delta, bitmap, 2:4 or fcoo"
                    : "--format \(layout?.rawValue ?? "") writes a compact format: the output must be a .spc file")
        }
        switch target {
        case .spc:
            wantsSparse = true
        case .smtx:
            throw FileCommandError(output, ".smtx (DLMC's pattern format) is read-only; write .npz or .mtx")
        case .npy, .safetensors:
            wantsSparse = false
        case .mtx:
            wantsSparse = true
        case .npz:
            // Named tensors stay np.savez unless a sparse layout, a block or one tensor is asked for.
            if case .tensors = loaded { wantsSparse = layout != nil || block != nil || tensor != nil } else { wantsSparse = true }
        }
        if !wantsSparse, layout != nil || block != nil {
            throw FileCommandError(output, ".\(target.rawValue) holds dense tensors; --format and --block apply to .npz and .mtx output")
        }
        let result: LoadedFile
        if wantsSparse {
            let matrix = try sparse(from: loaded, input: input)
            if target == .npz, matrix.elementType == .f16 || matrix.elementType == .bf16 {
                throw FileCommandError(
                    output, "scipy cannot read \(matrix.elementType.rawValue) sparse matrices from .npz (scipy.sparse supports f32 and f64); add --dtype f32")
            }
            result = .sparse(matrix)
        } else {
            result = try dense(from: loaded, input: input, single: target == .npy)
            if target == .npy || target == .npz { try requireNumPyDTypes(result, output: output) }
        }
        return result
    }

    // MARK: Sparse output

    func sparse(from loaded: LoadedFile, input: String) throws -> AnySparseMatrix {
        let csr: CSRMatrix<Double>, element: ElementType
        var bsrInput: BSRMatrix<Double>?
        switch loaded {
        case let .sparse(.csr(m)):
            (csr, element) = (m.converted(to: Double.self), m.elementType)
        case let .sparse(.bsr(m)):
            let wide = FileConversion.widened(m)
            (bsrInput, element) = (wide, m.elementType)
            // Padding and explicit zeros inside blocks are not entries of the matrix.
            csr = try naming(input) { try wide.csr(droppingZeros: true) }
        case let .dense(tensor):
            (csr, element) = try FileConversion.csr(of: tensor, name: nil, input: input)
        case let .tensors(collection):
            let (name, tensor) = try FileConversion.select(collection, name: self.tensor, input: input, matrix: true)
            (csr, element) = try FileConversion.csr(of: tensor, name: name, input: input)
        }
        let out = dtype ?? element
        let layout = self.layout ?? (block != nil || bsrInput != nil ? .bsr : .csr)
        switch layout {
        case .csr, .csr16, .delta, .bitmap, .twoFour, .fcoo:
            if block != nil { throw FileCommandError(option: "--block", "applies to --format bsr, not \(layout.rawValue)") }
            // The compact formats are encoded from this CSR when written (ConvertJob).
            return FileConversion.typed(csr, as: out)
        case .bsr:
            if block == nil, let bsrInput { return FileConversion.typed(bsrInput, as: out) }
            guard let block else { throw FileCommandError(option: "--format bsr", "needs a block shape: add --block RxC (e.g. --block 4x4)") }
            do {
                return FileConversion.typed(try csr.bsr(blockRows: block.rows, blockColumns: block.columns), as: out)
            } catch {
                throw FileCommandError(input, "cannot form \(block.rows)x\(block.columns) blocks: \(error)")
            }
        }
    }

    /// A 2-D tensor's nonzeros as CSR in Float64, with the element type to write back.
    static func csr(of tensor: AnyDenseTensor, name: String?, input: String) throws -> (CSRMatrix<Double>, ElementType) {
        let what = name.map { "tensor '\($0)'" } ?? "the tensor"
        guard tensor.shape.count == 2, let dense = tensor.convertedMatrix(to: Double.self) else {
            throw FileCommandError(input, "\(what) has shape \(tensor.shape); a sparse matrix needs a 2-D tensor")
        }
        // Integer and boolean tensors become f64 matrices unless --dtype says otherwise.
        return (try naming(input) { try CSRMatrix(dense) }, tensor.dtype.elementType ?? .f64)
    }

    // MARK: Dense output

    func dense(from loaded: LoadedFile, input: String, single: Bool) throws -> LoadedFile {
        switch loaded {
        case let .dense(tensor):
            return .dense(converted(tensor))
        case let .sparse(matrix):
            return .dense(try FileConversion.denseTensor(of: matrix, as: dtype, input: input))
        case let .tensors(collection):
            if single || tensor != nil {
                let (_, chosen) = try FileConversion.select(collection, name: tensor, input: input, matrix: false)
                return .dense(converted(chosen))
            }
            var out = TensorCollection(metadata: collection.metadata)
            for name in collection.names {
                if let t = collection[name] { out.append(name, converted(t)) }
            }
            return .tensors(out)
        }
    }

    /// `tensor` with floating values converted to `dtype`; integer tensors are left alone.
    func converted(_ tensor: AnyDenseTensor) -> AnyDenseTensor {
        guard let dtype, tensor.dtype.elementType != nil, tensor.dtype != TensorDType(dtype) else { return tensor }
        func narrowed<T: SparseElement>(_: T.Type) -> AnyDenseTensor {
            AnyDenseTensor(shape: tensor.shape, values: tensor.doubles().map { T($0) })
        }
        return narrowed(dtype.swiftType)
    }

    /// The dense matrix of a sparse one (BSR shape for BSR), in `dtype` or its own type.
    static func denseTensor(of matrix: AnySparseMatrix, as dtype: ElementType?, input: String) throws -> AnyDenseTensor {
        let (product, overflow) = matrix.rows.multipliedReportingOverflow(by: matrix.columns)
        guard !overflow, product <= Int(Int32.max) else {
            throw FileCommandError(input, "\(matrix.rows) x \(matrix.columns) is too large to write as a dense tensor")
        }
        let dense: DenseMatrix<Double>
        switch matrix {
        case let .csr(m): dense = m.converted(to: Double.self).dense()
        case let .bsr(m): dense = widened(m).dense()
        }
        func narrowed<T: SparseElement>(_: T.Type) -> AnyDenseTensor { AnyDenseTensor(dense.converted(to: T.self)) }
        let element = dtype ?? matrix.elementType
        return narrowed(element.swiftType)
    }

    /// NumPy has no bf16 (and Sparrow writes no i8/i16/u8 .npy): say so before writing.
    func requireNumPyDTypes(_ content: LoadedFile, output: String) throws {
        let tensors: [(String?, AnyDenseTensor)]
        switch content {
        case let .dense(t): tensors = [(nil, t)]
        case let .tensors(c): tensors = c.names.compactMap { name in c[name].map { (name, $0) } }
        case .sparse: return
        }
        for (name, t) in tensors where t.dtype.npyDescr == nil {
            let which = name.map { "tensor '\($0)' is" } ?? "values are"
            let hint = t.dtype.elementType != nil ? "; add --dtype f32" : ""
            throw FileCommandError(output, "\(which) \(t.dtype.rawValue), which NumPy files cannot hold\(hint)")
        }
    }

    // MARK: Helpers

    /// The tensor named `name`, or the only (2-D, when `matrix`) tensor of the collection.
    static func select(_ c: TensorCollection, name: String?, input: String, matrix: Bool) throws -> (String, AnyDenseTensor) {
        let listed = c.names.prefix(6).map { "'\($0)'" }.joined(separator: ", ") + (c.count > 6 ? ", ..." : "")
        if let name {
            guard let t = c[name] else { throw FileCommandError(input, "no tensor named '\(name)' (it has \(listed))") }
            return (name, t)
        }
        let candidates = matrix ? c.names.filter { c[$0]?.shape.count == 2 } : c.names
        if candidates.count == 1, let t = c[candidates[0]] { return (candidates[0], t) }
        if candidates.isEmpty {
            throw FileCommandError(input, c.count == 0 ? "holds no tensors" : "holds no 2-D tensor (it has \(listed))")
        }
        throw FileCommandError(input, "holds \(candidates.count) \(matrix ? "2-D " : "")tensors; choose one with --tensor (\(listed))")
    }

    static func widened(_ m: AnyBSRMatrix) -> BSRMatrix<Double> { m.converted(to: Double.self) }

    static func typed(_ m: CSRMatrix<Double>, as element: ElementType) -> AnySparseMatrix {
        func narrowed<T: SparseElement>(_: T.Type) -> AnySparseMatrix { AnySparseMatrix(m.converted(to: T.self)) }
        return narrowed(element.swiftType)
    }

    static func typed(_ m: BSRMatrix<Double>, as element: ElementType) -> AnySparseMatrix {
        func narrowed<T: SparseElement>(_: T.Type) -> AnySparseMatrix { AnySparseMatrix(m.converted(to: T.self)) }
        return narrowed(element.swiftType)
    }
}

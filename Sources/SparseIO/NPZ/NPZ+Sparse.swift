import Foundation
import SparseFormats

extension NPZ {
    /// Builds a CSR or BSR matrix from scipy `save_npz` members, checking every index
    /// and canonicalising unsorted or duplicate indices as scipy's `sum_duplicates`.
    static func sparseMatrix(from members: [(name: String, value: NPY.Value)], path: String) throws(SparseIOError) -> AnySparseMatrix {
        var byName: [String: NPY.Value] = [:]
        for (name, value) in members {
            guard ["format", "shape", "data", "indices", "indptr", "_is_array"].contains(name) else {
                throw SparseIOError(path: path, member: name + ".npy", .unsafeMember("unexpected member in a scipy sparse archive"))
            }
            byName[name] = value
        }
        func member(_ name: String) throws(SparseIOError) -> NPY.Value {
            guard let value = byName[name] else { throw SparseIOError(path: path, .missingMember(name + ".npy")) }
            return value
        }
        func tensor(_ name: String) throws(SparseIOError) -> AnyDenseTensor {
            guard case let .tensor(value) = try member(name) else {
                throw SparseIOError(path: path, member: name + ".npy", .memberShape("expected a numeric array, found a string"))
            }
            return value
        }
        guard case let .string(format) = try member("format") else {
            throw SparseIOError(path: path, member: "format.npy", .memberShape("format must be a 0-d string array"))
        }
        guard format == "csr" || format == "bsr" else {
            throw SparseIOError(path: path, member: "format.npy", .unsupportedSparseFormat(format))
        }
        let shapeTensor = try tensor("shape")
        guard shapeTensor.shape == [2], let shape = shapeTensor.integers(), shapeTensor.dtype != .bool else {
            throw SparseIOError(path: path, member: "shape.npy", .memberShape("shape must be 2 integers, found \(shapeTensor.dtype.rawValue) \(shapeTensor.shape)"))
        }
        for dimension in shape where dimension < 0 || dimension > Int(Int32.max) {
            throw SparseIOError(path: path, member: "shape.npy", .indexOutOfRange(what: "dimension", value: dimension, range: "0...\(Int32.max)"))
        }
        let indices = try int32Array(tensor("indices"), name: "indices", path: path)
        let indptr = try int32Array(tensor("indptr"), name: "indptr", path: path)
        let data = try tensor("data")
        guard data.dtype.elementType != nil else {
            throw SparseIOError(path: path, member: "data.npy", .unsupportedDType("\(data.dtype.rawValue) (sparse values must be f16, f32 or f64)"))
        }
        do {
            if format == "csr" {
                guard data.shape.count == 1 else {
                    throw SparseIOError(path: path, member: "data.npy", .memberShape("csr data must be 1-d, found shape \(data.shape)"))
                }
                return .csr(try csr(data, rows: shape[0], columns: shape[1], indptr: indptr, indices: indices))
            }
            guard data.shape.count == 3, data.shape[1] > 0, data.shape[2] > 0 else {
                throw SparseIOError(path: path, member: "data.npy", .memberShape("bsr data must have shape (nblocks, R, C) with R, C > 0, found \(data.shape)"))
            }
            return .bsr(try bsr(data, rows: shape[0], columns: shape[1], blockRows: data.shape[1], blockColumns: data.shape[2],
                                indptr: indptr, indices: indices))
        } catch let error as SparseFormatError {
            throw SparseIOError(path: path, .invalidMatrix(error))
        } catch let error as SparseIOError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    static func csr(_ data: AnyDenseTensor, rows: Int, columns: Int, indptr: [Int32], indices: [Int32]) throws -> AnyCSRMatrix {
        func build<T: SparseElement>(_: T.Type) throws -> AnyCSRMatrix {
            // `values(as:)` cannot fail: the caller switched on the dtype.
            AnyCSRMatrix(try CSRMatrix<T>.canonicalizing(
                rows: rows, columns: columns, rowOffsets: indptr, columnIndices: indices, values: data.values(as: T.self) ?? []))
        }
        switch data.dtype {
        case .f64: return try build(Double.self)
        case .f32: return try build(Float.self)
        case .f16: return try build(Float16.self)
        default: return try build(BFloat16.self)
        }
    }

    static func bsr(_ data: AnyDenseTensor, rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
                    indptr: [Int32], indices: [Int32]) throws -> AnyBSRMatrix {
        func build<T: SparseElement>(_: T.Type) throws -> AnyBSRMatrix {
            AnyBSRMatrix(try BSRMatrix<T>.canonicalizing(
                rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns,
                rowOffsets: indptr, columnIndices: indices, values: data.values(as: T.self) ?? []))
        }
        switch data.dtype {
        case .f64: return try build(Double.self)
        case .f32: return try build(Float.self)
        case .f16: return try build(Float16.self)
        default: return try build(BFloat16.self)
        }
    }

    /// A 1-d int32 or int64 member as Int32, each value range-checked.
    static func int32Array(_ tensor: AnyDenseTensor, name: String, path: String) throws(SparseIOError) -> [Int32] {
        let member = name + ".npy"
        guard tensor.shape.count == 1, tensor.dtype == .i32 || tensor.dtype == .i64, let values = tensor.integers() else {
            throw SparseIOError(path: path, member: member, .memberShape("\(name) must be a 1-d int32 or int64 array, found \(tensor.dtype.rawValue) \(tensor.shape)"))
        }
        var out = [Int32]()
        out.reserveCapacity(values.count)
        for (position, value) in values.enumerated() {
            guard let narrow = Int32(exactly: value) else {
                throw SparseIOError(path: path, member: member, .indexOutOfRange(what: "\(name)[\(position)]", value: value, range: "of Int32"))
            }
            out.append(narrow)
        }
        return out
    }
}

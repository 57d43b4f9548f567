/// The device arrays of a CSR matrix W (N x K) with Int32 indices, as raw addresses.
package struct DeviceCSR: Sendable {
    package var rows: Int
    package var columns: Int
    package var nonzeros: Int
    /// `rows + 1` Int32 offsets.
    package var rowOffsets: UInt64
    /// `nonzeros` Int32 column indices.
    package var columnIndices: UInt64
    /// `nonzeros` values of the SpMM's element type.
    package var values: UInt64

    package init(rows: Int, columns: Int, nonzeros: Int, rowOffsets: UInt64, columnIndices: UInt64, values: UInt64) {
        self.rows = rows
        self.columns = columns
        self.nonzeros = nonzeros
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }
}

/// A cuSPARSE CSR SpMM, Y[N x M] = W[N x K] X[K x M] (X and Y row-major), with descriptors
/// and workspace made once, so each ``run()`` is one `cusparseSpMM` call.
package final class PreparedSpMM: @unchecked Sendable {
    // @unchecked: immutable after init; one thread runs it at a time.
    package let handle: CUSPARSEHandle
    package let algorithm: CUSPARSESpMMAlgorithm
    package let precision: SpMMPrecision
    package let m: Int
    /// Workspace bytes cuSPARSE asked for.
    package let workspaceBytes: Int
    let matrix: OpaquePointer
    let x: OpaquePointer
    let y: OpaquePointer
    let workspace: DeviceBuffer<UInt8>
    let alphaBeta: UnsafeMutablePointer<Float>

    /// Builds the descriptors, sizes and allocates the workspace, and runs
    /// `cusparseSpMM_preprocess` where the library has it.
    ///
    /// - Throws: a ``CUDAError`` whose ``CUDAError/isUnsupported`` is true when cuSPARSE does
    ///   not support this algorithm, precision and layout (skip it); other errors otherwise.
    package init(handle: CUSPARSEHandle, w: DeviceCSR, x: UInt64, y: UInt64, m: Int,
                precision: SpMMPrecision = .float32, algorithm: CUSPARSESpMMAlgorithm = .default) throws {
        guard w.rows >= 0, w.columns >= 0, w.nonzeros >= 0, m > 0 else {
            throw CUDAError.invalidArgument("SpMM with N=\(w.rows) K=\(w.columns) nnz=\(w.nonzeros) M=\(m)")
        }
        let cusparse = handle.cusparse
        let type = precision.dataType.rawValue
        try handle.context.makeCurrent()
        var matrix: OpaquePointer? = nil
        var xDescriptor: OpaquePointer? = nil
        var yDescriptor: OpaquePointer? = nil
        var cleanup = true
        defer {
            if cleanup {
                _ = cusparse.destroySpMat(matrix)
                _ = cusparse.destroyDnMat(xDescriptor)
                _ = cusparse.destroyDnMat(yDescriptor)
            }
        }
        // CUSPARSE_INDEX_32I = 2, CUSPARSE_INDEX_BASE_ZERO = 0, CUSPARSE_ORDER_ROW = 2.
        try cusparse.check(cusparse.createCsr(
            &matrix, Int64(w.rows), Int64(w.columns), Int64(w.nonzeros),
            UnsafeMutableRawPointer(bitPattern: UInt(w.rowOffsets)),
            UnsafeMutableRawPointer(bitPattern: UInt(w.columnIndices)),
            UnsafeMutableRawPointer(bitPattern: UInt(w.values)), 2, 2, 0, type), "cusparseCreateCsr")
        try cusparse.check(cusparse.createDnMat(
            &xDescriptor, Int64(w.columns), Int64(m), Int64(m), UnsafeMutableRawPointer(bitPattern: UInt(x)),
            type, 2), "cusparseCreateDnMat(X)")
        try cusparse.check(cusparse.createDnMat(
            &yDescriptor, Int64(w.rows), Int64(m), Int64(m), UnsafeMutableRawPointer(bitPattern: UInt(y)),
            type, 2), "cusparseCreateDnMat(Y)")
        let alphaBeta = UnsafeMutablePointer<Float>.allocate(capacity: 2)
        alphaBeta[0] = 1
        alphaBeta[1] = 0
        var size = 0
        let label = "\(algorithm) \(precision.rawValue) N=\(w.rows) K=\(w.columns) M=\(m)"
        do {
            try cusparse.check(cusparse.spmmBufferSize(
                handle.handle, 0, 0, UnsafeRawPointer(alphaBeta), matrix, xDescriptor, UnsafeRawPointer(alphaBeta + 1),
                yDescriptor, CUDADataType.float32.rawValue, algorithm.rawValue, &size),
                "cusparseSpMM_bufferSize(\(label))")
            workspace = try DeviceBuffer<UInt8>(context: handle.context, count: size)
            if let preprocess = cusparse.spmmPreprocess {
                try cusparse.check(preprocess(
                    handle.handle, 0, 0, UnsafeRawPointer(alphaBeta), matrix, xDescriptor,
                    UnsafeRawPointer(alphaBeta + 1), yDescriptor, CUDADataType.float32.rawValue,
                    algorithm.rawValue, UnsafeMutableRawPointer(bitPattern: UInt(workspace.address))),
                    "cusparseSpMM_preprocess(\(label))")
            }
        } catch {
            alphaBeta.deallocate()
            throw error
        }
        guard let matrix, let xDescriptor, let yDescriptor else {
            alphaBeta.deallocate()
            throw CUDAError.cusparse(call: "cusparseCreate*", code: -1, name: "null descriptor")
        }
        cleanup = false
        self.handle = handle
        self.algorithm = algorithm
        self.precision = precision
        self.m = m
        self.workspaceBytes = size
        self.matrix = matrix
        self.x = xDescriptor
        self.y = yDescriptor
        self.alphaBeta = alphaBeta
    }

    deinit {
        let cusparse = handle.cusparse
        _ = handle.context.driver.cuCtxSetCurrent(handle.context.context)
        _ = cusparse.destroySpMat(matrix)
        _ = cusparse.destroyDnMat(x)
        _ = cusparse.destroyDnMat(y)
        alphaBeta.deallocate()
    }

    /// Queues one SpMM on the handle's stream.
    package func run() throws {
        let cusparse = handle.cusparse
        try handle.context.makeCurrent()
        try cusparse.check(cusparse.spmm(
            handle.handle, 0, 0, UnsafeRawPointer(alphaBeta), matrix, x, UnsafeRawPointer(alphaBeta + 1), y,
            CUDADataType.float32.rawValue, algorithm.rawValue,
            UnsafeMutableRawPointer(bitPattern: UInt(workspace.address))), "cusparseSpMM(\(algorithm))")
    }
}

extension CUSPARSESpMMAlgorithm {
    /// `default`, `alg1`, `alg2`, `alg3` as cuSPARSE's documentation names them.
    package var shortName: String {
        switch self {
        case .default: "default"
        case .csrAlg1: "alg1"
        case .csrAlg2: "alg2"
        case .csrAlg3: "alg3"
        }
    }
}

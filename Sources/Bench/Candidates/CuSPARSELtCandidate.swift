import CUDA
import Runtime
import SparseFormats

/// cuSPARSELt's 2:4 GEMM on the sparse tensor cores as a baseline, fp16 or bf16 with fp32
/// accumulation: W's dense form (2:4 along K: at most 2 nonzeros in every 4 consecutive weights
/// of a row, groups starting at column 0) compressed by the library, N, K and M padded with zeros
/// to multiples of ``CUDA/PreparedSparseLtMatmul/padding`` (the library's tile constraint: at
/// n = 1 it computes 32 columns, as PyTorch's `to_sparse_semi_structured` pads too), the
/// algorithm the library's own search timed fastest. Cold timing rotates among compressed copies
/// of W (``ColdRotation``); the weight bytes are the library's compressed size (values and
/// metadata, about 1.1 B per weight at fp16).
///
/// Skipped, with the reason, when W is not 2:4, the precision is not 16-bit, or libcusparseLt
/// cannot be loaded.
package final class CuSPARSELtCandidate: SpMMCandidate {
    package let name: String
    package let role = CandidateRole.baseline
    package let precision: ComputePrecision
    let device: GPUDevice
    /// Time cold (``ColdRotation``): further compressed copies of W the timed launches rotate through.
    let cold: Bool
    var matmul: PreparedSparseLtMatmul?
    var operands: (w: DeviceBuffer<UInt8>, x: DeviceBuffer<UInt8>, y: DeviceBuffer<UInt8>)?
    var copies: [DeviceBuffer<UInt8>] = []
    /// Rows of Y, its columns, and the padded column count its rows are stored with.
    var shape: (rows: Int, m: Int, paddedM: Int) = (0, 0, 0)
    package private(set) var weightBytes: Double?
    package private(set) var chosenConfig: String?

    package init(device: GPUDevice, precision: ComputePrecision, cold: Bool = false) {
        self.device = device
        self.precision = precision
        self.cold = cold
        name = "cusparselt-\(precision.rawValue)"
    }

    /// Why this candidate cannot run `w` at `precision`, or nil when it can (the library aside).
    package static func unsupportedReason(_ w: CSRMatrix<Float>, precision: ComputePrecision) -> String? {
        guard precision == .fp16 || precision == .bf16 else {
            return "cuSPARSELt runs 16-bit weights here (fp16, bf16), not \(precision.rawValue)"
        }
        guard w.keepsAtMost(2, of: 4) else {
            return "cuSPARSELt needs 2:4 weights (at most 2 nonzeros in every 4 consecutive weights of a row); this W is not (prune with --pattern 2:4)"
        }
        return nil
    }

    /// `size` rounded up to a positive multiple of the library's padding.
    static func padded(_ size: Int) -> Int {
        let unit = PreparedSparseLtMatmul.padding
        return max(unit, (size + unit - 1) / unit * unit)
    }

    /// `values` (`rows x columns`, row-major) inside a zero `paddedRows x paddedColumns` matrix.
    static func zeroPadded(_ values: [Float], rows: Int, columns: Int, paddedRows: Int, paddedColumns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: paddedRows * paddedColumns)
        for r in 0..<rows {
            for c in 0..<columns { out[r * paddedColumns + c] = values[r * columns + c] }
        }
        return out
    }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let w = problem.matrix
        if let reason = Self.unsupportedReason(w, precision: precision) { throw CandidateSkipped(reason) }
        if case let .failure(error) = CUSPARSELtLibrary.shared { throw CandidateSkipped("cuSPARSELt not loaded: \(error)") }
        let type = precision.storage
        let (n, k, m) = (Self.padded(w.rows), Self.padded(w.columns), Self.padded(problem.m))
        let context = device.context
        let dense = Self.zeroPadded(w.dense().storage, rows: w.rows, columns: w.columns, paddedRows: n, paddedColumns: k)
        let paddedX = Self.zeroPadded(x, rows: w.columns, columns: problem.m, paddedRows: k, paddedColumns: m)
        let buffers = (w: try DeviceBuffer<UInt8>(context: context, copying: ElementBytes.encode(dense, as: type)),
                       x: try DeviceBuffer<UInt8>(context: context, copying: ElementBytes.encode(paddedX, as: type)),
                       y: try DeviceBuffer<UInt8>(context: context, count: ElementBytes.paddedByteCount(n * m, type)))
        operands = buffers
        shape = (w.rows, problem.m, m)
        do {
            let lt = try PreparedSparseLtMatmul(
                context: context, stream: device.stream, n: n, k: k, m: m, precision: type == .f16 ? .float16 : .bfloat16,
                x: buffers.x.address, y: buffers.y.address)
            let bytes = Double(lt.compressedBytes)
            copies = []
            for _ in 0..<ColdRotation.copies(bytesPerCopy: bytes, cold: cold) {
                let copy = try DeviceBuffer<UInt8>(context: context, count: lt.compressedBytes)
                try lt.compress(dense: buffers.w.address, into: copy)
                copies.append(copy)
            }
            try lt.search(compressed: copies[0])
            chosenConfig = "\(try lt.algorithmSummary()), padded to \(n) x \(k) x \(m)"
            weightBytes = bytes
            matmul = lt
        } catch let error as CUDAError where error.isUnsupported {
            throw CandidateSkipped("cuSPARSELt: \(error)")
        }
    }

    package var coldCopies: Int { max(1, copies.count) }

    package func output() throws -> [Float] {
        guard let matmul, let operands, let first = copies.first else {
            throw CUDAError.invalidArgument("\(name): output() before prepare()")
        }
        let type = precision.storage
        try operands.y.fillWords(ElementBytes.nanWord(type), stream: device.stream)
        try matmul.run(compressed: first)
        try device.stream.synchronize()
        let y = ElementBytes.decode(try operands.y.download(), as: type)
        var out = [Float](repeating: 0, count: shape.rows * shape.m)
        for r in 0..<shape.rows {
            for c in 0..<shape.m { out[r * shape.m + c] = y[r * shape.paddedM + c] }
        }
        return out
    }

    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        guard let matmul, !copies.isEmpty else { throw CUDAError.invalidArgument("\(name): time() before prepare()") }
        return try LaunchTiming.rotatingSamples(stream: device.stream, copies: copies.count, warmup: warmup, iterations: iterations) {
            try matmul.run(compressed: copies[$0])
        }
    }

    package func release() {
        matmul = nil
        operands = nil
        copies = []
        chosenConfig = nil
    }
}

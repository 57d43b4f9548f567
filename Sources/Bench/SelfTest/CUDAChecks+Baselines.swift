import CUDA
import Runtime
import SparseFormats

extension CUDAChecks {
    /// The Float64 reference of Y = W X for a dense row-major W (N x K) and X (K x M).
    static func verifier(n: Int, k: Int, m: Int, w: [Float], x: [Float]) throws -> Verifier {
        try Verifier(
            w: try DenseMatrix(rows: n, columns: k, storage: w).csr(), x: try DenseMatrix(rows: k, columns: m, storage: x))
    }

    /// Throws when `output` fails ``Verifier/check(_:precision:)``; else its relative error.
    static func verified<T: SparseElement>(_ output: [T], _ verifier: Verifier, _ precision: ComputePrecision, _ label: String) throws -> Double {
        let verdict = verifier.check(output, precision: precision)
        if let failure = verdict.failure { throw Failure("\(label): \(failure)") }
        return verdict.relativeError ?? 0
    }

    /// Awkward-shaped values with a zero row in W.
    static func gemmOperands(n: Int, k: Int, m: Int) -> (w: [Float], x: [Float]) {
        let w: [Float] = (0..<n * k).map { $0 / k == 3 ? 0 : Float(($0 * 7) % 11) / 8 - 0.6 }
        let x: [Float] = (0..<k * m).map { Float(($0 * 5) % 13) / 8 - 0.75 }
        return (w, x)
    }

    static func checkGemm(context: CUDAContext) throws -> String {
        let (n, k, m) = (37, 29, 19)
        let (w, x) = gemmOperands(n: n, k: k, m: m)
        let want = try verifier(n: n, k: k, m: m, w: w, x: x)
        let blas = try CUBLASHandle(context: context)
        var report: [String] = []
        for precision in [GemmPrecision.float32, .float32Pedantic, .tf32] {
            let dw = try DeviceBuffer<Float>(context: context, copying: w)
            let dx = try DeviceBuffer<Float>(context: context, copying: x)
            let dy = try DeviceBuffer<Float>(context: context, count: n * m)
            try dy.fillWords(0x7FC0_0000)
            try blas.gemm(precision: precision, n: n, k: k, m: m, w: dw, x: dx, y: dy)
            let error = try verified(try dy.download(), want, precision == .tf32 ? .tf32 : .fp32, precision.rawValue)
            report.append("\(precision.rawValue) \(String(format: "%.1e", error))")
        }
        let w16 = w.map(Float16.init)
        let x16 = x.map(Float16.init)
        let dw = try DeviceBuffer<Float16>(context: context, copying: w16)
        let dx = try DeviceBuffer<Float16>(context: context, copying: x16)
        let dy = try DeviceBuffer<Float16>(context: context, count: n * m)
        try blas.gemm(n: n, k: k, m: m, w: dw, x: dx, y: dy)
        // Against the rounded inputs, so that only accumulation and the fp16 output round.
        let want16 = try verifier(n: n, k: k, m: m, w: w16.map(Float.init), x: x16.map(Float.init))
        let error = try verified(try dy.download(), want16, .fp16, "float16")
        report.append("float16 \(String(format: "%.1e", error))")
        return "n=\(n) k=\(k) m=\(m): " + report.joined(separator: ", ")
    }

    static func checkSpMM(context: CUDAContext) throws -> String {
        // N=7, K=5: row 1 empty, row 4 dense, row 6 one entry in the last column.
        let offsets: [Int32] = [0, 2, 2, 3, 5, 10, 11, 12]
        let columns: [Int32] = [0, 3, 2, 1, 4, 0, 1, 2, 3, 4, 2, 4]
        let values: [Float] = [1, -2, 0.5, 3, -1, 0.25, 0.5, 0.75, 1, 1.25, -3, 2]
        let (n, k, m) = (7, 5, 3)
        var dense = [Float](repeating: 0, count: n * k)
        for row in 0..<n {
            for index in Int(offsets[row])..<Int(offsets[row + 1]) { dense[row * k + Int(columns[index])] = values[index] }
        }
        let x: [Float] = (0..<k * m).map { Float($0 % 5) - 1.5 }
        let want = try verifier(n: n, k: k, m: m, w: dense, x: x)
        let sparse = try CUSPARSEHandle(context: context)
        let dOffsets = try DeviceBuffer<Int32>(context: context, copying: offsets)
        let dColumns = try DeviceBuffer<Int32>(context: context, copying: columns)
        var report: [String] = []
        for precision in [SpMMPrecision.float32, .float16] {
            for algorithm in CUSPARSESpMMAlgorithm.allCases {
                let label = "\(precision.rawValue)/\(algorithm)"
                do {
                    let error: Double
                    if precision == .float32 {
                        let dValues = try DeviceBuffer<Float>(context: context, copying: values)
                        let dx = try DeviceBuffer<Float>(context: context, copying: x)
                        let dy = try DeviceBuffer<Float>(context: context, count: n * m)
                        // Finite garbage, not NaN: beta = 0 may still read Y (0 * NaN = NaN).
                        try dy.fillWords(Float(12345).bitPattern)
                        let spmm = try PreparedSpMM(
                            handle: sparse, w: csr(n, k, offsets.count, dOffsets, dColumns, dValues.address, values.count),
                            x: dx.address, y: dy.address, m: m, precision: precision, algorithm: algorithm)
                        try spmm.run()
                        error = try verified(try dy.download(), want, .fp32, label)
                    } else {
                        let dValues = try DeviceBuffer<Float16>(context: context, copying: values.map(Float16.init))
                        let dx = try DeviceBuffer<Float16>(context: context, copying: x.map(Float16.init))
                        let dy = try DeviceBuffer<Float16>(context: context, count: n * m)
                        try dy.fillBytes(0x51)  // 0x5151, a finite fp16 value (about 42.5)
                        let spmm = try PreparedSpMM(
                            handle: sparse, w: csr(n, k, offsets.count, dOffsets, dColumns, dValues.address, values.count),
                            x: dx.address, y: dy.address, m: m, precision: precision, algorithm: algorithm)
                        try spmm.run()
                        error = try verified(try dy.download(), want, .fp16, label)
                    }
                    report.append("\(label) ok (\(String(format: "%.1e", error)))")
                } catch let error as CUDAError where error.isUnsupported {
                    report.append("\(label) unsupported")
                } catch let error as CUDAError where algorithm != .default {
                    // Some cuSPARSE versions refuse an algorithm/layout pair with INVALID_VALUE
                    // rather than NOT_SUPPORTED; only the default algorithm must run.
                    report.append("\(label) refused (\(error))")
                }
            }
        }
        guard report.contains(where: { $0.hasPrefix("float32/default ok") }) else { throw Failure("fp32 default SpMM did not run: \(report)") }
        return report.joined(separator: ", ")
    }

    private static func csr(_ n: Int, _ k: Int, _ offsetCount: Int, _ offsets: DeviceBuffer<Int32>,
                            _ columns: DeviceBuffer<Int32>, _ values: UInt64, _ nnz: Int) -> DeviceCSR {
        precondition(offsetCount == n + 1, "offsets for \(n) rows")
        return DeviceCSR(rows: n, columns: k, nonzeros: nnz, rowOffsets: offsets.address,
                         columnIndices: columns.address, values: values)
    }
}

import Foundation
import SparseFormats
import Testing
import CPUKernels

// Development measurements, not tests of speed: run with
//   SPARROW_CPU_PERF=1 [SPARROW_DLMC=/tmp/dlmc/dlmc] swift test -c release --filter CPUPerformance
// (`SPARROW_CPU_TARGET=native` as well for the AVX-512 build). Prints a table of sparse vs
// OpenBLAS sgemm vs the naive CSR loop vs scipy, all in this process, after checking results.

let perfEnabled = ProcessInfo.processInfo.environment["SPARROW_CPU_PERF"] == "1"

/// Reads a DLMC `.smtx` pattern (no values) and fills values from the seed.
func loadSMTX(_ path: String, seed: UInt64) throws -> CSRMatrix<Float> {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let header = lines[0].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces))! }
    let offsets = lines[1].split(separator: " ").map { Int32($0)! }
    let indices = lines.count > 2 ? lines[2].split(separator: " ").map { Int32($0)! } : []
    var g = SeededGenerator(seed: seed)
    return try CSRMatrix.canonicalizing(
        rows: header[0], columns: header[1], rowOffsets: offsets, columnIndices: indices,
        values: g.signedUnitValues(indices.count, as: Float.self))
}

struct PerfRow {
    var name: String, sparsity: String, n: Int, k: Int, m: Int, nnz: Int
    var sparse = 0.0, dense = 0.0, naive = 0.0, scipy = Double.nan, error = 0.0
}

func scipyTimes(_ problems: [(path: String, m: Int)]) -> [Double] {
    let script = """
    import sys, json, time, numpy as np, scipy.sparse as sp
    out = []
    for path, m in json.loads(sys.argv[1]):
        lines = open(path).read().split("\\n")
        n, k, nnz = [int(v) for v in lines[0].split(",")]
        indptr = np.array(lines[1].split(), dtype=np.int32)
        indices = np.array(lines[2].split(), dtype=np.int32) if nnz else np.zeros(0, np.int32)
        a = sp.csr_matrix((np.random.uniform(-1, 1, nnz).astype(np.float32), indices, indptr), shape=(n, k))
        x = np.random.uniform(-1, 1, (k, m)).astype(np.float32)
        for _ in range(3): a @ x
        ts = []; t0 = time.perf_counter()
        while len(ts) < 20 or time.perf_counter() - t0 < 0.05:
            s = time.perf_counter(); a @ x; ts.append(time.perf_counter() - s)
        out.append(float(np.median(ts)))
    print(json.dumps(out))
    """
    let json = "[" + problems.map { "[\"\($0.path)\", \($0.m)]" }.joined(separator: ",") + "]"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [ProcessInfo.processInfo.environment["SPARROW_PYTHON"] ?? "python3", "-c", script, json]
    let pipe = Pipe()
    process.standardOutput = pipe
    guard (try? process.run()) != nil else { return problems.map { _ in .nan } }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let text = String(data: data, encoding: .utf8),
        let values = try? JSONDecoder().decode([Double].self, from: Data(text.utf8))
    else { return problems.map { _ in .nan } }
    return values
}

func geomean(_ v: [Double]) -> Double { exp(v.map { log($0) }.reduce(0, +) / Double(v.count)) }

@Suite(.enabled(if: perfEnabled)) struct CPUPerformance {
    @Test func dlmcAgainstBaselines() throws {
        let root = ProcessInfo.processInfo.environment["SPARROW_DLMC"] ?? "/tmp/dlmc/dlmc"
        let env = ProcessInfo.processInfo.environment
        let layers = (env["SPARROW_PERF_LAYERS"] ?? "bottleneck_2_block_group1_1_1,bottleneck_2_block_group2_1_1,bottleneck_2_block_group3_1_1,bottleneck_2_block_group4_1_1,bottleneck_3_block_group2_1_1,bottleneck_1_block_group3_1_1,initial_conv").split(separator: ",").map(String.init)
        let sparsities = (env["SPARROW_PERF_SPARSITIES"] ?? "0.7,0.9,0.95,0.98").split(separator: ",").map(String.init)
        let extraN = (env["SPARROW_PERF_N"] ?? "1,8,32").split(separator: ",").compactMap { Int($0) }
        var spatial: [String: Int] = [:]
        for line in try String(contentsOfFile: root + "/rn50_batchsizes.txt", encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: ",")
            if parts.count == 2, let n = Int(parts[1]) { spatial[String(parts[0])] = n }
        }
        let gemm = DenseGEMM.shared
        let info = CPUInfo.current(measureBandwidth: true)
        print("cpu: \(info.modelName), \(info.cores) cores, avx512f \(info.hasAVX512F), kernel path \(info.kernelPath), copy \(String(format: "%.1f", (info.copyBandwidth ?? 0) / 1e9)) GB/s")
        print("dense: \(gemm.backend)")
        var rows: [PerfRow] = []
        var paths: [(path: String, m: Int)] = []
        for sparsity in sparsities {
            for layer in layers {
                let path = "\(root)/rn50/magnitude_pruning/\(sparsity)/\(layer).smtx"
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let w = try loadSMTX(path, seed: 1)
                let plan = CPUSpMMPlan(csr: w)
                let naive = NaiveCSR(w)
                var denseW = [Float](repeating: 0, count: w.rows * w.columns)
                for r in 0..<w.rows { for p in w.range(ofRow: r) { denseW[r * w.columns + Int(w.columnIndices[p])] = w.values[p] } }
                for m in [spatial[layer] ?? 256] + extraN {
                    let workspace = plan.makeWorkspace(maxM: m)
                    let x = try DenseMatrix(rows: w.columns, columns: m, storage: { var g = SeededGenerator(seed: 2); return g.signedUnitValues(w.columns * m, as: Float.self) }())
                    var row = PerfRow(name: layer, sparsity: sparsity, n: w.rows, k: w.columns, m: m, nnz: w.nnz)
                    var y = [Float](repeating: .nan, count: w.rows * m)
                    var yd = y, yn = y
                    // Check before timing.
                    let reference = try ReferenceSpMM.multiply(w, x)
                    x.storage.withUnsafeBufferPointer { xb in
                        y.withUnsafeMutableBufferPointer { yb in plan.run(x: xb, y: yb, m: m, workspace: workspace) }
                    }
                    row.error = ReferenceSpMM.relativeError(y, reference: reference.storage)
                    #expect(row.error <= 1e-5)
                    x.storage.withUnsafeBufferPointer { xb in
                        y.withUnsafeMutableBufferPointer { yb in
                            row.sparse = Statistics.median(CPUBenchmark.time(iterations: 20, minimumSeconds: 0.05) { plan.run(x: xb, y: yb, m: m, workspace: workspace) })
                        }
                        denseW.withUnsafeBufferPointer { wb in
                            yd.withUnsafeMutableBufferPointer { yb in
                                row.dense = Statistics.median(CPUBenchmark.time(iterations: 20, minimumSeconds: 0.05) {
                                    gemm.sgemm(m: w.rows, n: m, k: w.columns, a: wb.baseAddress!, lda: w.columns, b: xb.baseAddress!, ldb: m, c: yb.baseAddress!, ldc: m)
                                })
                            }
                        }
                    }
                    #expect(ReferenceSpMM.relativeError(yd, reference: reference.storage) <= 1e-5)
                    row.naive = Statistics.median(CPUBenchmark.time(iterations: 5, warmup: 1, minimumSeconds: 0.02) { naive.multiply(x.storage, into: &yn, m: m) })
                    rows.append(row)
                    paths.append((path, m))
                }
            }
        }
        let scipy = env["SPARROW_PERF_SCIPY"] == "0" ? paths.map { _ in Double.nan } : scipyTimes(paths)
        for i in rows.indices where i < scipy.count { rows[i].scipy = scipy[i] }
        print("| sparsity | layer | N x K | nnz | M | sparse us | GFLOP/s | sgemm us | vs sgemm | naive us | vs naive | scipy us | vs scipy |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in rows {
            let gf = 2 * Double(r.nnz) * Double(r.m) / r.sparse / 1e9
            print(String(format: "| %@ | %@ | %dx%d | %d | %d | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f |",
                         r.sparsity, r.name, r.n, r.k, r.nnz, r.m, r.sparse * 1e6, gf, r.dense * 1e6, r.dense / r.sparse,
                         r.naive * 1e6, r.naive / r.sparse, r.scipy * 1e6, r.scipy / r.sparse))
        }
        print("geometric means (layer n / n<=32 separately):")
        for s in sparsities {
            let sel = rows.filter { $0.sparsity == s }
            let layerN = sel.filter { $0.m > 32 }, small = sel.filter { $0.m <= 32 }
            guard !sel.isEmpty else { continue }
            print(String(format: "  %@: vs sgemm %.2f (layer n %.2f, n<=32 %.2f) | vs scipy %.2f | vs naive %.2f",
                         s, geomean(sel.map { $0.dense / $0.sparse }), geomean(layerN.map { $0.dense / $0.sparse }),
                         geomean(small.map { $0.dense / $0.sparse }), geomean(sel.map { $0.scipy / $0.sparse }),
                         geomean(sel.map { $0.naive / $0.sparse })))
        }
    }
}

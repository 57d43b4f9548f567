import Dispatch
import Synchronization
import Testing
import SparseFormats
@testable import CPUKernels

func referenceGEMM(_ a: DenseMatrix<Float>, _ b: DenseMatrix<Float>) -> [Double] {
    var c = [Double](repeating: 0, count: a.rows * b.columns)
    for i in 0..<a.rows {
        for p in 0..<a.columns {
            let v = Double(a[i, p])
            for j in 0..<b.columns { c[i * b.columns + j] += v * Double(b[p, j]) }
        }
    }
    return c
}

let gemmShapes: [(m: Int, k: Int, n: Int)] = [
    (1, 1, 1), (3, 5, 7), (4, 16, 64), (5, 17, 65), (9, 33, 100), (70, 3, 130), (1, 200, 1), (33, 1, 19),
    (2, 7, 0), (0, 4, 3), (6, 0, 5),
]

@Suite struct DenseGEMMTests {
    /// Scopes entered from several threads at once, as parallel tests and callers do: inside
    /// every one OpenBLAS stays on one thread until the last leaves, then the count is restored.
    @Test func overlappingSingleThreadedScopesKeepOneThread() {
        let gemm = DenseGEMM.shared
        guard let library = gemm.library, library.setThreads != nil, let get = library.currentThreads else { return }
        let before = get()
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { round in
            for _ in 0..<(50 + round) {
                gemm.withSingleThreadedBLAS { _ in
                    if get() != 1 { failures.withLock { $0 += 1 } }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0, "a scope saw OpenBLAS on more than one thread")
        #expect(get() == before)
    }

    /// Inside, OpenBLAS runs on one thread and calls from several threads at once agree with the
    /// Float64 loop; after, its thread count is what it was.
    @Test func singleThreadedBLASIsScopedAndConcurrentCallsAgree() throws {
        let gemm = DenseGEMM.shared
        let before = gemm.library?.currentThreads?()
        let a = try TestMatrices.dense(rows: 40, columns: 33, seed: 1)
        let b = try TestMatrices.dense(rows: 33, columns: 70, seed: 2)
        let reference = referenceGEMM(a, b)
        var c = [Float](repeating: .nan, count: 40 * 70)
        gemm.withSingleThreadedBLAS { singleThreaded in
            if let threads = gemm.library?.currentThreads?() { #expect(threads == 1) }
            #expect(singleThreaded || gemm.library?.setThreads == nil)
            a.storage.withUnsafeBufferPointer { ab in
                b.storage.withUnsafeBufferPointer { bb in
                    c.withUnsafeMutableBufferPointer { cb in
                        let (ap, bp, cp) = (ab.baseAddress!, bb.baseAddress!, cb.baseAddress!)
                        // Four pieces of rows on a three-thread pool: concurrent single-threaded calls.
                        threadedPool.run(items: 4) { piece in
                            let rows = (40 * piece / 4)..<(40 * (piece + 1) / 4)
                            gemm.sgemm(m: rows.count, n: 70, k: 33, a: ap + rows.lowerBound * 33, lda: 33, b: bp, ldb: 70, c: cp + rows.lowerBound * 70, ldc: 70)
                        }
                    }
                }
            }
        }
        #expect(gemm.library?.currentThreads?() == before)
        #expect(ReferenceSpMM.relativeError(c, reference: reference) <= 1e-5)
    }

    @Test(arguments: [false, true])
    func matchesFloat64Loop(forceSwift: Bool) throws {
        let gemm = forceSwift ? DenseGEMM.swiftFallback(pool: threadedPool) : DenseGEMM.shared
        for (i, s) in gemmShapes.enumerated() {
            let a = try TestMatrices.dense(rows: s.m, columns: s.k, seed: UInt64(i))
            let b = try TestMatrices.dense(rows: s.k, columns: s.n, seed: UInt64(i) + 50)
            let c = try gemm.multiply(a, b)
            #expect(c.shape == [s.m, s.n])
            let error = ReferenceSpMM.relativeError(c.storage, reference: referenceGEMM(a, b))
            #expect(error <= 1e-5, "\(gemm.backend) \(s): error \(error)")
        }
    }

    @Test(arguments: [false, true])
    func alphaBetaAndStrides(forceSwift: Bool) throws {
        let gemm = forceSwift ? DenseGEMM.swiftFallback(pool: threadedPool) : DenseGEMM.shared
        let (m, k, n) = (37, 45, 83)
        let a = try TestMatrices.dense(rows: m, columns: k, seed: 1)
        let b = try TestMatrices.dense(rows: k, columns: n, seed: 2)
        let c0 = try TestMatrices.dense(rows: m, columns: n, seed: 3)
        let ldc = n + 5
        var c = [Float](repeating: .nan, count: m * ldc)
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = c0[i, j] } }
        a.storage.withUnsafeBufferPointer { ab in
            b.storage.withUnsafeBufferPointer { bb in
                c.withUnsafeMutableBufferPointer { cb in
                    gemm.sgemm(
                        m: m, n: n, k: k, alpha: 0.5, a: ab.baseAddress!, lda: k, b: bb.baseAddress!, ldb: n,
                        beta: 2, c: cb.baseAddress!, ldc: ldc)
                }
            }
        }
        let product = referenceGEMM(a, b)
        var got: [Float] = [], want: [Double] = []
        for i in 0..<m {
            for j in 0..<n {
                got.append(c[i * ldc + j])
                want.append(0.5 * product[i * n + j] + 2 * Double(c0[i, j]))
            }
            let paddingUntouched = c[(i * ldc + n)..<(i * ldc + ldc)].allSatisfy { $0.isNaN }
            #expect(paddingUntouched, "padding of row \(i) written")
        }
        #expect(ReferenceSpMM.relativeError(got, reference: want) <= 1e-5)
    }

    /// OpenBLAS 0.3.21 on an Emerald Rapids Xeon (this project's 2-core VM on 2026-12-01) reported
    /// "Prescott": the warning names the core and the variable; a recognised core, a CPU without
    /// AVX2, or no configuration give none.
    @Test func outdatedOpenBLASKernelsAreNamedWithTheFix() throws {
        let seen = "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64"
        let warning = try #require(OpenBLASLibrary.outdatedCoreWarning(config: seen, supported: [.avx512, .avx2, .portable]))
        #expect(warning.contains("runs its Prescott kernels") && warning.contains("OPENBLAS_CORETYPE=SkylakeX"))
        #expect(OpenBLASLibrary.outdatedCoreWarning(config: seen, supported: [.avx2, .portable])?.contains("OPENBLAS_CORETYPE=Haswell") == true)
        #expect(OpenBLASLibrary.outdatedCoreWarning(config: seen, supported: [.portable]) == nil, "no faster kernels to pick")
        #expect(OpenBLASLibrary.outdatedCoreWarning(config: seen.replacingOccurrences(of: "Prescott", with: "SkylakeX"), supported: [.avx512]) == nil)
        #expect(OpenBLASLibrary.outdatedCoreWarning(config: nil, supported: [.avx512]) == nil)
    }

    @Test func reportsItsBackend() {
        let backend = DenseGEMM.shared.backend
        switch backend {
        case let .blas(library, _, _): #expect(!library.isEmpty)
        case let .swift(threads): #expect(threads >= 1 && !DenseGEMM.shared.loadFailures.isEmpty)
        }
        #expect(!backend.description.isEmpty)
        #expect(DenseGEMM.swiftFallback().backend == .swift(threads: CPUWorkerPool.shared.threadCount))
    }

    @Test func naiveCSRMatchesReference() throws {
        let w = try TestMatrices.csr(rows: 23, columns: 31, density: 0.2, seed: 4, emptyRows: [2])
        let x = try TestMatrices.dense(rows: 31, columns: 7, seed: 5)
        var y = [Float](repeating: .nan, count: 23 * 7)
        NaiveCSR(w).multiply(x.storage, into: &y, m: 7)
        let reference = try ReferenceSpMM.multiply(w, x)
        #expect(ReferenceSpMM.relativeError(y, reference: reference.storage) <= 1e-5)
    }
}

@Suite struct OpenBLASLoadingTests {
    @Test func failureNamesTheLibraryOnceAndGivesAnInstallHint() {
        let name = "libsparrow-no-such-blas.so.0"
        let (library, failures) = OpenBLASLibrary.load(names: [name])
        #expect(library == nil)
        #expect(failures == ["\(name): cannot open shared object file: No such file or directory"])
        #expect(OpenBLASLibrary.installHint.contains("apt-get install libopenblas0-pthread"))
        #expect(OpenBLASLibrary.installHint.contains("scipy-openblas32"))
    }

    @Test func installHintOnlyWhenLoadingWasTriedAndFailed() {
        #expect(DenseGEMM.swiftFallback().installHint == nil)
        let shared = DenseGEMM.shared
        switch shared.backend {
        case .blas: #expect(shared.installHint == nil)
        case .swift: #expect(shared.installHint != nil || shared.loadFailures.isEmpty)
        }
    }

    #if os(Linux)
    @Test func aLibraryWithoutCBLASIsSkippedWithAReason() {
        // libm is a real library with no cblas_sgemm under either prefix.
        let (library, failures) = OpenBLASLibrary.load(names: ["libm.so.6"])
        #expect(library == nil)
        #expect(failures == ["libm.so.6: no cblas_sgemm (a BLAS without the CBLAS interface)"])
    }
    #endif
}

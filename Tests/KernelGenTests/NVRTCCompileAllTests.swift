import CUDA
import Foundation
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

/// NVRTC for the compile tests, or why there is none (CI installs the `nvidia-cuda-nvrtc` and
/// `nvidia-cuda-runtime` wheels; no GPU is needed).
let corpusNVRTC: Result<NVRTC, CUDAError> = NVRTC.shared
let corpusNVRTCSkipReason: Comment = {
    guard case let .failure(error) = corpusNVRTC else { return "NVRTC loaded" }
    return Comment(rawValue: "NVRTC not loadable (pip install nvidia-cuda-nvrtc nvidia-cuda-runtime): \(error)")
}()

/// Compiles every kernel of the corpus to CUBIN for sm_80 and sm_90 with NVRTC and requires a
/// ptxas report with registers > 0 and no spill stores or loads.
@Suite(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
struct NVRTCCompileAllTests {
    /// Failures recorded in full; beyond this only a count (a broken header would fail them all).
    static let detailedFailureLimit = 20

    @Test func everyKernelCompilesToCubinWithoutSpills() async throws {
        let nvrtc = try corpusNVRTC.get()
        #expect(nvrtc.supportedArchitectures.isEmpty || Set([80, 90]).isSubset(of: nvrtc.supportedArchitectures))
        let coverage = ProcessInfo.processInfo.environment["SPARROW_KERNEL_COVERAGE"]
            .flatMap(KernelCorpus.Coverage.init(rawValue:)) ?? .standard
        let corpus = coverage == .standard ? try KernelCorpus.standard.get() : try KernelCorpus(coverage: coverage)
        let workers = KernelCorpus.workerCount
        let start = Date()
        let outcomes = await KernelCorpus.compileAll(corpus.jobs, with: nvrtc, workers: workers)
        let elapsed = Date().timeIntervalSince(start)

        let problems = outcomes.compactMap(\.problem)
        for problem in problems.prefix(Self.detailedFailureLimit) { Issue.record(Comment(rawValue: problem)) }
        if problems.count > Self.detailedFailureLimit {
            Issue.record("\(problems.count) kernels failed in all; the first \(Self.detailedFailureLimit) are shown")
        }
        #expect(outcomes.count == corpus.jobs.count)
        #expect(problems.isEmpty)

        var report = [
            "NVRTC \(nvrtc.versionString): \(outcomes.count) unique kernels (\(corpus.renderedCount) renderings, "
                + "coverage \(coverage.rawValue)) compiled in \(String(format: "%.1f", elapsed)) s on \(workers) workers, "
                + "\(problems.count) failed or spilled"
        ]
        for architecture in [80, 90] {
            let measured = outcomes.filter { $0.job.architecture == architecture }
                .compactMap { outcome in outcome.usage.map { (outcome.job, $0) } }
                .sorted { $0.1.registers < $1.1.registers }
            guard let low = measured.first, let high = measured.last else { continue }
            let median = measured[measured.count / 2].1.registers
            let seconds = outcomes.filter { $0.job.architecture == architecture }.map(\.seconds)
            report.append(
                "sm_\(architecture): \(measured.count) kernels, registers min \(low.1.registers) (\(low.0.label)), "
                    + "median \(median), max \(high.1.registers) (\(high.0.label)); "
                    + "mean compile \(String(format: "%.0f", 1000 * seconds.reduce(0, +) / Double(max(1, seconds.count)))) ms")
            #expect(high.1.registers <= BlockRules.maxRegistersPerThread)
        }
        print(report.joined(separator: "\n"))
    }

    @Test func aFailedCompileNamesTheConfigAndCarriesTheLog() throws {
        let nvrtc = try corpusNVRTC.get()
        // The last CSR-family kernel (the compact and bitmap kernels name their lane and column otherwise).
        let job = try #require(try KernelCorpus(shapes: [KernelCorpus.shapes[0]], specialised: false).jobs.last { SpMMSpace.csrFamilies.contains($0.config.family) })
        let broken = job.source.replacingOccurrences(of: "const int lane = threadIdx.x;", with: "const int lane = undeclared_lane;")
            .replacingOccurrences(of: "const int col = blockIdx.x", with: "const int col = undeclared_lane + blockIdx.x")
        #expect(broken != job.source)
        let message = try #require(KernelCorpus.compile(job, with: nvrtc, source: broken).problem)
        #expect(message.contains(job.config.description))
        #expect(message.contains("sm_\(job.architecture)"))
        #expect(message.contains("undeclared_lane"))
        #expect(message.contains("compile failed"))
        // And the unbroken source is fine.
        #expect(KernelCorpus.compile(job, with: nvrtc).problem == nil)
    }
}

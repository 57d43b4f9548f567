import CUDA
import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// NVRTC for the compile tests, or why there is none (CI installs the `nvidia-cuda-nvrtc` and
/// `nvidia-cuda-runtime` wheels; no GPU is needed).
let corpusNVRTC: Result<NVRTC, CUDAError> = NVRTC.shared
let corpusNVRTCSkipReason: Comment = {
    guard case let .failure(error) = corpusNVRTC else { return "NVRTC loaded" }
    return Comment(rawValue: "NVRTC not loadable (pip install nvidia-cuda-nvrtc nvidia-cuda-runtime): \(error)")
}()

/// The corpus itself: which kernels it holds and that deduplication loses none. No NVRTC needed.
@Suite struct KernelCorpusTests {
    @Test func coversEveryKnobDtypeEpilogueOrderingAndArchitecture() throws {
        let corpus = try KernelCorpus()
        let jobs = corpus.jobs
        #expect(Set(jobs.map(\.architecture)) == [80, 90])
        #expect(Set(jobs.map(\.elementType)) == [.f32, .f16, .bf16])
        #expect(Set(jobs.map(\.epilogue)) == Set(Epilogue.allCases))
        #expect(Set(jobs.map(\.rowOrdering)) == Set(RowOrdering.allCases))
        for epilogue in Epilogue.allCases {
            for ordering in RowOrdering.allCases {
                #expect(jobs.contains { $0.epilogue == epilogue && $0.rowOrdering == ordering }, "\(epilogue)/\(ordering)")
            }
        }
        #expect(Set(jobs.map(\.config.variant)) == Set(SpMMConfig.Variant.allCases))
        let tiled = jobs.filter { $0.config.variant == .tiled }.map(\.config)
        #expect(Set(tiled.map(\.vectorWidth)) == [1, 2, 4, 8])
        #expect(Set(tiled.map(\.subwarpSize)) == Set(SpMMConfig.subwarpSizes))
        #expect(Set(tiled.map(\.chunkSize)) == Set(KernelGen.chunkChoices))
        #expect(Set(tiled.map(\.vectorsPerThread)) == Set(KernelGen.vectorsPerThreadChoices))
        #expect(Set(tiled.map(\.doubleBuffered)) == [false, true])
        #expect(Set(jobs.flatMap(\.problems).map { String($0.prefix { $0 != "/" }) }) == Set(KernelCorpus.shapes.map(\.name)))
        // Deduplication happened (several problems share configs) and kept bodies distinct.
        #expect(corpus.renderedCount > jobs.count)
        let keys = jobs.map { "\($0.architecture)|" + KernelCorpus.body(of: $0.source) }
        #expect(Set(keys).count == jobs.count)
        #expect(jobs.allSatisfy { $0.source.hasPrefix("// spmm n=") && $0.source.contains("\($0.entryPoint)(") })
    }

    /// Every config of every representative space reaches the corpus exactly once per dtype and
    /// architecture, and every combination occurs for every dtype and architecture.
    @Test func everyConfigOfEverySpaceIsCompiledOnce() throws {
        let corpus = try KernelCorpus()
        struct Key: Hashable {
            var config: SpMMConfig, type: ElementType, arch: Int
        }
        var counts: [Key: Int] = [:]
        for job in corpus.jobs { counts[Key(config: job.config, type: job.elementType, arch: job.architecture), default: 0] += 1 }
        var expected = Set<Key>()
        for shape in KernelCorpus.shapes {
            for device in KernelCorpus.devices {
                let arch = device.computeCapability.major * 10 + device.computeCapability.minor
                for type in KernelCorpus.elementTypes {
                    let problem = try KernelCorpus.problem(shape, type, .none, .identity, device)
                    for config in KernelGen.configSpace(for: problem) {
                        expected.insert(Key(config: config, type: type, arch: arch))
                    }
                }
            }
        }
        #expect(expected.count > 1000)
        #expect(Set(counts.keys) == expected)
        #expect(counts.values.allSatisfy { $0 == 1 })
        for type in KernelCorpus.elementTypes {
            for arch in [80, 90] {
                let present = corpus.jobs.filter { $0.elementType == type && $0.architecture == arch }
                for (epilogue, ordering) in KernelCorpus.combinations {
                    #expect(
                        present.contains { $0.epilogue == epilogue && $0.rowOrdering == ordering },
                        "\(type) sm_\(arch) never compiled with \(epilogue)/\(ordering)")
                }
            }
        }
    }

    @Test func fullCoverageHasEveryCombinationOfEveryConfig() throws {
        let shape = KernelCorpus.shapes[1]  // M = 1: the smallest space
        let standard = try KernelCorpus(shapes: [shape])
        let full = try KernelCorpus(coverage: .full, shapes: [shape])
        #expect(full.jobs.count == standard.jobs.count * KernelCorpus.combinations.count)
    }

    @Test func bodyDropsOnlyTheHeader() throws {
        let kernel = try KernelGen.render(try makeProblem(), baseTiled)
        let body = KernelCorpus.body(of: kernel.source)
        #expect(!body.contains("// spmm n=") && !body.contains("kernelgen v"))
        #expect(kernel.source.hasSuffix(body))
        #expect(body.contains("extern \"C\" __global__ void\n\(kernel.entryPoint)("))
        // Same config and combination, another shape: same body.
        let other = try KernelGen.render(try makeProblem(n: 77, k: 4096, m: 1024, nnz: 900, maxRowLength: 300), baseTiled)
        #expect(other.source != kernel.source)
        #expect(KernelCorpus.body(of: other.source) == body)
    }

    @Test func spillsAndMissingReportsAreNamedWithTheirConfig() throws {
        let job = try #require(try KernelCorpus(shapes: [KernelCorpus.shapes[0]]).jobs.first)
        var usage = KernelResourceUsage(function: job.entryPoint, registers: 40)
        #expect(CompileOutcome(job: job, result: .compiled(usage: usage, isCubin: true, log: "ok"), seconds: 0).problem == nil)
        usage.spillStoreBytes = 8
        let spilled = try #require(
            CompileOutcome(job: job, result: .compiled(usage: usage, isCubin: true, log: "ptxas log text"), seconds: 0).problem)
        #expect(spilled.contains(job.config.description) && spilled.contains("8 B stores") && spilled.contains("ptxas log text"))
        let unreported = try #require(
            CompileOutcome(job: job, result: .compiled(usage: nil, isCubin: true, log: "empty"), seconds: 0).problem)
        #expect(unreported.contains(job.config.description) && unreported.contains("no ptxas report"))
        let ptx = CompileOutcome(job: job, result: .compiled(usage: usage, isCubin: false, log: ""), seconds: 0)
        #expect(ptx.problem?.contains("no CUBIN") == true)
    }
}

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
        let corpus = try KernelCorpus(coverage: coverage)
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
            #expect(high.1.registers <= SpMMConfig.maxRegistersPerThread)
        }
        print(report.joined(separator: "\n"))
    }

    @Test func aFailedCompileNamesTheConfigAndCarriesTheLog() throws {
        let nvrtc = try corpusNVRTC.get()
        let job = try #require(try KernelCorpus(shapes: [KernelCorpus.shapes[0]]).jobs.last)
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

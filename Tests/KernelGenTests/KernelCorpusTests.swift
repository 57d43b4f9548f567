import CUDA
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

/// The corpus itself: which kernels it holds and that deduplication loses none. No NVRTC needed.
@Suite struct KernelCorpusTests {
    @Test func coversEveryKnobDtypeEpilogueOrderingAndArchitecture() throws {
        let corpus = try KernelCorpus.standard.get()
        let jobs = corpus.jobs
        #expect(Set(jobs.map(\.architecture)) == [80, 90])
        #expect(Set(jobs.map(\.elementType)) == [.f32, .f16, .bf16])
        #expect(Set(jobs.map(\.epilogue)) == Set(Epilogue.allCases))
        #expect(Set(jobs.map(\.rowOrdering)) == Set(KernelCorpus.orderings))
        for epilogue in Epilogue.allCases {
            for ordering in KernelCorpus.orderings {
                #expect(jobs.contains { $0.epilogue == epilogue && $0.rowOrdering == ordering }, "\(epilogue)/\(ordering)")
            }
        }
        #expect(Set(jobs.map(\.config.family)) == Set(SpMMConfig.Family.allCases))
        let tiled = jobs.compactMap(\.config.asTiled)
        #expect(Set(tiled.map(\.vectorWidth)) == Set(TiledConfig.vectorWidths))
        #expect(Set(tiled.map(\.subwarpSize)) == Set(TiledConfig.subwarpSizes))
        #expect(Set(tiled.map(\.chunkSize)) == [32, 64, 128])
        #expect(Set(tiled.map(\.vectorsPerThread)) == [1, 2, 4])
        #expect(Set(tiled.map(\.doubleBuffered)) == [false, true])
        #expect(Set(jobs.filter { $0.config.family != .specialised }.flatMap(\.problems).map { String($0.prefix { $0 != "/" }) }) == Set(KernelCorpus.shapes.map(\.name)))
        // Deduplication happened (several problems share configs) and kept bodies distinct.
        #expect(corpus.renderedCount > jobs.count)
        let keys = jobs.map { "\($0.architecture)|" + KernelCorpus.body(of: $0.source) }
        #expect(Set(keys).count == jobs.count)
        #expect(jobs.allSatisfy { $0.source.hasPrefix("// spmm n=") && $0.source.contains("\($0.entryPoint)(") })
    }

    /// Every config of every representative space reaches the corpus exactly once per dtype and
    /// architecture, and every combination occurs for every dtype and architecture.
    @Test func everyConfigOfEverySpaceIsCompiledOnce() throws {
        let corpus = try KernelCorpus.perConfig.get()
        struct Key: Hashable {
            var config: SpMMConfig, type: ElementType, arch: Int
        }
        var counts: [Key: Int] = [:]
        for job in corpus.jobs where job.config.family != .specialised { counts[Key(config: job.config, type: job.elementType, arch: job.architecture), default: 0] += 1 }
        // The CSR families' bodies do not depend on the shape: once per (config, dtype, arch). The
        // compact kernel is specialised on the shape: once per shape whose space holds it; the bitmap
        // and 2:4 kernels on n, k and m only (bitmap and fragment-COO also on the fullest 16 x 16 block): once per
        // distinct (n, k, m) (dlmc-m256 and empty-m256 share one).
        var expected: [Key: Int] = [:]
        var bitmapShapes: [Key: Set<[Int]>] = [:]
        for shape in KernelCorpus.shapes {
            for device in KernelCorpus.devices {
                let arch = device.computeCapability.major * 10 + device.computeCapability.minor
                for type in KernelCorpus.elementTypes {
                    let problem = try KernelCorpus.problem(shape, type, .none, .identity, device)
                    for config in KernelCorpus.space.configs(for: problem) {
                        let key = Key(config: config, type: type, arch: arch)
                        switch config.family {
                        case .compact: expected[key, default: 0] += 1
                        case .bitmap, .twoFour, .fragmentCOO:
                            // The bitmap and fragment-COO slots are sized by the fullest block too.
                            let fullest = config.family == .twoFour ? 0 : problem.maxBlockEntries
                            bitmapShapes[key, default: []].insert([shape.n, shape.k, shape.m, fullest])
                            expected[key] = bitmapShapes[key]?.count
                        default: expected[key] = 1
                        }
                    }
                }
            }
        }
        #expect(expected.count > 1000)
        #expect(counts == expected)
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

    /// CI's sample: every two knob values that occur together in a family's space (config id
    /// parts, dtype, architecture, epilogue, row ordering) occur together in a sampled kernel; every
    /// family in every (dtype, arch) pair; a small part of the per-pair corpus.
    @Test func theSampleCoversEveryPairOfKnobValuesAndEveryFamilyForEveryPair() throws {
        let configs = try KernelCorpus.perConfig.get()
        let sample = try KernelCorpus.standard.get()
        func valuePairs(_ jobs: [KernelCorpus.Job]) -> Set<String> {
            var pairs = Set<String>()
            for job in jobs where job.config.family != .specialised && !KernelCorpus.sampledByItsFamily(job.config) {
                let knobs = KernelCorpus.knobs(job.config, job.elementType, job.architecture, job.epilogue, job.rowOrdering)
                for pair in PairwiseCover.valuePairs(knobs) { pairs.insert("\(job.config.family) \(pair)") }
            }
            return pairs
        }
        let every = valuePairs(configs.jobs)
        #expect(every.count > 1000)
        #expect(valuePairs(sample.jobs) == every)
        for type in KernelCorpus.elementTypes {
            for arch in [80, 90] {
                let whole = configs.jobs.filter { $0.elementType == type && $0.architecture == arch }
                let part = sample.jobs.filter { $0.elementType == type && $0.architecture == arch }
                #expect(!part.isEmpty || whole.isEmpty, "\(type) sm_\(arch)")
                #expect(Set(part.map(\.config.family)) == Set(whole.map(\.config.family)), "\(type) sm_\(arch)")
            }
        }
        let sampled = sample.jobs.filter { $0.config.family != .specialised }.count
        let all = configs.jobs.filter { $0.config.family != .specialised }.count
        #expect(Double(sampled) < 0.1 * Double(all), "\(sampled) of \(all)")
    }

    /// The greedy cover on a made-up space: every value pair covered, fewer kernels than candidates.
    @Test func thePairwiseCoverCoversEveryValuePairWithFewCandidates() throws {
        let configs = KernelCorpus.space.configs(for: try KernelCorpus.problem(KernelCorpus.shapes[0], .f16, .none, .identity, .sm90))
            .filter { $0.family == .tiled }
        let candidates = configs.flatMap { config in
            KernelCorpus.elementTypes.map { KernelCorpus.SamplePair(config: config, type: $0, architecture: 90) }
        }
        let cover = PairwiseCover.cover(candidates, key: { "\($0.config)/\($0.type.rawValue)" }, knobs: KernelCorpus.knobs)
        func pairs(_ list: [KernelCorpus.SamplePair]) -> Set<String> {
            Set(list.flatMap { PairwiseCover.valuePairs(KernelCorpus.knobs($0)) })
        }
        #expect(pairs(cover) == pairs(candidates))
        #expect(cover.count * 10 < candidates.count, "\(cover.count) of \(candidates.count)")
        #expect(Set(cover).count == cover.count)
    }

    @Test func fullCoverageHasEveryCombinationOfEveryConfig() throws {
        let shape = KernelCorpus.shapes[1]  // M = 1: the smallest space
        let standard = try KernelCorpus(coverage: .configs, shapes: [shape], specialised: false)
        let full = try KernelCorpus(coverage: .full, shapes: [shape], specialised: false)
        #expect(full.jobs.count == standard.jobs.map { KernelCorpus.legalCombinations($0.config).count }.reduce(0, +))
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

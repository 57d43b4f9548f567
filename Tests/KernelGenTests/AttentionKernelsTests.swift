import CUDA
import Foundation
import SparseFormats
import Synchronization
import Testing

@testable import KernelGen

/// The sparse attention kernels (KernelGen/Attention): config ids and rules, launch geometry,
/// sources naming what they were generated for, and NVRTC compiles to CUBIN for sm_80 and sm_90
/// without spills.
struct AttentionKernelsTests {
    static func problem(_ d: Int = 64, _ type: ElementType = .f16, _ device: DeviceLimits = .sm90) throws -> AttentionProblem {
        try AttentionProblem(headSize: d, elementType: type, device: device)
    }

    @Test func idsRoundTripAndEveryConfigOfTheSpaceIsLegal() throws {
        #expect(AttentionConfig.all.count == (3 * 3 * 2 + 2 * 2 * 1) * 4 + 4 + 4)
        for config in AttentionConfig.all {
            #expect(try AttentionConfig(parsing: config.identifier) == config)
            for d in AttentionProblem.headSizes {
                #expect(throws: Never.self) { try config.validate(for: try Self.problem(d)) }
            }
        }
        #expect(try AttentionConfig(parsing: "tc.w8.k64.s2.t8") == AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: 8))
        #expect(try AttentionConfig(parsing: "tc.w8.k64.s2") == AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2))
        #expect(try AttentionConfig(parsing: "wg.w8.k64.s2.t8") == AttentionConfig(.warpGroup, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: 8))
        #expect(throws: AttentionConfigError.unparsable("tc.w8.k64.s2.x8")) { try AttentionConfig(parsing: "tc.w8.k64.s2.x8") }
        #expect(throws: AttentionConfigError.unparsable("rw.w4.t8")) { try AttentionConfig(parsing: "rw.w4.t8") }
        #expect(throws: AttentionConfigError.unparsable("tc.w4")) { try AttentionConfig(parsing: "tc.w4") }
        #expect(throws: AttentionConfigError.unparsable("xx.w4")) { try AttentionConfig(parsing: "xx.w4") }
    }

    @Test func invalidProblemsAndConfigsAreRefusedByName() throws {
        #expect(throws: AttentionConfigError.unsupportedHeadSize(48)) { try Self.problem(48) }
        #expect(throws: AttentionConfigError.unsupportedElementType(.f32)) { try Self.problem(64, .f32) }
        let p = try Self.problem(128)
        #expect(throws: AttentionConfigError.unsupportedKnob(variant: "tc", field: "warps", value: 3, allowed: [2, 4, 8])) {
            try AttentionConfig(.tensorCore, warps: 3, keysPerTile: 64, stages: 2).validate(for: p)
        }
        // wgmma: whole warpgroups, and compute capability 9.0 alone.
        #expect(throws: AttentionConfigError.unsupportedKnob(variant: "wg", field: "warps", value: 2, allowed: [4, 8])) {
            try AttentionConfig(.warpGroup, warps: 2, keysPerTile: 64, stages: 2).validate(for: p)
        }
        let blackwell = DeviceLimits(computeCapability: .init(major: 10, minor: 0), multiprocessorCount: 148, maxSharedMemoryPerBlockOptIn: 227 * 1024)
        let wg = AttentionConfig(.warpGroup, warps: 4, keysPerTile: 64, stages: 2)
        #expect(wg.runs(on: DeviceLimits.sm90.computeCapability) && !wg.runs(on: blackwell.computeCapability) && !wg.runs(on: DeviceLimits.sm80.computeCapability))
        #expect(AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2).runs(on: blackwell.computeCapability))
        for device in [DeviceLimits.sm80, blackwell] {
            #expect(throws: AttentionConfigError.needsSM90a(device.computeCapability)) {
                try AttentionConfig(.warpGroup, warps: 4, keysPerTile: 64, stages: 2).validate(for: try Self.problem(64, .f16, device))
            }
        }
        #expect(throws: AttentionConfigError.unsupportedKnob(variant: "rw", field: "keysPerTile", value: 64, allowed: [32])) {
            try AttentionConfig(.rowWarp, warps: 4, keysPerTile: 64).validate(for: p)
        }
        #expect(throws: AttentionConfigError.unsupportedKnob(variant: "tc", field: "tilesPerSplit", value: 5, allowed: [0, 2, 8, 32])) {
            try AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2, tilesPerSplit: 5).validate(for: p)
        }
        #expect(throws: AttentionConfigError.unsupportedKnob(variant: "rw", field: "tilesPerSplit", value: 8, allowed: [0])) {
            try AttentionConfig(.rowWarp, warps: 4, tilesPerSplit: 8).validate(for: p)
        }
        var volta = DeviceLimits.sm80
        volta.computeCapability = ComputeCapability(major: 7, minor: 0)
        #expect(throws: AttentionConfigError.needsSM80(volta.computeCapability)) {
            try AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2).validate(for: try Self.problem(64, .f16, volta))
        }
        var small = DeviceLimits.sm80
        small.maxSharedMemoryPerBlockOptIn = 64 * 1024
        let big = AttentionConfig(.tensorCore, warps: 4, keysPerTile: 128, stages: 2)
        #expect(throws: AttentionConfigError.sharedMemoryExceedsOptIn(bytes: (2 * 2 * 128 + 64) * 136 * 2 + 3 * 8 * 64 * 4 + big.staticSharedMemoryBytes, limit: 64 * 1024)) {
            try big.validate(for: try Self.problem(128, .f16, small))
        }
        #expect(throws: AttentionShapeError.emptySequence(0)) { try AttentionShape(length: 0, batchHeads: 1, segmentsPerRow: 1, nnz: 0) }
        #expect(throws: AttentionShapeError.viewStride(9, length: 8)) { try AttentionShape(length: 8, batchHeads: 1, segmentsPerRow: 1, viewStride: 9, nnz: 0) }
        let wide = try AttentionShape(length: 100, batchHeads: 2, segmentsPerRow: 9, nnz: 100)
        #expect(throws: AttentionShapeError.segmentsPerRow(9, limit: 8)) { try AttentionKernels.fused(p, wide, AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64)) }
        let heads = try AttentionShape(length: 100, batchHeads: 70000, segmentsPerRow: 1, nnz: 100)
        #expect(throws: AttentionShapeError.gridTooLarge(dimension: "y (batch x heads)", blocks: 70000, limit: 65535)) {
            try AttentionKernels.fused(p, heads, AttentionConfig(.rowWarp, warps: 4))
        }
    }

    @Test func gridsCoverEveryQueryOfEveryResidueClass() throws {
        let p = try Self.problem()
        // 1000 queries at view stride 4: 250 per class, 64 per block -> 4 blocks per class, 16 in all.
        let shape = try AttentionShape(length: 1000, batchHeads: 6, segmentsPerRow: 2, viewStride: 4, nnz: 1000)
        let tc = try AttentionKernels.fused(p, shape, AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2))
        #expect(tc.grid == LaunchDimensions(x: 16, y: 6) && tc.block.x == 128)
        // K and V (2 stages), Q, and the segment table of 2 segments a row.
        #expect(tc.dynamicSharedMemoryBytes == (2 * 2 * 64 + 64) * 72 * 2 + 3 * 2 * 64 * 4)
        let odd = try AttentionShape(length: 1001, batchHeads: 1, segmentsPerRow: 1, viewStride: 4, nnz: 1)
        // Class 0 holds 251 queries: 4 x 64 covers it.
        #expect(try AttentionKernels.fused(p, odd, AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64)).grid.x == 16)
        let rw = try AttentionKernels.fused(p, shape, AttentionConfig(.rowWarp, warps: 8))
        #expect(rw.grid == LaunchDimensions(x: 125, y: 6) && rw.dynamicSharedMemoryBytes == 0)
        let three = try AttentionKernels.unfused(p, shape, AttentionConfig(.unfused, warps: 4))
        #expect(three.map(\.grid) == Array(repeating: LaunchDimensions(x: 250, y: 6), count: 3))
        #expect(throws: AttentionConfigError.self) { try AttentionKernels.fused(p, shape, AttentionConfig(.unfused, warps: 4)) }
    }

    @Test func sourcesNameWhatTheyWereGeneratedFor() throws {
        let shape = try AttentionShape(length: 4096, batchHeads: 16, segmentsPerRow: 2, nnz: 4096 * 257)
        for type in AttentionProblem.elementTypes {
            let p = try Self.problem(128, type)
            let kernel = try AttentionKernels.fused(p, shape, AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2))
            #expect(kernel.source.hasPrefix("// sparrow attention fused attention d=128 dtype=\(type.rawValue) sm=sm_90 cfg=tc.w4.k64.s2 L=4096 bh=16"))
            #expect(kernel.source.contains("desk check:"))
            #expect(kernel.source.contains("mma.sync.aligned.m16n8k16.row.col.f32.\(type.rawValue).\(type.rawValue).f32"))
            #expect(kernel.source.contains("extern \"C\" __global__ void __launch_bounds__(NW * 32) \(kernel.entryPoint)("))
            let wg = try AttentionKernels.fused(p, shape, AttentionConfig(.warpGroup, warps: 8, keysPerTile: 64, stages: 2))
            #expect(wg.source.contains("cfg=wg.w8.k64.s2") && wg.minimumComputeCapability == ComputeCapability(major: 9, minor: 0))
            #expect(wg.source.contains("wgmma.mma_async.sync.aligned.m64n64k16.f32.\(type.rawValue).\(type.rawValue)"))
            #expect(wg.source.contains("wgmma.mma_async.sync.aligned.m64n128k16.f32.\(type.rawValue).\(type.rawValue)"))
            #expect(wg.source.contains("fence.proxy.async.shared::cta") && !wg.source.contains("mma16816(oacc") && !wg.source.contains("mma16816(sc"))
            for k in try AttentionKernels.unfused(p, shape, AttentionConfig(.unfused, warps: 2)) {
                #expect(k.source.contains(k.entryPoint + "("))
                #expect(k.entryPoint.hasPrefix("sparrow_attention_"))
            }
        }
    }

    /// One kernel of the compile sample: a config's source at a head size and type, for one architecture.
    struct SampleJob {
        var source: KernelSource
        var config: AttentionConfig
        var d: Int
        var type: ElementType
        var architecture: Int
    }

    /// The knobs of a (config, head size, type, architecture) for the cover: the variant, whether
    /// it splits, the kernel identifier's numbered parts (`w4`, `k64`, `s2`:
    /// ``PairwiseCover/knobs(ofID:)``), the head size, the type and the architecture.
    static func sampleKnobs(_ config: AttentionConfig, _ d: Int, _ type: ElementType, _ architecture: Int) -> [String] {
        ["variant=\(config.variant.rawValue)", "split=\(config.splits)"] + PairwiseCover.knobs(ofID: config.kernelIdentifier)
            + ["d=\(d)", "type=\(type.rawValue)", "arch=\(architecture)"]
    }

    /// CI's bounded sample: an all-pairs cover (``PairwiseCover``) of every (config, head size,
    /// type, architecture) that can be compiled (wgmma's `wg` on sm_90 alone; every split length
    /// T > 0 one kernel): every two knob values that occur together somewhere occur together in a
    /// sampled kernel. With `SPARROW_KERNEL_COVERAGE=full`, every config at every (head size, type)
    /// for both architectures. (Every config once for both architectures, 223 kernels, took 338 s of
    /// the test command on a 2-core AMD EPYC VM.)
    static func compileSample(full: Bool) throws -> [SampleJob] {
        // Global 16 + window 64: the split configs' plans cut block 0's walk.
        let pattern = try ACSR(try AttentionPattern(parsing: "global:16+window:64"), length: 1000)
        let shape = try AttentionShape(length: 1000, batchHeads: 2, segmentsPerRow: pattern.segmentsPerRow, nnz: pattern.nnz)
        struct Candidate { var config: AttentionConfig, d: Int, type: ElementType, architecture: Int }
        var seenKernels = Set<String>()
        let candidates = AttentionConfig.all.flatMap { config in
            AttentionProblem.headSizes.flatMap { d in
                AttentionProblem.elementTypes.flatMap { type in
                    [80, 90].filter { $0 == 90 || config.variant != .warpGroup }.map { Candidate(config: config, d: d, type: type, architecture: $0) }
                }
            }
        }.filter { seenKernels.insert("\($0.config.kernelIdentifier)/\($0.d)/\($0.type.rawValue)/\($0.architecture)").inserted }
        let chosen = full ? candidates : PairwiseCover.cover(
            candidates, key: { "\($0.config.kernelIdentifier)/\($0.d)/\($0.type.rawValue)/\($0.architecture)" },
            knobs: { sampleKnobs($0.config, $0.d, $0.type, $0.architecture) })
        return try chosen.flatMap { candidate in
            let config = candidate.config
            let p = try problem(candidate.d, candidate.type)
            let plan = config.splits ? try AttentionSplitPlan(pattern: pattern, viewStride: 1, config: config) : nil
            let made = config.variant == .unfused ? try AttentionKernels.unfused(p, shape, config) : [try AttentionKernels.fused(p, shape, config, plan: plan)]
            return made.map { SampleJob(source: $0, config: config, d: candidate.d, type: candidate.type, architecture: candidate.architecture) }
        }
    }

    /// The sample covers every value pair of the compilable space, in far fewer kernels.
    @Test func theCompileSampleCoversEveryPairOfKnobValues() throws {
        func pairs(_ jobs: [SampleJob]) -> Set<String> {
            Set(jobs.flatMap { PairwiseCover.valuePairs(Self.sampleKnobs($0.config, $0.d, $0.type, $0.architecture)) })
        }
        let sample = try Self.compileSample(full: false), all = try Self.compileSample(full: true)
        #expect(pairs(sample) == pairs(all))
        #expect(sample.count * 4 < all.count, "\(sample.count) of \(all.count)")
        #expect(Set(sample.map(\.config.variant)) == Set(AttentionConfig.Variant.allCases))
    }

    @Test(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
    func sampleCompilesForSM80AndSM90WithoutSpills() async throws {
        let nvrtc = try corpusNVRTC.get()
        let full = ProcessInfo.processInfo.environment["SPARROW_KERNEL_COVERAGE"] == "full"
        let jobs = try Self.compileSample(full: full)
        if let folder = ProcessInfo.processInfo.environment["SPARROW_DUMP_ATTENTION"] {
            for job in jobs { try job.source.source.write(toFile: "\(folder)/\(job.source.entryPoint)_sm\(job.architecture).cu", atomically: true, encoding: .utf8) }
        }
        let start = Date()
        let failures = Mutex<[String]>([]), registers = Mutex<[Int]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
                    let (architecture, kernel, config) = (jobs[index].architecture, jobs[index].source, jobs[index].config)
                    do {
                        let compiled = try nvrtc.compile(
                            kernel.source, name: "\(kernel.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: architecture))
                        if let usage = compiled.resources(of: kernel.entryPoint) {
                            registers.withLock { $0.append(usage.registers) }
                            if usage.spills { failures.withLock { $0.append("\(kernel.entryPoint) sm_\(architecture): spills \(usage.spillStoreBytes)/\(usage.spillLoadBytes) B\n\(compiled.log)") } }
                            // The validation counts the tensor-core kernel's static shared memory by formula; ptxas is the truth.
                            if config.usesTensorCores, usage.sharedMemoryBytes != config.staticSharedMemoryBytes {
                                failures.withLock { $0.append("\(kernel.entryPoint) sm_\(architecture): \(usage.sharedMemoryBytes) B static shared memory, the config counts \(config.staticSharedMemoryBytes)") }
                            }
                        } else {
                            failures.withLock { $0.append("\(kernel.entryPoint) sm_\(architecture): no ptxas report") }
                        }
                    } catch {
                        failures.withLock { $0.append("\(kernel.entryPoint) sm_\(architecture): \(error)") }
                    }
                }
                done.resume()
            }
        }
        let found = failures.withLock { $0 }
        #expect(found.isEmpty, Comment(rawValue: found.prefix(5).joined(separator: "\n")))
        let r = registers.withLock { $0 }
        print("attention sample: \(jobs.count) kernels (sm_80 and sm_90) in "
              + "\(String(format: "%.1f", Date().timeIntervalSince(start))) s, registers \(r.min() ?? 0)...\(r.max() ?? 0)")
    }
}

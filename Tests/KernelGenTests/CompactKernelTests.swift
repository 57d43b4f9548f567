import CUDA
import Foundation
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

/// An LLM-decoding-like problem: 4096 x 11008 at half density (rows of about 5504 entries).
func llmProblem(m: Int = 16, type: ElementType = .f16, device: DeviceLimits = .sm90, epilogue: Epilogue = .none) throws -> SpMMProblem {
    try makeProblem(n: 4096, k: 11008, m: m, nnz: 4096 * 5504, maxRowLength: 5700, type: type, epilogue: epilogue, device: device)
}

let baseCompact = CompactConfig(format: .csr16, warps: 8, vectorWidth: 8, unroll: 2, split: 1, blocksPerSM: 2, chunk: 4096)

@Suite struct CompactConfigTests {
    @Test func idRoundTripsForBothFormats() throws {
        for format in CompactConfig.IndexFormat.allCases {
            var config = baseCompact
            config.format = format
            let parsed = try SpMMConfig(parsing: SpMMConfig.compact(config).description)
            #expect(parsed == .compact(config))
        }
        #expect(SpMMConfig.compact(baseCompact).description == "compact.i16.w8.v8.u2.s1.b2.k4096")
        #expect(configError { _ = try SpMMConfig(parsing: "compact.i8.w8.v8.u2.s1.b2.k4096") } == .unparsable("compact.i8.w8.v8.u2.s1.b2.k4096"))
        #expect(configError { _ = try SpMMConfig(parsing: "compact.i16.w8.v8.u2.s1.b2") } == .unparsable("compact.i16.w8.v8.u2.s1.b2"))
    }

    @Test func doubleBufferingIsAnOptionalIdFieldForWholeRowsInOneChunk() throws {
        var config = baseCompact
        config.doubleBuffered = true
        config.chunk = 16384
        #expect(SpMMConfig.compact(config).description == "compact.i16.w8.v8.u2.s1.b2.k16384.db1")
        #expect(try SpMMConfig(parsing: "compact.i16.w8.v8.u2.s1.b2.k16384.db1") == .compact(config))
        // Ids from before the knob are single-buffered; db0 is never written, so it is not an id.
        #expect(try SpMMConfig(parsing: "compact.i16.w8.v8.u2.s1.b2.k4096") == .compact(baseCompact))
        for bad in ["compact.i16.w8.v8.u2.s1.b2.k4096.db0", "compact.i16.w8.v8.u2.s1.b2.k4096.db2", "compact.i16.w8.v8.u2.s1.b2.k4096.db1.pf1"] {
            #expect(configError { _ = try SpMMConfig(parsing: bad) } == .unparsable(bad))
        }
        let problem = try llmProblem(m: 1)
        #expect(configError { try config.validate(for: problem) } == nil)
        var chunked = config
        chunked.chunk = 4096
        #expect(configError { try chunked.validate(for: problem) } == .compactDoubleBufferNeedsWholeRows(split: 1, chunks: 3))
        var split = config
        split.split = 2
        #expect(configError { try split.validate(for: problem) } == .compactDoubleBufferNeedsWholeRows(split: 2, chunks: 1))
        var delta = config
        delta.format = .delta4
        #expect(configError { try delta.validate(for: problem) } == nil)
        #expect(SpMMConfig.compact(delta).description == "compact.i4.w8.v8.u2.s1.b2.k16384.db1")
        // delta4 holds its round in flight raw and decodes it when it multiplies it.
        let deltaSource = try KernelGen.render(problem, .compact(delta)).source
        #expect(deltaSource.contains("load_raw_round(deltaNibbles, deltaValues, nb, nr < rowsHere ? ne : nb, lane, ndn, nwr);"))
        #expect(deltaSource.contains("multiply_round<true>") && deltaSource.contains("typedef uint4 wraw_t;"))
        // The cp.async ring: delta4's double-buffered walk with 8-entry vectors of 2-byte values only.
        var ringed = delta
        ringed.ringStages = 4
        #expect(SpMMConfig.compact(ringed).description == "compact.i4.w8.v8.u2.s1.b2.k16384.db1.rg4")
        #expect(try SpMMConfig(parsing: "compact.i4.w8.v8.u2.s1.b2.k16384.db1.rg4") == .compact(ringed))
        #expect(configError { _ = try SpMMConfig(parsing: "compact.i4.w8.v8.u2.s1.b2.k16384.db1.rg0") } == .unparsable("compact.i4.w8.v8.u2.s1.b2.k16384.db1.rg0"))
        #expect(configError { try ringed.validate(for: problem) } == nil)
        let ringSource = try KernelGen.render(problem, .compact(ringed)).source
        #expect(ringSource.contains("cp_async_wait<kRing - 2>();") && ringSource.contains("#define kRing 4"))
        // The issue state walks the consumer's rule (one `next_round`), and the register loader is not written.
        #expect(ringSource.contains("next_round(ir, is, ie, ib, offs, rowsHere);") && !ringSource.contains("load_raw_round"))
        // X (fp32 at m = 1), 16 rows' offsets rounded up to 16 bytes, then 8 warps x 4 stages x 2 x 32 lanes x 20 bytes.
        #expect(ringed.sharedMemoryBytes(for: problem) == 11008 * 4 + 80 + 8 * 4 * 1280)
        var ringedCSR16 = config
        ringedCSR16.ringStages = 3
        #expect(configError { try ringedCSR16.validate(for: problem) }
            == .compactRingNeedsDelta4Vectors(format: 16, vectorWidth: 8, elementBytes: 2, doubleBuffered: true))
        ringed.ringStages = 2
        #expect(configError { try ringed.validate(for: problem) } == .unsupportedCompactKnob(field: "ringStages", value: 2, allowed: [0, 3, 4]))
        (ringed.ringStages, ringed.doubleBuffered) = (3, false)
        #expect(configError { try ringed.validate(for: problem) }
            == .compactRingNeedsDelta4Vectors(format: 4, vectorWidth: 8, elementBytes: 2, doubleBuffered: false))
        // Shared memory: all of X (staged as fp32 at m = 1), then the block's rows + 1 offsets (4096 rows over 264
        // blocks: 16), rounded up to 16 bytes.
        let expectedBytes: Int = 11008 * 4 + 80
        #expect(config.sharedMemoryBytes(for: problem) == expectedBytes)
        let source = try KernelGen.render(problem, .compact(config)).source
        #expect(source.contains("load_round(columnIndices16, values, nb, nr < rowsHere ? ne : nb, lane, ncol, nw);"))
        #expect(source.contains("stage_x(xs, x, 0, kK);") && !source.contains("__syncthreads();\n                stage_x"))
        #expect(source.contains("typedef float xs_t;") && source.contains("unpack_x8("))
        // In the space beside each single-buffered csr16 config with whole rows.
        let space = SpMMSpace().configs(for: problem).compactMap { config -> CompactConfig? in
            if case let .compact(c) = config { c } else { nil }
        }
        let doubled = space.filter(\.doubleBuffered)
        let wholeRows = doubled.allSatisfy { (c: CompactConfig) -> Bool in c.split == 1 && c.chunk >= 11008 }
        #expect(!doubled.isEmpty && wholeRows)
        #expect(Set(doubled.map(\.format)) == Set(CompactConfig.IndexFormat.allCases))
        #expect(doubled.filter { $0.ringStages > 0 }.allSatisfy { $0.format == .delta4 && $0.vectorWidth == 8 })
        #expect(Set(doubled.map(\.ringStages)) == Set(CompactConfig.ringChoices))
        // Each double-buffered csr16 config beside its single-buffered twin (delta4's double-buffered walk
        // holds its rounds raw and decodes without per-entry columns, so some of its configs fit two blocks
        // an SM where no single-buffered twin does).
        for config in doubled where config.format == .csr16 {
            var twin = config
            twin.doubleBuffered = false
            #expect(space.contains(twin))
        }
    }

    @Test func layoutFillsTheDeviceAndChunksK() throws {
        let problem = try llmProblem()
        // 132 SMs x 2 blocks: 4096 rows -> 16 rows per block, 256 blocks.
        #expect(baseCompact.rowsPerBlock(for: problem) == 16)
        #expect(baseCompact.gridDimensions(for: problem) == LaunchDimensions(x: 256))
        #expect(baseCompact.chunkCount(for: problem) == 3)
        // X chunk 4096 x 16 x 2 B, then 16 segments x (16 x 4 + 8) B.
        #expect(baseCompact.sharedMemoryBytes(for: problem) == 4096 * 16 * 2 + 16 * 72)
        let small = try makeProblem(n: 7, k: 33, m: 3, nnz: 40, maxRowLength: 20, type: .bf16)
        #expect(baseCompact.gridDimensions(for: small) == LaunchDimensions(x: 7))
        #expect(baseCompact.chunkRows(for: small) == 33 && baseCompact.chunkCount(for: small) == 1)
    }

    @Test func validationStatesEachRule() throws {
        let problem = try llmProblem()
        func error(_ change: (inout CompactConfig) -> Void, _ on: SpMMProblem? = nil) -> ConfigError? {
            var config = baseCompact
            change(&config)
            return configError { try config.validate(for: on ?? problem) }
        }
        #expect(error { _ in } == nil)
        #expect(error { $0.warps = 0 } == .nonPositive(field: "warps", value: 0))
        #expect(error { $0.warps = 33 } == .tooManyThreads(threads: 1056, limit: 1024))
        #expect(error { $0.vectorWidth = 3 } == .unsupportedVectorWidth(width: 3, elementType: .f16))
        #expect(error({ $0.vectorWidth = 8 }, try llmProblem(type: .f32)) == .unsupportedVectorWidth(width: 8, elementType: .f32))
        #expect(error { $0.unroll = 3 } == .unsupportedCompactKnob(field: "unroll", value: 3, allowed: [1, 2, 4]))
        #expect(error { $0.split = 16 } == .unsupportedCompactKnob(field: "split", value: 16, allowed: [1, 2, 4, 8]))
        #expect(error { $0.format = .delta4; $0.split = 2 } == .compactDeltaSplit(2))
        #expect(error { $0.blocksPerSM = 5 } == .unsupportedCompactKnob(field: "blocksPerSM", value: 5, allowed: [1, 2, 3, 4]))
        #expect(error { $0.chunk = 100 } == .compactChunkNotMultiple(chunk: 100, multiple: 8))
        #expect(error({ _ in }, try llmProblem(m: 33)) == .compactWidthTooLarge(m: 33, limit: 32))
        let wide = try makeProblem(n: 64, k: 70_000, m: 1, nnz: 6400, maxRowLength: 120, type: .f16)
        #expect(error({ _ in }, wide) == .compactColumnsExceedPanel(k: 70_000, panel: 65_536))
        #expect(error({ $0.format = .delta4 }, wide) == nil)
        let ordered = try makeProblem(n: 64, k: 512, m: 1, nnz: 6400, maxRowLength: 120, type: .f16, ordering: .byLengthDescending)
        #expect(error({ _ in }, ordered) == .compactNeedsIdentityRowOrder)
        // A chunk of 16384 stages all of K = 11008.
        let bytes = 11008 * 16 * 2 + 16 * 72
        #expect(error { $0.chunk = 16384 } == .sharedMemoryExceedsOptIn(bytes: bytes, limit: 227 * 1024))
    }

    @Test func renderNamesTheFormatsArraysAndSpecialisesOnTheProblem() throws {
        let problem = try llmProblem(epilogue: .biasReLU)
        let csr16 = try KernelGen.render(problem, .compact(baseCompact))
        #expect(csr16.parameters.map(\.role) == [.rows, .columnsOfX, .rowOffsets, .columnIndices16, .values, .x, .bias, .y])
        #expect(csr16.parameters[3].kind == .pointerUInt16)
        #expect(csr16.source.contains("const unsigned short* __restrict__ columnIndices16"))
        #expect(csr16.source.contains("#define kM 16") && csr16.source.contains("#define kChunks 3"))
        #expect(csr16.grid == LaunchDimensions(x: 256) && csr16.block == LaunchDimensions(x: 256))
        var delta = baseCompact
        delta.format = .delta4
        let delta4 = try KernelGen.render(problem, .compact(delta))
        #expect(delta4.parameters.map(\.role) == [.rows, .columnsOfX, .deltaOffsets, .deltaNibbles, .deltaValues, .x, .bias, .y])
        #expect(delta4.source.contains("shfl.sync.up.b32"))
        // X keeps its element type in shared memory at m = 16; at m = 1 it is staged as fp32.
        #expect(delta4.source.contains("typedef elem_t xs_t;"))
        #expect(delta4.source.hasPrefix("// spmm n=4096 k=11008 m=16"))
    }

    @Test func theSpaceHoldsCompactConfigsOnlyForNarrowX() throws {
        let decoding = try llmProblem()
        let configs = SpMMSpace().configs(for: decoding).compactMap(\.asCompact)
        #expect(!configs.isEmpty)
        #expect(Set(configs.map(\.format)) == Set(CompactConfig.IndexFormat.allCases))
        // K = 11008: chunks of 16384 cover K, so larger ones would be pruned; 16384 at m = 16 fp16 does not fit.
        #expect(configs.allSatisfy { $0.chunk < 16384 })
        let wide = try llmProblem(m: 64)
        #expect(!SpMMSpace().configs(for: wide).contains { $0.family == .compact })
        let audit = SpMMSpace().prune(decoding)
        #expect(audit.survivors.contains { $0.family == .compact })
    }
}

/// Compiles a stratified sample of compact kernels with NVRTC for sm_80 and sm_90 (every
/// format, element type, vector width, unroll and split, m from 1 to 32, chunked and unchunked
/// K, every epilogue) and requires CUBIN without spills.
@Suite(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
struct CompactNVRTCCompileTests {
    static func jobs() throws -> [KernelCorpus.Job] {
        var jobs: [KernelCorpus.Job] = []
        let widths = [1, 3, 8, 16, 32]
        var index = 0, doubledIndex = 0
        for device in [DeviceLimits.sm80, .sm90] {
            let architecture = device.computeCapability.major * 10 + device.computeCapability.minor
            for type in [ElementType.f32, .f16, .bf16] {
                for format in CompactConfig.IndexFormat.allCases {
                    for vector in CompactConfig.vectorWidths where vector * type.byteWidth <= 16 {
                        for unroll in CompactConfig.unrolls {
                            index += 1
                            let m = widths[index % widths.count]
                            let epilogue = Epilogue.allCases[index % Epilogue.allCases.count]
                            let split = format == .csr16 ? [1, 2, 4, 8][index % 4] : 1
                            let problem = try llmProblem(m: m, type: type, device: device, epilogue: epilogue)
                            // Even: chunks of 2048 rows of K; odd: all of K when it fits 96 KiB, else the most that does.
                            let fitting = 96 * 1024 / (m * type.byteWidth)
                            let chunk = min(index % 2 == 0 ? 2048 : 16384, fitting)
                            var config = CompactConfig(
                                format: format, warps: [4, 8, 16][index % 3], vectorWidth: vector, unroll: unroll,
                                split: split, blocksPerSM: 2, chunk: max(8, chunk / 8 * 8))
                            // Two blocks per SM where the register budget allows it, else one.
                            if (try? config.validate(for: problem)) == nil { config.blocksPerSM = 1 }
                            let kernel = try KernelGen.render(problem, .compact(config))
                            jobs.append(KernelCorpus.Job(
                                config: .compact(config), elementType: type, epilogue: epilogue, rowOrdering: .identity,
                                architecture: architecture, entryPoint: kernel.entryPoint, source: kernel.source,
                                problems: ["llm-4096x11008-m\(m)/\(type.rawValue)"]))
                        }
                    }
                }
                // Double-buffered (whole rows, all of X staged), both formats: every vector width
                // and unroll 1 and 2, m of 1-3 (X of K = 11008 rows must fit shared memory at once).
                for format in CompactConfig.IndexFormat.allCases {
                for vector in CompactConfig.vectorWidths where vector * type.byteWidth <= 16 {
                    for unroll in [1, 2] {
                        doubledIndex += 1
                        let m = [1, 2, 3][doubledIndex % 3]
                        let epilogue = Epilogue.allCases[doubledIndex % Epilogue.allCases.count]
                        let problem = try llmProblem(m: m, type: type, device: device, epilogue: epilogue)
                        var config = CompactConfig(
                            format: format, warps: [8, 16][doubledIndex % 2], vectorWidth: vector, unroll: unroll, split: 1,
                            blocksPerSM: 2, chunk: 16384, doubleBuffered: true)
                        // delta4's 8-entry vectors of 2-byte values also through the cp.async ring, 3 or 4 stages.
                        if format == .delta4, vector == 8, type.byteWidth == 2 { config.ringStages = 3 + doubledIndex % 2 }
                        if (try? config.validate(for: problem)) == nil { config.blocksPerSM = 1 }
                        try config.validate(for: problem)
                        let kernel = try KernelGen.render(problem, .compact(config))
                        jobs.append(KernelCorpus.Job(
                            config: .compact(config), elementType: type, epilogue: epilogue, rowOrdering: .identity,
                            architecture: architecture, entryPoint: kernel.entryPoint, source: kernel.source,
                            problems: ["llm-4096x11008-m\(m)/\(type.rawValue)"]))
                    }
                }
                }
            }
        }
        return jobs
    }

    @Test func sampleCompilesToCubinWithoutSpills() async throws {
        let nvrtc = try corpusNVRTC.get()
        let jobs = try Self.jobs()
        // Per architecture: f32 2 formats x 2 vectors x 3 unrolls, f16 and bf16 2 x 3 x 3 each, then
        // double-buffered, both formats: f32 2 vectors x 2 unrolls, f16 and bf16 3 x 2 each.
        let perArchitecture: Int = 12 + 18 + 18 + 2 * 16
        #expect(jobs.count == 2 * perArchitecture)
        try await KernelCorpus.compileFamilySample(jobs, with: nvrtc, dumpVariable: "SPARROW_DUMP_COMPACT", label: "compact")
    }
}

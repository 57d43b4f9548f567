import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The tiled kernel's X ring (`.xr4` / `.xr8`): each subwarp keeps the X row segments of its next
/// staged nonzeros in flight through `cp.async` into shared memory instead of registers.
@Suite struct TiledXRingTests {
    @Test func ringIsNamedParsedAndSized() throws {
        for text in ["r1.t32.c256.v4.k32.db1.s4.xr8", "r8.t32.c256.v4.k64.db0.xr4.o2", "r2.t16.c128.v4.k64.db0.xr8"] {
            #expect(try SpMMConfig(parsing: text).description == text)
        }
        let tiled = try #require(try SpMMConfig(parsing: "r1.t32.c256.v4.k32.db1.s4.xr8").asTiled)
        #expect(tiled.xRing == 8 && tiled.macUnroll == 1 && tiled.unroll == 0)
        // 4 subwarps x 8 slots x a 256-float tile, after the staging areas and the partial tiles.
        let problem = try makeProblem()
        #expect(tiled.xRingBytes(for: problem) == 4 * 8 * 256 * 4)
        #expect(tiled.xRingOffset(for: problem) % 16 == 0)
        #expect(tiled.xRingOffset(for: problem) >= tiled.reductionOffset(for: problem) + tiled.reductionBytes)
        #expect(tiled.sharedMemoryBytes(for: problem) == tiled.xRingOffset(for: problem) + tiled.xRingBytes(for: problem))
        // One nonzero's X in registers at a time: accumulators twice, not (1 + unroll) times.
        #expect(tiled.estimatedRegisters == 24 + 8 * 2)
        #expect(tiled.minimumComputeCapability == ComputeCapability(major: 8, minor: 0))
    }

    @Test func ringIsValidated() throws {
        let problem = try makeProblem()
        #expect(configError { try SpMMConfig(parsing: "r1.t32.c256.v4.k32.db1.s4.xr3").validate(for: problem) } == .unsupportedXRing(3))
        #expect(configError { try SpMMConfig(parsing: "r1.t32.c256.v4.k32.db1.s4.u8.xr8").validate(for: problem) } == .xRingWithUnroll(8))
        let half = try makeProblem(m: 255, type: .f16)
        #expect(configError { try SpMMConfig(parsing: "r4.t32.c32.v1.k32.db0.xr4").validate(for: half) } == .xRingTooNarrow(bytes: 2))
        var voltaDevice = DeviceLimits.sm80
        voltaDevice.computeCapability = ComputeCapability(major: 7, minor: 0)
        let volta = try makeProblem(device: voltaDevice)
        #expect(configError { try SpMMConfig(parsing: "r4.t32.c128.v4.k32.db0.xr4").validate(for: volta) }
            == .asyncCopyNeedsSM80(ComputeCapability(major: 7, minor: 0)))
        #expect(ConfigError.unsupportedXRing(3).description.contains("0 (none), 4 or 8"))
        #expect(ConfigError.xRingWithUnroll(8).description.contains("replaces the unroll"))
        // 16 subwarps x 8 slots x 1 KB does not fit the default 48 KB a block.
        if case .sharedMemoryExceeded = configError({ try SpMMConfig(parsing: "r16.t32.c256.v4.k64.db0.xr8").validate(for: problem) }) {
        } else {
            Issue.record("a ring above the block's shared memory must be rejected")
        }
    }

    @Test func renderedKernelReadsXFromItsRing() throws {
        let kernel = try KernelGen.render(makeProblem(maxRowLength: 200), try SpMMConfig(parsing: "r1.t32.c256.v4.k32.db1.s4.xr8"))
        #expect(kernel.source.contains("constexpr int kRing = 8;"))
        #expect(kernel.source.contains("cp.async.cg.shared.global [%0], [%1], 16;"))
        #expect(kernel.source.contains("cp.async.wait_group %0;"))
        #expect(kernel.source.contains("xLane, m, xRingLane);"))
        #expect(!kernel.source.contains("float xv[kUnroll]"))
        // Without the ring the kernel is unchanged: no ring, the unrolled multiply.
        let plain = try KernelGen.render(makeProblem(maxRowLength: 200), try SpMMConfig(parsing: "r1.t32.c256.v4.k32.db1.s4.u8"))
        #expect(!plain.source.contains("kRing") && plain.source.contains("float xv[kUnroll]"))
    }
}

/// Ring configs of the shapes the ring is for (the largest DLMC layers, the transformer at n = 2048)
/// compile to CUBIN without spills for sm_80 and sm_90 in f32, f16 and bf16, with an epilogue and a
/// row order; their registers are printed (the ring's point is fewer than the unroll's 128).
@Suite(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
struct TiledXRingNVRTCTests {
    @Test func ringConfigsCompileWithoutSpills() async throws {
        let nvrtc = try corpusNVRTC.get()
        let ids = ["r1.t32.c256.v4.k32.db1.s4.xr8", "r2.t32.c256.v4.k64.db1.s2.xr8", "r8.t32.c256.v4.k64.db0.xr4", "r2.t32.c128.v4.k32.db0.s4.xr8"]
        var jobs: [KernelCorpus.Job] = []
        for (index, id) in ids.enumerated() {
            for device in [DeviceLimits.sm80, .sm90] {
                let type = [ElementType.f32, .f16, .bf16][index % 3]
                let epilogue = Epilogue.allCases[index % Epilogue.allCases.count]
                let ordering: RowOrdering = index % 2 == 0 ? .identity : .byLengthDescending
                var config = try SpMMConfig(parsing: id)
                if type != .f32, var tiled = config.asTiled {  // 16-byte vectors of the 16-bit types
                    tiled.vectorWidth = 8
                    tiled.tileWidth *= 2
                    config = .tiled(tiled)
                }
                let problem = try makeProblem(m: 512, maxRowLength: 200, type: type, epilogue: epilogue, ordering: ordering, device: device)
                try config.validate(for: problem)
                let kernel = try KernelGen.render(problem, config)
                jobs.append(KernelCorpus.Job(
                    config: config, elementType: type, epilogue: epilogue, rowOrdering: ordering,
                    architecture: device.computeCapability.major * 10 + device.computeCapability.minor,
                    entryPoint: kernel.entryPoint, source: kernel.source, problems: ["dlmc-2048x512-m512/\(type.rawValue)"]))
            }
        }
        try await KernelCorpus.compileFamilySample(jobs, with: nvrtc, dumpVariable: "SPARROW_DUMP_XRING", label: "tiled x ring")
    }
}

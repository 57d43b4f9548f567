import Bench
import Runtime
import SparseFormats
import Testing
import TuningStore

/// The CPU plan's database keys: every config id reads back, bad ids are named, and the problem
/// key carries the pattern and the shape.
@Suite("CPU plan trial keying")
struct CPUPlanTrialKeyingTests {
    @Test func everyConfigOfTheSpaceReadsBackFromItsID() throws {
        let keying = CPUPlanTrialKeying(pattern: PatternDigest(value: 0xabc))
        let configs = CPUPlanSpace().enumerate(CPUSpMMProblem(rows: 7, columns: 9, storedCount: 20, m: 3, cores: 6))
        #expect(configs.contains { $0.packMinimumReuse == Int.max })
        for config in configs {
            #expect(try keying.config(parsing: keying.configID(config)) == config)
        }
        #expect(
            try CPUPlanConfig(parsing: "cpu.t2.c8.p-.avx2.v2.d4.nt1.g1")
                == CPUPlanConfig(
                    threads: 2, chunksPerThread: 8, packMinimumReuse: Int.max, isa: .avx2, tileVectors: 2,
                    prefetchDistance: 4, streamingStores: true, gatherSpMV: true))
        #expect(try CPUPlanConfig(parsing: "cpu.t2.c8.p32.avx512.v8.d0.nt0.g0.k64").panelColumns == 64)
    }

    @Test(arguments: ["", "cpu", "gpu.t2.c8.p8", "cpu.t0.c8.p8", "cpu.t2.c8", "cpu.t2.cx.p8", "cpu.t2.c8.p8.x", "cpu.2.c8.p8", "cpu.t2.c8.p8.avx9.v4.d0.nt0.g0", "cpu.t2.c8.p8.avx2.v9.d0.nt0.g0", "cpu.t2.c8.p8.avx2.v4.d0.nt2.g0", "cpu.t2.c8.p8.avx2.v4.d0.nt0.g2", "cpu.t2.c8.p8.avx2.v4.d0.nt0", "cpu.t2.c8.p8.avx2.v4.d0.nt0.g0.kx", "cpu.t2.c8.p8.avx2.v4.d0.nt0.g0.k-1", "cpu.t2.c8.p8.avx2.v4.d0.nt0.g0.k64.z"])
    func malformedIDsAreRefusedWithTheRule(_ id: String) {
        #expect(throws: TuningStoreError.self) { try CPUPlanTrialKeying(pattern: PatternDigest(value: 1)).config(parsing: id) }
    }

    @Test func theProblemKeyNamesTheOpThePatternAndTheShape() {
        let key = CPUPlanTrialKeying(pattern: PatternDigest(value: 0x1f))
            .problemKey(CPUSpMMProblem(rows: 7, columns: 9, storedCount: 20, m: 3, cores: 6))
        #expect(key.op == "spmm-cpu" && key.patternDigest == "000000000000001f")
        #expect([key.matrixRows, key.matrixColumns, key.nnz, key.width] == [7, 9, 20, 3])
        #expect(key.elementType == "f32" && key.accumulator == "f32")
    }
}

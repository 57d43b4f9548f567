import Testing
@testable import CPUKernels

@Suite struct CPUISATests {
    @Test func portableAlwaysRunsAndBestIsSupported() {
        #expect(CPUISA.portable.isSupported)
        #expect(CPUISA.best.isSupported)
        #expect(CPUISA.supported.first == CPUISA.best)
        #expect(CPUISA.allCases.map(\.lanes) == [16, 8, 4])
    }

    @Test func environmentForcesAPathOrSaysWhyNot() throws {
        #expect(try CPUISA.forced(environment: [:]) == nil)
        #expect(try CPUISA.forced(environment: ["SPARROW_CPU_ISA": ""]) == nil)
        #expect(try CPUISA.forced(environment: ["SPARROW_CPU_ISA": "PORTABLE"]) == .portable)
        #expect(throws: CPUISAError.unknown("sse9")) { try CPUISA.forced(environment: ["SPARROW_CPU_ISA": "sse9"]) }
        for isa in CPUISA.allCases where !isa.isSupported {
            #expect(throws: CPUISAError.unsupported(isa, best: .best)) {
                try CPUISA.forced(environment: ["SPARROW_CPU_ISA": isa.rawValue])
            }
        }
        #expect(CPUISAError.unknown("sse9").description.contains("avx512, avx2 or portable"))
    }

    @Test func defaultTileIsEightVectors() {
        for isa in CPUISA.allCases { #expect(CPUSpMMOptions(isa: isa).resolvedTileVectors == 8) }
        #expect(CPUSpMMOptions(isa: .avx2, tileVectors: 12).resolvedTileVectors == 8)
    }

    @Test func xIsRepackedOnlyWhenItsStrideConflictsAndItIsReused() {
        let options = CPUSpMMOptions(isa: .avx512)
        // n = 256 (1 KiB stride): a 128-column tile's slice outgrows ~256 KiB above K = 512.
        #expect(options.repacksX(storedCount: 51 * 4608, columns: 4608, m: 256))
        #expect(!options.repacksX(storedCount: 25 * 1024, columns: 1024, m: 256))  // reuse below 32
        #expect(!options.repacksX(storedCount: 100 * 256, columns: 256, m: 256))  // slice fits
        // Strides that do not conflict never repack, whatever the reuse.
        #expect(!options.repacksX(storedCount: 100 * 4608, columns: 4608, m: 196))
        #expect(!options.repacksX(storedCount: 100 * 4608, columns: 4608, m: 4))
        // n = 2048 (8 KiB stride): ~32 KiB usable.
        #expect(options.repacksX(storedCount: 51 * 512, columns: 512, m: 2048))
        #expect(!CPUSpMMOptions(packMinimumReuse: Int.max).repacksX(storedCount: 1 << 30, columns: 4608, m: 256))
    }
}

@Suite struct CPUFMAProbeTests {
    /// A rate, not a speed claim: finite and positive on every path (debug builds are not timed).
    @Test func everyPathReportsAPositiveRate() {
        for isa in CPUISA.supported {
            let rate = CPUFMAProbe.measure(isa: isa, iterations: 1000, repeats: 1, pool: CPUWorkerPool(threads: 2))
            #expect(rate.isFinite && rate > 0, "\(isa)")
        }
    }
}

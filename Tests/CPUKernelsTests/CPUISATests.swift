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

    @Test func defaultTileIsSixtyFourColumnsWhereRegistersAllow() {
        #expect(CPUSpMMOptions.defaultTileVectors(for: .avx512) == 4)
        #expect(CPUSpMMOptions.defaultTileVectors(for: .avx2) == 8)
        #expect(CPUSpMMOptions.defaultTileVectors(for: .portable) == 8)
    }
}

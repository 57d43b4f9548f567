import KernelGen
import SparseFormats
import Testing
@testable import Bench

/// The compact family's GPU self-test checks what the space offers: its sample for each shape
/// holds the double-buffered walk of both formats wherever that is legal (whole rows, all of X in
/// shared memory), so `sparrow selftest --compact-only` runs it against the Float64 reference.
struct CompactSelfTestSampleTests {
    @Test func everyShapeWhereItIsLegalSamplesTheDoubleBufferedWalk() throws {
        for shape in try SelfTestShape.compact() {
            let problem = try SpMMProblem.make(shape.matrix, m: shape.m, type: .f16, epilogue: .none, rowOrdering: .identity, device: .sm90)
            let sample = GPUSelfTest.compactSample(problem)
            let doubled = sample.filter { config in
                if case let .compact(c) = config { c.doubleBuffered } else { false }
            }
            // All of X fits shared memory (the only shape where it does not: 9001 x 16 fp16, 288 KB).
            let fits = problem.k * problem.m * 2 <= DeviceLimits.sm90.maxSharedMemoryPerBlockOptIn - 4096
            #expect(fits == (shape.name != "compact llm-like 1031x9001 m=16"))
            if fits {
                let formats = Set(doubled.compactMap { config -> CompactConfig.IndexFormat? in
                    if case let .compact(c) = config { c.format } else { nil }
                })
                #expect(formats == Set(CompactConfig.IndexFormat.allCases), "\(shape.name): double-buffered formats \(formats)")
            }
            for config in doubled { #expect(throws: Never.self) { try config.validate(for: problem) } }
        }
    }
}

import CUDA
import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The specialised family through NVRTC (no GPU needed): awkward shapes compile to CUBIN without
/// spills; with `SPARROW_MEASURE_SPECIALISED=1`, compile time and cubin size per written
/// multiply-add are measured and printed (the numbers behind ``SpecialisedConfig/maxWrittenFMAs``).
@Suite(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
struct SpecialisedCompileTests {
    @Test func awkwardShapesCompileWithoutSpills() throws {
        let nvrtc = try corpusNVRTC.get()
        let types: [ElementType] = [.f32, .f16, .bf16]
        for (index, shape) in try SpecialisedFixtures.awkward().enumerated() {
            // One config and dtype per shape, rotating, so every config and dtype is compiled.
            let config = SpecialisedKernelTests.configs[index % SpecialisedKernelTests.configs.count]
            let type = types[index % types.count]
            let epilogue = Epilogue.allCases[index % Epilogue.allCases.count]
            let problem = try SpecialisedFixtures.problem(shape.w, m: shape.m, type: type, epilogue: epilogue)
            let kernel = try KernelGen.render(problem, .specialised(config), pattern: shape.w)
            let compiled = try nvrtc.compile(
                kernel.source, name: "\(kernel.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: 90))
            let usage = try #require(compiled.resources(of: kernel.entryPoint), "\(shape.name): no ptxas report")
            #expect(!usage.spills, "\(shape.name) \(config) \(type): spills\n\(compiled.log)")
        }
    }

    /// Compile time and cubin size against nonzeros (v1, values as constants and from the array),
    /// on DLMC-like 256 x 1024 patterns; prints one line per point and the per-nonzero slopes.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SPARROW_MEASURE_SPECIALISED"] != nil))
    func measureCompileCost() throws {
        let nvrtc = try corpusNVRTC.get()
        print("nnz values v registers seconds cubin_bytes us_per_fma bytes_per_fma")
        for (nnz, vector) in [(1024, 1), (4096, 1), (16384, 1), (4096, 4)] {
            let w = try SpecialisedFixtures.matrix(256, 1024, density: Double(nnz) / (256 * 1024), seed: "cost/\(nnz)")
            for values in SpecialisedConfig.Values.allCases {
                let config = SpecialisedConfig(rowsPerBlock: 4, threads: 64, vectorWidth: vector, values: values, localityOrder: false)
                let problem = try SpecialisedFixtures.problem(w, m: 256)
                let kernel = try KernelGen.render(problem, .specialised(config), pattern: w)
                let start = Date()
                let compiled = try nvrtc.compile(
                    kernel.source, name: "\(kernel.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: 90))
                let seconds = Date().timeIntervalSince(start)
                let fmas = Double(w.nnz * vector)
                print(
                    "\(w.nnz) \(values) \(vector) \(compiled.resources(of: kernel.entryPoint)?.registers ?? 0) "
                        + String(format: "%.2f %d %.1f %.1f", seconds, compiled.image.count, seconds / fmas * 1e6, Double(compiled.image.count) / fmas))
            }
        }
    }

    /// Compile time against rows per block (the number of row-group functions) at a fixed
    /// pattern: a DLMC-like 128 x 512 layer at 90% (6,553 nonzeros), m = 256, v2, constants.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SPARROW_MEASURE_SPECIALISED"] != nil))
    func measureCompileCostByRows() throws {
        let nvrtc = try corpusNVRTC.get()
        let w = try SpecialisedFixtures.matrix(128, 512, density: 0.1, seed: "cost/rows")
        print("rows_per_block groups nnz seconds cubin_bytes")
        for rows in [1, 4, 16] {
            let config = SpecialisedConfig(rowsPerBlock: rows, threads: 32, vectorWidth: 2, values: .constant, localityOrder: false)
            let kernel = try KernelGen.render(try SpecialisedFixtures.problem(w, m: 256), .specialised(config), pattern: w)
            let start = Date()
            let compiled = try nvrtc.compile(
                kernel.source, name: "\(kernel.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: 90))
            print(String(format: "%d %d %d %.2f %d", rows, (128 + rows - 1) / rows, w.nnz, Date().timeIntervalSince(start), compiled.image.count))
        }
    }
}

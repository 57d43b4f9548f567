import CUDA
import Testing

@testable import KernelGen

/// ``KernelSource/waitingForPreviousGrid()``: the SpMM kernels made safe for a programmatic
/// dependent launch wait first or after their first loads of W, name it on their first line, and
/// still compile (sm_80: the wait compiles away; sm_90: `griddepcontrol.wait`).
struct DependentLaunchTests {
    /// The golden cases of the CSR families (the compact family's kernels are not bound by the encoder).
    static func kernels() throws -> [KernelSource] {
        try GoldenTests.cases().filter { $0.config.family != .compact }.map { try KernelGen.render($0.problem, $0.config) }
    }

    /// Kernels without the template's marker wait first; the tiled family, which marks the
    /// place, waits after reading its row offsets (and, double buffered, issuing chunk 0's
    /// copies) and before its first X load.
    @Test func theWaitComesFirstOrWhereTheTemplateMarksIt() throws {
        let kernels = try Self.kernels()
        #expect(!kernels.isEmpty)
        var marked = 0
        for kernel in kernels {
            let waiting = try #require(kernel.waitingForPreviousGrid(), "\(kernel.entryPoint)")
            #expect(waiting.entryPoint == kernel.entryPoint && waiting.grid == kernel.grid && waiting.parameters == kernel.parameters)
            // Defined once, before the kernel, and called once; the marker is gone.
            #expect(waiting.source.components(separatedBy: "void wait_for_previous_grid()").count == 2)
            #expect(waiting.source.components(separatedBy: "wait_for_previous_grid();").count == 2)
            #expect(!waiting.source.contains(KernelSource.dependentWaitMarker))
            let body = waiting.source.components(separatedBy: kernel.entryPoint + "(").last ?? ""
            let afterOpen = body.components(separatedBy: "{").dropFirst().joined(separator: "{")
            if kernel.source.contains(KernelSource.dependentWaitMarker) {
                marked += 1
                #expect(kernel.source.contains("kChunk"), "\(kernel.entryPoint): only the tiled family marks its wait")
                #expect(waiting.source.hasPrefix("// sparrow: waits for the previous grid after its first loads of W"))
                let beforeWait = afterOpen.components(separatedBy: "wait_for_previous_grid();")[0]
                let afterWait = afterOpen.components(separatedBy: "wait_for_previous_grid();").dropFirst().joined()
                #expect(beforeWait.contains("rowOffsets"), "\(kernel.entryPoint)")
                // Double buffered, chunk 0's copies are issued before the wait.
                if kernel.source.contains("cp_async_commit") {
                    #expect(beforeWait.contains("stage_chunk(") && beforeWait.contains("cp_async_commit()"), "\(kernel.entryPoint)")
                }
                for dynamic in ["mac_chunk(", "load_x(", "store_y("] {
                    #expect(!beforeWait.contains(dynamic), "\(kernel.entryPoint): \(dynamic) before the wait")
                }
                #expect(afterWait.contains("mac_chunk("), "\(kernel.entryPoint)")
            } else {
                #expect(waiting.source.hasPrefix("// sparrow: waits for the previous grid first"))
                #expect(afterOpen.hasPrefix("\n  wait_for_previous_grid();"), "\(kernel.entryPoint)")
            }
            // No early trigger (measured slower on the H200).
            #expect(!waiting.source.contains("griddepcontrol.launch_dependents"))
        }
        #expect(marked > 0, "no golden case of the tiled family")
        var broken = kernels[0]
        broken.entryPoint = "not_in_the_source"
        #expect(broken.waitingForPreviousGrid() == nil)
        var twice = try #require(kernels.first { $0.source.contains(KernelSource.dependentWaitMarker) })
        twice.source += "\n" + KernelSource.dependentWaitMarker + "\n"
        #expect(twice.waitingForPreviousGrid() == nil, "a second marker is refused")
    }

    @Test(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
    func waitingKernelsCompileForSM80AndSM90() throws {
        let nvrtc = try corpusNVRTC.get()
        var failures: [String] = []
        for kernel in try Self.kernels() {
            guard let waiting = kernel.waitingForPreviousGrid() else { continue }
            for architecture in [80, 90] {
                do {
                    _ = try nvrtc.compile(
                        waiting.source, name: "\(waiting.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: architecture))
                } catch {
                    failures.append("\(waiting.entryPoint) sm_\(architecture): \(error)")
                }
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
    }
}

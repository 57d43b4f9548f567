import CUDA
import Testing

@testable import KernelGen

/// ``KernelSource/waitingForPreviousGrid()``: the SpMM kernels made safe for a programmatic
/// dependent launch wait first, name it on their first line, and still compile (sm_80: the wait
/// compiles away; sm_90: `griddepcontrol.wait`).
struct DependentLaunchTests {
    /// The golden cases of the CSR families (the compact family's kernels are not bound by the encoder).
    static func kernels() throws -> [KernelSource] {
        try GoldenTests.cases().filter { $0.config.family != .compact }.map { try KernelGen.render($0.problem, $0.config) }
    }

    @Test func theWaitIsTheKernelsFirstStatement() throws {
        let kernels = try Self.kernels()
        #expect(!kernels.isEmpty)
        for kernel in kernels {
            let waiting = try #require(kernel.waitingForPreviousGrid(), "\(kernel.entryPoint)")
            #expect(waiting.source.hasPrefix("// sparrow: waits for the previous grid first"))
            #expect(waiting.entryPoint == kernel.entryPoint && waiting.grid == kernel.grid && waiting.parameters == kernel.parameters)
            let body = waiting.source.components(separatedBy: kernel.entryPoint + "(").last ?? ""
            let afterOpen = body.components(separatedBy: "{").dropFirst().first ?? ""
            #expect(afterOpen.hasPrefix("\n  wait_for_previous_grid();"), "\(kernel.entryPoint)")
            // Defined once, before the kernel.
            #expect(waiting.source.components(separatedBy: "void wait_for_previous_grid()").count == 2)
        }
        var broken = kernels[0]
        broken.entryPoint = "not_in_the_source"
        #expect(broken.waitingForPreviousGrid() == nil)
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

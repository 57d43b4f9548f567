import CUDA
import Foundation
import Testing

extension KernelCorpus {
    /// Compiles one family's stratified sample with `nvrtc` and records every kernel that does not
    /// reach CUBIN or spills; with `dumpVariable` set in the environment, writes the sources into
    /// that folder first. Prints the sample's register range under `label`.
    static func compileFamilySample(_ jobs: [Job], with nvrtc: NVRTC, dumpVariable: String, label: String) async throws {
        if let folder = ProcessInfo.processInfo.environment[dumpVariable] {
            for job in jobs { try job.source.write(toFile: "\(folder)/\(job.entryPoint)_sm\(job.architecture).cu", atomically: true, encoding: .utf8) }
        }
        let outcomes = await compileAll(jobs, with: nvrtc, workers: workerCount)
        for problem in outcomes.compactMap(\.problem).prefix(10) { Issue.record(Comment(rawValue: problem)) }
        #expect(outcomes.allSatisfy { $0.problem == nil })
        let registers = outcomes.compactMap(\.usage?.registers)
        print("\(label) sample: \(outcomes.count) kernels, registers \(registers.min() ?? 0)...\(registers.max() ?? 0)")
    }
}

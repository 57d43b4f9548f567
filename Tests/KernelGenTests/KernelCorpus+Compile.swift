import CUDA
import Dispatch
import Foundation
import Synchronization

/// What compiling one corpus job gave.
struct CompileOutcome: Sendable {
    enum Result: Sendable {
        /// CUBIN built; `usage` is nil when ptxas reported nothing for the entry point.
        case compiled(usage: KernelResourceUsage?, isCubin: Bool, log: String)
        /// NVRTC rejected the source or failed otherwise.
        case failed(String)
    }

    var job: KernelCorpus.Job
    var result: Result
    var seconds: Double

    /// The resource report when the kernel compiled to CUBIN with registers reported.
    var usage: KernelResourceUsage? {
        if case let .compiled(usage, _, _) = result { usage } else { nil }
    }

    /// Nil when the kernel meets the bar (CUBIN, a ptxas report with registers > 0, no spill
    /// stores or loads); otherwise a message naming the config and carrying the whole log.
    var problem: String? {
        let subject = "\(job.label) (entry \(job.entryPoint); from \(job.problems.joined(separator: ", ")))"
        switch result {
        case let .failed(message):
            return "\(subject): compile failed\n\(message)"
        case let .compiled(usage, isCubin, log):
            guard isCubin else { return "\(subject): NVRTC returned no CUBIN (ELF) image\n\(log)" }
            guard let usage else { return "\(subject): no ptxas report for the entry point\n\(log)" }
            if usage.registers <= 0 { return "\(subject): ptxas reported \(usage.registers) registers\n\(log)" }
            if usage.spills {
                return "\(subject): spills \(usage.spillStoreBytes) B stores, \(usage.spillLoadBytes) B loads "
                    + "with \(usage.registers) registers\n\(log)"
            }
            return nil
        }
    }
}

extension KernelCorpus {
    /// Worker threads: `SPARROW_NVRTC_JOBS` when set, else the core count clamped to 2...4.
    static var workerCount: Int {
        if let text = ProcessInfo.processInfo.environment["SPARROW_NVRTC_JOBS"], let value = Int(text), value > 0 {
            return value
        }
        return min(4, max(2, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Compiles one job to CUBIN for its architecture with ptxas's verbose report.
    static func compile(_ job: Job, with nvrtc: NVRTC, source: String? = nil) -> CompileOutcome {
        let start = DispatchTime.now()
        let result: CompileOutcome.Result
        do {
            let kernel = try nvrtc.compile(
                source ?? job.source, name: "\(job.entryPoint).cu",
                target: CompileTarget(format: .cubin, computeCapability: job.architecture))
            let elf = kernel.image.starts(with: [0x7F, 0x45, 0x4C, 0x46])
            result = .compiled(
                usage: kernel.resources(of: job.entryPoint), isCubin: kernel.target.format == .cubin && elf,
                log: kernel.log)
        } catch let CUDAError.compileFailed(log, sourceDump) {
            result = .failed("\(log)\nsource: \(sourceDump.isEmpty ? "(not written)" : sourceDump)")
        } catch {
            result = .failed("\(error)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return CompileOutcome(job: job, result: result, seconds: seconds)
    }

    /// Compiles every job on `workers` threads, results in job order.
    ///
    /// NVRTC programs are independent and NVRTC is thread-safe for distinct programs. The work
    /// runs on Dispatch threads, not the Swift concurrency pool, so blocking calls do not starve
    /// other tests of the pool's few threads.
    static func compileAll(_ jobs: [Job], with nvrtc: NVRTC, workers: Int) async -> [CompileOutcome] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let next = Atomic<Int>(0)
                let results = Mutex<[CompileOutcome?]>(Array(repeating: nil, count: jobs.count))
                DispatchQueue.concurrentPerform(iterations: max(1, min(workers, jobs.count))) { _ in
                    while true {
                        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < jobs.count else { return }
                        let outcome = compile(jobs[index], with: nvrtc)
                        results.withLock { $0[index] = outcome }
                    }
                }
                let outcomes = results.withLock { $0.compactMap { $0 } }
                precondition(outcomes.count == jobs.count, "every index is taken by exactly one worker")
                continuation.resume(returning: outcomes)
            }
        }
    }
}

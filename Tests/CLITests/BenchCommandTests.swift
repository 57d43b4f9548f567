import Foundation
import Testing
import Bench
import Runtime

/// The CPU benchmark end to end, as CI runs it: a small synthetic suite, every baseline,
/// a JSON report whose outputs all checked out. (Timing assertions do not belong here.)
@Suite("sparrow bench spmm on the CPU")
struct BenchCommandTests {
    @Test func smallSyntheticSuiteRunsAndChecksEveryCandidate() throws {
        let folder = try cliScratch("bench")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("bench.json").path
        let svg = folder.appendingPathComponent("bench.svg").path
        let result = try runSparrow([
            "bench", "spmm", "--device", "cpu", "--suite", "synthetic", "--size", "256", "--sparsity", "0.8", "0.95",
            "--distribution", "uniform", "powerlaw", "-n", "1", "17", "--json", json, "--svg", svg,
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Geometric mean speedup"))
        let report = try JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.problems.count == 8)
        #expect(report.failures == 0)
        for problem in report.problems {
            let names = Set(problem.candidates.map(\.name))
            #expect(names.isSuperset(of: ["sparrow-cpu", "naive-csr"]))
            #expect(names.contains("openblas-sgemm") || names.contains("swift-sgemm"))
            // The synthetic matrices are unstructured: the BSR plan says why it does not run.
            let bsr = problem.candidates.first { $0.name == "sparrow-cpu-bsr" }
            #expect(bsr?.status == .skipped && bsr?.detail?.contains("not block-sparse") == true)
            for c in problem.candidates where c.name != "scipy" && c.name != "sparrow-cpu-bsr" {
                #expect(c.status == .ok, "\(c.name) on \(problem.name): \(c.detail ?? "")")
                #expect(c.runs == 20)
            }
        }
        #expect(FileManager.default.fileExists(atPath: svg))
    }

    @Test func gpuRequestOnAMachineWithoutOneIsOneClearLine() throws {
        guard Runtime.GPUAvailability.reason != nil else { return }  // a GPU machine: nothing to check here
        let result = try runSparrow(["bench", "spmm", "--device", "gpu", "--suite", "synthetic", "--size", "64"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("GPU not used"))
    }

    @Test func badOptionsAreRejectedBeforeAnyWork() throws {
        let result = try runSparrow(["bench", "spmm", "--device", "cpu", "--suite", "synthetic", "--iterations", "3"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("at least 20"))
    }
}

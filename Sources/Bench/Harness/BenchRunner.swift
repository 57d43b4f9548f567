import Runtime
import Foundation
import SparseFormats

/// Checks and times every candidate on every problem, baselines in the same run.
///
/// For each problem: X is drawn from a ``SeededGenerator`` (seed fixed per problem
/// name), Y is computed once in Float64 by ``ReferenceSpMM``, then each candidate is
/// prepared, its output checked against the reference (a wrong output is reported as
/// `wrong` and never timed), and timed as the median of `iterations` runs after `warmup`.
package struct BenchRunner {
    package var warmup: Int
    package var iterations: Int
    package var ceilings: MachineCeilings
    /// Bytes per element used for the floor (4 for fp32, 2 for fp16).
    package var elementBytes: Int
    package var dtype: String
    /// Hears what is being done now, one short line per step ("[2/8] name n=16: timing
    /// naive-csr"): for a status line on a terminal, not for a log.
    package var progress: (@Sendable (String) -> Void)?
    /// Keep every configuration a candidate's sweep timed in the report (large).
    package var recordSweeps = false

    package init(warmup: Int = 5, iterations: Int = 20, ceilings: MachineCeilings, elementBytes: Int = 4, dtype: String = "f32",
                progress: (@Sendable (String) -> Void)? = nil) {
        self.warmup = warmup
        self.iterations = iterations
        self.ceilings = ceilings
        self.elementBytes = elementBytes
        self.dtype = dtype
        self.progress = progress
    }

    /// Measures every problem in order; `finished` hears each result as soon as it is complete
    /// (with its index), so a caller can keep it before the next problem starts.
    package func run(
        _ problems: [SpMMBenchProblem], candidates: [any SpMMCandidate],
        finished: (Int, ProblemResult) -> Void = { _, _ in }
    ) -> [ProblemResult] {
        var results: [ProblemResult] = []
        for (index, problem) in problems.enumerated() {
            let label = "[\(index + 1)/\(problems.count)] \(problem.name) n=\(problem.m)"
            let result = measure(problem, candidates: candidates, step: { progress?("\(label): \($0)") })
            results.append(result)
            finished(index, result)
        }
        return results
    }

    /// Checks and times every candidate on `problem`; `step` hears which one and what is done.
    package func measure(
        _ problem: SpMMBenchProblem, candidates: [any SpMMCandidate], step: (String) -> Void = { _ in }
    ) -> ProblemResult {
        let w = problem.matrix
        var generator = BenchRunner.generator(for: problem)
        let x: [Float] = generator.signedUnitValues(w.columns * problem.m)
        let bytes = problem.minimumBytes(elementBytes: elementBytes)
        var result = ProblemResult(
            name: problem.name, suite: problem.suite, rows: w.rows, columns: w.columns, nnz: w.nnz,
            sparsity: w.sparsity, nominalSparsity: problem.nominalSparsity, m: problem.m, dtype: dtype,
            flops: problem.flops, minimumBytes: bytes,
            floorSeconds: ceilings.floorSeconds(flops: problem.flops, bytes: bytes), candidates: [])
        let verifier: Verifier
        do {
            verifier = try Verifier(w: w, x: try DenseMatrix(rows: w.columns, columns: problem.m, storage: x))
        } catch {
            preconditionFailure("benchmark problem \(problem.name) is malformed: \(error)")
        }
        for candidate in candidates {
            step("preparing and checking \(candidate.name)")
            result.candidates.append(
                measure(candidate, problem, x: x, verifier: verifier, floor: result.floorSeconds,
                        timing: { step("timing \(candidate.name)") }))
            candidate.release()
        }
        return result
    }

    func measure(
        _ candidate: any SpMMCandidate, _ problem: SpMMBenchProblem, x: [Float], verifier: Verifier, floor: Double,
        timing: () -> Void = {}
    ) -> CandidateResult {
        var r = CandidateResult(name: candidate.name, role: candidate.role, precision: candidate.precision, status: .ok)
        do {
            try candidate.prepare(problem, x: x, verifier: verifier)
            r.config = candidate.chosenConfig
            r.configOrigin = candidate.configOrigin
            r.resources = candidate.resources
            if recordSweeps, !candidate.sweepLog.isEmpty { r.sweep = candidate.sweepLog }
            let verdict = verifier.check(try candidate.output(), precision: candidate.precision)
            r.relativeError = verdict.relativeError
            if let failure = verdict.failure {
                r.status = .wrong
                r.detail = failure
                return r
            }
            timing()
            let times = try candidate.time(warmup: warmup, iterations: iterations)
            let median = Statistics.median(times)
            r.runs = times.count
            r.medianSeconds = median
            r.minSeconds = times.min()
            r.unstableTiming = times.min().map { CandidateResult.isUnstable(median: median, minimum: $0) }
            r.gflops = problem.flops / median / 1e9
            r.fractionOfFloor = floor / median
            r.coldCopies = candidate.coldCopies
            if let weights = candidate.weightBytes {
                let dense = Double(problem.matrix.columns + problem.matrix.rows) * Double(problem.m) * Double(candidate.precision.storage.byteWidth)
                let bytes = weights + dense
                r.streamedBytes = bytes
                r.achievedBytesPerSecond = bytes / median
                r.fractionOfByteBound = bytes / ceilings.bandwidthBytesPerSecond / median
            }
        } catch let skip as CandidateSkipped {
            r.status = .skipped
            r.detail = skip.reason
        } catch {
            r.status = .error
            r.detail = "\(error)"
        }
        return r
    }

    /// The generator of a problem's X, stable across runs: labelled by the name and M.
    static func generator(for problem: SpMMBenchProblem) -> SeededGenerator {
        SeededGenerator(label: "\(problem.name)/\(problem.m)")
    }
}

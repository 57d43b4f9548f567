import Foundation
import SparseFormats
import Synchronization
import Testing
@testable import Bench
@testable import Runtime

/// What a report says about the conditions of its numbers, and how a run keeps and resumes
/// its finished problems.
@Suite("benchmark conditions and resuming")
struct BenchRunConditionsTests {
    /// A correct candidate whose timed runs are `times`, cycled.
    final class TimedCandidate: SpMMCandidate {
        let name: String
        let role: CandidateRole
        let precision = ComputePrecision.fp32
        let times: [Double]
        var y: [Float] = []

        init(_ name: String, _ role: CandidateRole, times: [Double]) {
            self.name = name
            self.role = role
            self.times = times
        }

        func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
            let x = try DenseMatrix(rows: problem.matrix.columns, columns: problem.m, storage: x)
            y = try ReferenceSpMM.multiply(problem.matrix, x).storage.map { Float($0) }
        }

        func output() throws -> [Float] { y }
        func time(warmup: Int, iterations: Int) throws -> [Double] { (0..<iterations).map { times[$0 % times.count] } }
    }

    func problems(_ widths: [Int]) throws -> [SpMMBenchProblem] {
        let w = try SyntheticMatrices.make(rows: 19, columns: 23, sparsity: 0.8, distribution: .uniform, generator: SeededGenerator(seed: 5))
        return widths.map { SpMMBenchProblem(name: "q", suite: "test", nominalSparsity: 0.8, matrix: w, m: $0) }
    }

    func report(_ results: [ProblemResult], ceilings: MachineCeilings) -> BenchReport {
        BenchReport(command: "test", date: "d", commit: "c", machine: "m", device: "cpu: test", ceilings: ceilings,
                    warmup: 0, iterations: 20, timingMethod: "fake", problems: results)
    }

    @Test func wideSpreadIsFlaggedInJSONAndMarkedInTheTable() throws {
        let ceilings = MachineCeilings(peakFlops: 1e15, bandwidthBytesPerSecond: 1e15, source: "test")
        let runner = BenchRunner(warmup: 0, iterations: 20, ceilings: ceilings)
        // Median 3 us against a 1 us minimum: a spread of 3, above the 1.5 rule.
        let candidates: [any SpMMCandidate] = [
            TimedCandidate("ours", .ours, times: [1e-6]),
            TimedCandidate("noisy-lib", .baseline, times: [3e-6, 3e-6, 1e-6]),
            TimedCandidate("steady-lib", .baseline, times: [2e-6, 2.2e-6]),
        ]
        let results = runner.run(try problems([4]), candidates: candidates)
        let byName = Dictionary(uniqueKeysWithValues: try #require(results.first).candidates.map { ($0.name, $0) })
        #expect(byName["noisy-lib"]?.unstableTiming == true)
        #expect(byName["steady-lib"]?.unstableTiming == false)
        #expect(byName["ours"]?.unstableTiming == false)
        let markdown = report(results, ceilings: ceilings).markdown()
        #expect(markdown.contains("| 3.00~ | 2.10 | 3.00~ | 2.10 |"), "the noisy time and the speedup over it are marked")
        #expect(markdown.contains("`~`: unstable timing (median over minimum of its timed runs above 1.5)"))
        #expect(!markdown.contains("`!`"), "no floor legend without a time beyond the floor")
    }

    @Test func aTimeBeyondTheFloorIsNeverSilent() throws {
        // A ceiling far too low: the floor is longer than the measured time.
        let ceilings = MachineCeilings(peakFlops: 1e3, bandwidthBytesPerSecond: 1e3, source: "a guess")
        let runner = BenchRunner(warmup: 0, iterations: 20, ceilings: ceilings)
        let results = runner.run(try problems([4]), candidates: [TimedCandidate("ours", .ours, times: [1e-6])])
        let markdown = report(results, ceilings: ceilings).markdown()
        #expect(markdown.contains("!"))
        #expect(markdown.contains("`!`: faster than the floor, which is only an estimate from the ceilings above (a guess)"))
    }

    @Test func machineLoadIsRecordedAndABusyMachineWarned() throws {
        var quiet = report([], ceilings: MachineCeilings(peakFlops: 1, bandwidthBytesPerSecond: 1, source: "t"))
        quiet.loadAtStart = MachineLoad(oneMinute: 0.2, cores: 4)
        quiet.loadAtEnd = MachineLoad(oneMinute: 2.9, cores: 4)  // below 0.5 x 4 + 1: the benchmark's own load
        #expect(quiet.markdown().contains("- machine load (1-minute load average, 4 cores): 0.20 at the start, 2.90 at the end"))
        #expect(quiet.loadWarning == nil)
        var busy = quiet
        busy.loadAtStart = MachineLoad(oneMinute: 2.5, cores: 4)
        #expect(busy.markdown().contains("**warning: the machine was busy: 1-minute load 2.50 at the start"))
        #expect(MachineLoad(oneMinute: 3.1, cores: 4).isBusy(ownThreads: 1))
    }

    @Test func reportsWithoutTheNewFieldsStillRead() throws {
        let ceilings = MachineCeilings(peakFlops: 1e15, bandwidthBytesPerSecond: 1e15, source: "test")
        let results = BenchRunner(warmup: 0, iterations: 20, ceilings: ceilings)
            .run(try problems([2]), candidates: [TimedCandidate("ours", .ours, times: [1e-6])])
        var new = report(results, ceilings: ceilings)
        new.loadAtStart = MachineLoad(oneMinute: 0.1, cores: 2)
        new.deviceKey = "cpu"
        var object = try #require(try JSONSerialization.jsonObject(with: try BenchJSON.encoder(pretty: true).encode(new)) as? [String: Any])
        for key in ["loadAtStart", "loadAtEnd", "deviceKey", "resumedProblems", "resumedFrom"] { object[key] = nil }
        var problems = try #require(object["problems"] as? [[String: Any]])
        var candidates = try #require(problems[0]["candidates"] as? [[String: Any]])
        candidates[0]["unstableTiming"] = nil
        problems[0]["candidates"] = candidates
        object["problems"] = problems
        let old = try BenchJSON.decoder.decode(BenchReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.loadAtStart == nil && old.problems[0].candidates[0].unstableTiming == nil)
        #expect(!old.markdown().contains("machine load") && !old.markdown().contains("~"))
        // An old report resumes on the device named in its `device` line.
        let path = try write(JSONSerialization.data(withJSONObject: object), "old.json")
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let records = try PartialResultsFile.read(path, note: { _ in })
        #expect(records.map(\.device) == ["cpu"])
    }

    @Test func partialFileKeepsEachProblemAndToleratesACutLastLine() throws {
        let ceilings = MachineCeilings(peakFlops: 1e15, bandwidthBytesPerSecond: 1e15, source: "test")
        let results = BenchRunner(warmup: 0, iterations: 20, ceilings: ceilings)
            .run(try problems([1, 2, 3]), candidates: [TimedCandidate("ours", .ours, times: [1e-6])])
        let path = try write(Data(), "run.partial.jsonl")
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let file = try PartialResultsFile(path: path, startingWith: [PartialRecord(device: "cpu", problem: results[0])])
        try file.append(PartialRecord(device: "cpu", problem: results[1]))
        #expect(file.withFinished { $0 } == 2)
        // An interrupted third write leaves half a line.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"device":"cpu","probl"#.utf8))
        try handle.close()
        let notes = NoteLog()
        let records = try PartialResultsFile.read(path, note: { notes.add($0) })
        #expect(records.map(\.problem.m) == [1, 2])
        #expect(notes.lines.count == 1 && notes.lines[0].contains("line 3 was cut short"))

        // Resuming: the two finished problems are taken as they are, the third is measured, the
        // report keeps the suite's order; results of another device are left out.
        let other = PartialRecord(device: "NVIDIA H200", problem: results[2])
        let plan = ResumePlan(problems: try problems([1, 2, 3]), earlier: records + [other], device: "cpu", dtype: "f32")
        #expect(plan.todo.map(\.m) == [3])
        #expect(plan.unmatched == 1)
        let fresh = BenchRunner(warmup: 0, iterations: 20, ceilings: ceilings)
            .run(plan.todo, candidates: [TimedCandidate("ours", .ours, times: [5e-6])])
        let merged = plan.merged(fresh)
        #expect(merged.map(\.m) == [1, 2, 3])
        #expect(merged.map { $0.bestOurs?.medianSeconds } == [1e-6, 1e-6, 5e-6])
    }

    @Test func outputPathsAreCheckedWithOneLineNamingThePath() throws {
        let folder = try benchScratch("outputs")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no/such/r.json").path
        #expect(throws: BenchSetupError.self) { try BenchOutputs(json: missing).check(partial: missing + ".partial.jsonl", resume: nil) }
        do {
            try BenchOutputs(svg: folder.path).check(partial: folder.appendingPathComponent("p.jsonl").path, resume: nil)
            Issue.record("a folder as --svg must be refused")
        } catch {
            #expect("\(error)" == "--svg \(folder.path): is a folder; give the path of a file to write")
        }
        let good = BenchOutputs(json: folder.appendingPathComponent("r.json").path)
        let partial = good.partialPath(resume: nil)
        #expect(partial.hasSuffix("r.json.partial.jsonl"))
        try good.check(partial: partial, resume: nil)
        #expect(throws: BenchSetupError.self) { try good.check(partial: partial, resume: folder.appendingPathComponent("gone.jsonl").path) }
    }

    /// Writes `data` to a fresh scratch file and returns its path.
    func write(_ data: Data, _ name: String) throws -> String {
        let url = try benchScratch("partial").appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}

/// Notes a test collects from a `@Sendable` callback.
final class NoteLog: Sendable {
    private let state = Mutex<[String]>([])
    func add(_ line: String) { state.withLock { $0.append(line) } }
    var lines: [String] { state.withLock { $0 } }
}

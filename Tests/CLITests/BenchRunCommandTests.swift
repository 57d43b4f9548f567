import Foundation
import Testing
import Bench

/// `sparrow bench spmm` keeps what it measured: paths checked first, finished problems kept as
/// they come, Ctrl-C says where they are, and a rerun resumes. Tiny CPU problems: the debug build.
@Suite("sparrow bench spmm keeps its results")
struct BenchRunCommandTests {
    let tiny = ["bench", "spmm", "--device", "cpu", "--suite", "synthetic", "--size", "48", "--skip", "scipy"]

    @Test func aMissingOutputFolderFailsAtOnceBeforeAnyWork() throws {
        let folder = try cliScratch("bench-paths")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no-such-folder/report.json").path
        // The default suite needs the DLMC data: the path must be refused before it is looked for, so
        // the one error is the path's (not the data's). No wall-clock bound: a debug binary started
        // beside the parallel suite on 2 cores took 16.5 s once, with the same output.
        let result = try runSparrow(["bench", "spmm", "--device", "cpu", "--json", missing])
        #expect(result.status == 1)
        #expect(result.stderrLines == ["sparrow: --json \(missing): the folder \(folder.path)/no-such-folder does not exist"])

        let asFolder = try runSparrow(tiny + ["--markdown", folder.path])
        #expect(asFolder.stderrLines == ["sparrow: --markdown \(folder.path): is a folder; give the path of a file to write"])
        let gone = folder.appendingPathComponent("gone.partial.jsonl").path
        let noResume = try runSparrow(tiny + ["--resume", gone])
        #expect(noResume.stderrLines == ["sparrow: --resume \(gone): no such file, or not readable"])
    }

    /// `--cpu-row-order` times the CSR plan again in each order, right after it (or in identity's
    /// place when listed), each checked.
    @Test func theCPURowOrdersAreTimedBesideThePlanInOrder() throws {
        let folder = try cliScratch("bench-cpu-order")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("order.json").path
        let result = try runSparrow(tiny + ["--sparsity", "0.8", "-n", "5", "--cpu-row-order", "locality", "by_length_desc", "--json", json])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try BenchJSON.decoder.decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        let names = try #require(report.problems.first).candidates.map(\.name)
        #expect(Array(names.prefix(3)) == ["sparrow-cpu", "sparrow-cpu@locality", "sparrow-cpu@by_length_desc"])
        for candidate in try #require(report.problems.first).candidates where candidate.name.hasPrefix("sparrow-cpu@") {
            #expect(candidate.status == .ok && candidate.medianSeconds != nil, "\(candidate.name): \(candidate.detail ?? "")")
        }
        // Listing identity puts the plan in row order in its place: the A/B the other way round.
        let swapped = folder.appendingPathComponent("swapped.json").path
        let other = try runSparrow(tiny + ["--sparsity", "0.8", "-n", "5", "--cpu-row-order", "by_length_desc", "identity", "--json", swapped])
        #expect(other.status == 0, "stderr: \(other.stderr)")
        let reversed = try BenchJSON.decoder.decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: swapped)))
        #expect(Array(try #require(reversed.problems.first).candidates.map(\.name).prefix(2)) == ["sparrow-cpu@by_length_desc", "sparrow-cpu"])
    }

    @Test func finishedProblemsAreKeptAndARerunResumesFromThem() throws {
        let folder = try cliScratch("bench-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Without --json, the partial file is the run's record; its path is in the notes.
        let first = try runSparrow(tiny + ["--sparsity", "0.8", "-n", "1", "3"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let kept = try #require(first.stderrLines.first { $0.hasPrefix("finished problems are kept in ") })
        let partial = String(try #require(kept.dropFirst("finished problems are kept in ".count).split(separator: " ").first))
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let records = try PartialResultsFile.read(partial, note: { Issue.record("unexpected note: \($0)") })
        #expect(records.map(\.key) == [1, 3].map {
            ProblemKey(suite: "synthetic", name: "synthetic-uniform-48x48-0.8", n: $0, dtype: "f32", device: "cpu")
        })
        #expect(first.stderr.contains("[1/2] synthetic-uniform-48x48-0.8 n=1"))
        #expect(first.stderr.contains("best baseline"))

        // A wider rerun from that file measures only what is new and merges the rest.
        let json = folder.appendingPathComponent("all.json").path
        let second = try runSparrow(tiny + ["--sparsity", "0.8", "0.9", "-n", "1", "3", "--resume", partial, "--json", json])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stderr.contains("--resume \(partial): 2 of 4 problems already finished, 2 to measure"))
        let report = try BenchJSON.decoder.decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.problems.map(\.m) == [1, 3, 1, 3])
        #expect(report.resumedProblems == 2)
        #expect(report.problems.prefix(2).map { $0.bestOurs?.medianSeconds } == records.map { $0.problem.bestOurs?.medianSeconds })
        #expect(report.loadAtStart != nil && report.loadAtEnd != nil && report.deviceKey == "cpu")
        #expect(!FileManager.default.fileExists(atPath: json + ".partial.jsonl"), "the JSON report supersedes its partial file")
        #expect(second.stdout.contains("- machine load (1-minute load average"))
    }

    @Test func ctrlCKeepsEveryFinishedProblemAndSaysWhere() throws {
        let folder = try cliScratch("bench-interrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("r.json").path
        let partial = json + ".partial.jsonl"
        let binary = try #require(sparrowExecutable())
        let process = Process()
        process.executableURL = binary
        // Enough problems that the run is still going when the first one is kept.
        let widths = (32...40).map { String($0) }
        process.arguments = ["bench", "spmm", "--device", "cpu", "--suite", "synthetic", "--size", "256", "--sparsity", "0.5", "--skip", "scipy", "--json", json, "-n"] + widths
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, process.isRunning,
              ((try? String(contentsOfFile: partial, encoding: .utf8)) ?? "").split(separator: "\n").isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "stderr: \(stderr)")
        let records = try PartialResultsFile.read(partial, note: { Issue.record("unexpected note: \($0)") })
        #expect(!records.isEmpty && records.count < 9)
        #expect(records.allSatisfy { $0.device == "cpu" && $0.problem.candidates.contains { $0.name == "sparrow-cpu" } })
        let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last == "sparrow: interrupted after \(records.count) of 9 problems; the finished ones are kept in \(partial): rerun with --resume \(partial) to skip them")
        #expect(!FileManager.default.fileExists(atPath: json))
    }
}

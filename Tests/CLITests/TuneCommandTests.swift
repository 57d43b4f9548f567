import Bench
import Foundation
import SparseFormats
import SparseIO
import Testing

/// `sparrow tune` on the CPU: trials recorded and recalled, the database listed, moved between
/// files, and rebuilt when corrupt.
@Suite("sparrow tune")
struct TuneCommandTests {
    /// A model with one pruned tensor (tuned) and one dense one (skipped), and a database path
    /// inside `folder`.
    func model(in folder: URL) throws -> (model: String, db: String) {
        var tensors = TensorCollection()
        tensors.append("fc.weight", AnyDenseTensor(seededMatrix(9, 14, seed: 71, zeros: 0.8)))
        tensors.append("fc2.weight", AnyDenseTensor(seededMatrix(5, 5, seed: 72)))
        let model = folder.appendingPathComponent("model.safetensors").path
        try Safetensors.write(tensors, to: model)
        return (model, folder.appendingPathComponent("db/tuning.sqlite").path)
    }

    func tune(_ model: String, db: String, _ extra: [String] = []) throws -> TuneReport {
        let json = try sparrowOutput(["tune", model, "--db", db, "--device", "cpu", "-n", "1", "5", "--iterations", "2", "--json"] + extra)
        return try JSONDecoder().decode(TuneReport.self, from: Data(json.utf8))
    }

    func listing(_ db: String) throws -> TuneListing {
        try JSONDecoder().decode(TuneListing.self, from: Data(try sparrowOutput(["tune", "--list", "--db", db, "--json"]).utf8))
    }

    @Test func aRerunRecallsEveryTrialAndTheListShowsThem() throws {
        let folder = try cliScratch("tune-recall")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, db) = try model(in: folder)

        let first = try tune(model, db: db)
        #expect(first.problems.map(\.n) == [1, 5])
        #expect(first.problems.allSatisfy { $0.name == "model.safetensors/fc.weight" && $0.measured > 0 && $0.recalled == 0 })
        #expect(first.problems.allSatisfy { $0.candidates >= 1 && $0.candidates <= $0.enumerated })
        // The default plan is timed beside the tuned one, so the choice is never slower as measured.
        #expect(first.problems.allSatisfy { ($0.speedup ?? 0) >= 1 })

        let second = try tune(model, db: db)
        #expect(second.measured == 0)
        #expect(second.recalled == first.measured)
        #expect(second.problems.map(\.chosen) == first.problems.map(\.chosen))

        let list = try listing(db)
        #expect(list.database == db && list.warning == nil)
        #expect(list.trials == first.measured && list.problems == 2)
        #expect(list.counts.map(\.family) == ["spmm-cpu"] && list.counts.first?.count == first.measured)
        #expect(list.contexts.count == 1 && list.contexts.first?.device.hasPrefix("cpu: ") == true)
        let text = try sparrowOutput(["tune", "--list", "--db", db])
        #expect(text.hasPrefix("tuning database \(db): \(first.measured) trials of 2 problems"))
        #expect(text.contains("spmm-cpu  ok"))
    }

    @Test func topKMeasuresAtMostKPlusTheDefault() throws {
        let folder = try cliScratch("tune-topk")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, db) = try model(in: folder)
        let report = try tune(model, db: db, ["--top-k", "2"])
        #expect(report.problems.allSatisfy { $0.measured >= 1 && $0.measured <= 3 })
        #expect(report.strategy.contains("at most 2"))
    }

    @Test func exportThenImportIntoAFreshDatabaseGivesTheSameSummary() throws {
        let folder = try cliScratch("tune-export")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, db) = try model(in: folder)
        let first = try tune(model, db: db)
        let file = folder.appendingPathComponent("trials.jsonl.gz").path
        let exported = try sparrowOutput(["tune", "--export", file, "--db", db])
        #expect(exported == "exported \(first.measured) trials from \(db) to \(file)\n")

        let fresh = folder.appendingPathComponent("other/tuning.sqlite").path
        let imported = try sparrowOutput(["tune", "--import", file, "--db", fresh])
        #expect(imported.contains(": \(first.measured) new, 0 replaced, 0 already stored"))
        var before = try listing(db), after = try listing(fresh)
        before.database = ""
        after.database = ""
        #expect(before == after)

        let again = try sparrowOutput(["tune", "--import", file, "--db", fresh, "--replace"])
        #expect(again.contains(": 0 new, \(first.measured) replaced, 0 already stored"))
        // The imported trials are recalled: tuning the same model there measures nothing.
        #expect(try tune(model, db: fresh).measured == 0)
    }

    @Test func aCorruptDatabaseWarnsOnOneLineAndStillWorks() throws {
        let folder = try cliScratch("tune-corrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, db) = try model(in: folder)
        try FileManager.default.createDirectory(atPath: (db as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: db))

        let result = try runSparrow(["tune", "--list", "--db", db])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderrLines.first?.hasPrefix("sparrow: warning: tuning database \(db) was corrupt") == true)
        #expect(result.stdout.hasPrefix("tuning database \(db): 0 trials of 0 problems"))
        let aside = try FileManager.default.contentsOfDirectory(atPath: (db as NSString).deletingLastPathComponent)
        #expect(aside.contains { $0.hasPrefix("tuning.sqlite.corrupt-") })

        #expect(try tune(model, db: db).measured > 0)
        #expect(try runSparrow(["tune", "--list", "--db", db]).stderr.isEmpty, "the rebuilt file opens without a warning")
    }

    @Test func isolateMeasuresInAChildProcessOverTheSameDatabase() throws {
        let folder = try cliScratch("tune-isolate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, db) = try model(in: folder)
        let first = try tune(model, db: db, ["--isolate"])
        #expect(first.problems.map(\.n) == [1, 5])
        #expect(first.problems.allSatisfy { $0.measured > 0 })
        let again = try tune(model, db: db, ["--isolate"])
        #expect(again.problems.allSatisfy { $0.measured == 0 && $0.recalled > 0 })
    }

    @Test func aFaultStopsTheRunWithOneLineAndARerunResumesPastIt() throws {
        let folder = try cliScratch("tune-fault")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, db) = try model(in: folder)
        let base = ["tune", model, "--db", db, "--device", "cpu", "-n", "1", "5", "--iterations", "2", "--json"]
        let faulted = try runSparrow(base + ["--inject-fault", "2"])
        #expect(faulted.status == 75)
        let line = try #require(faulted.stderrLines.last)
        #expect(line.hasPrefix("sparrow: tuning model.safetensors/fc.weight n=1: config "))
        #expect(line.contains("faulted (injected fault (--inject-fault))"))
        #expect(line.contains("rerun the same command to resume"))
        let resumed = try JSONDecoder().decode(TuneReport.self, from: Data(try sparrowOutput(base).utf8))
        // The two trials before the stop are recalled (the faulted one as failed), the rest measured.
        #expect(resumed.problems.first?.recalled == 2)
        #expect((resumed.problems.first?.measured ?? 0) > 0)
    }

    @Test func isolateStartsTheMeasuringProcessAgainAfterAFault() throws {
        let folder = try cliScratch("tune-isolate-fault")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, db) = try model(in: folder)
        let result = try runSparrow(
            ["tune", model, "--db", db, "--device", "cpu", "-n", "1", "5", "--iterations", "2", "--json", "--isolate", "--inject-fault", "3"])
        #expect(result.status == 0)
        #expect(result.stderrLines.contains { $0.contains("faulted (injected fault") })
        #expect(result.stderrLines.contains { $0.hasPrefix("sparrow: --isolate: the measuring process stopped after a fault; starting it again (restart 1 of") })
        let report = try JSONDecoder().decode(TuneReport.self, from: Data(result.stdout.utf8))
        #expect(report.problems.first?.recalled == 3)
    }

    @Test func oneActionAtATimeAndTheFlagsThatGoTogether() throws {
        let both = try runSparrow(["tune", "--list", "w.npz"])
        #expect(both.status != 0 && both.stderr.contains("exactly one"))
        let breadth = try runSparrow(["tune", "w.npz", "--exhaustive", "--top-k", "3"])
        #expect(breadth.status != 0 && breadth.stderr.contains("--exhaustive or --top-k, not both"))
        let replace = try runSparrow(["tune", "--list", "--replace"])
        #expect(replace.status != 0 && replace.stderr.contains("--replace goes with --import"))
    }
}

@Suite("sparrow tune: the search's options")
struct TuneOptionTests {
    @Test func compareNeedsABoundedSearchAndAGPU() throws {
        let unbounded = try runSparrow(["tune", "w.npz", "--compare", "--exhaustive"])
        #expect(unbounded.status != 0 && unbounded.stderr.contains("--compare compares the bounded search"))
        let file = try runSparrow(["tune", "w.npz", "--cost-model", "hand", "--model-file", "m.json"])
        #expect(file.status != 0 && file.stderr.contains("--model-file goes with --cost-model learned"))
        let from = try runSparrow(["tune", "--list", "--from", "t.jsonl"])
        #expect(from.status != 0 && from.stderr.contains("--from goes with --features"))
        let budget = try runSparrow(["tune", "w.npz", "--budget", "0"])
        #expect(budget.status != 0 && budget.stderr.contains("--budget must be positive"))
        let lock = try runSparrow(["tune", "w.npz", "--lock-timeout=-1"])
        #expect(lock.status != 0 && lock.stderr.contains("--lock-timeout must be zero or more"))
        let keep = try runSparrow(["tune", "w.npz", "--proxy", "--proxy-keep", "0"])
        #expect(keep.status != 0 && keep.stderr.contains("--proxy-keep must be at least 1"))
        let audit = try runSparrow(["tune", "w.npz", "--audit-rules", "0"])
        #expect(audit.status != 0 && audit.stderr.contains("--audit-rules must be at least 1"))
        let auditCompare = try runSparrow(["tune", "w.npz", "--audit-rules", "2", "--compare", "--top-k", "4"])
        #expect(auditCompare.status != 0 && auditCompare.stderr.contains("--compare or --audit-rules, not both"))
        let benchLock = try runSparrow(["bench", "spmm", "--lock-timeout=-2"])
        #expect(benchLock.status != 0 && benchLock.stderr.contains("--lock-timeout must be zero or more"))
    }

    @Test func theCPUTunesInF32AndSaysSo() throws {
        let folder = try cliScratch("tune-dtype")
        defer { try? FileManager.default.removeItem(at: folder) }
        var tensors = TensorCollection()
        tensors.append("fc.weight", AnyDenseTensor(seededMatrix(9, 14, seed: 71, zeros: 0.8)))
        let model = folder.appendingPathComponent("model.safetensors").path
        try Safetensors.write(tensors, to: model)
        let db = folder.appendingPathComponent("t.sqlite").path
        let result = try runSparrow([
            "tune", model, "--db", db, "--device", "cpu", "-n", "3", "--iterations", "2", "--dtype", "f16", "--budget", "30",
            "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the CPU plan is tuned in f32 only"))
        let report = try JSONDecoder().decode(TuneReport.self, from: Data(result.stdout.utf8))
        #expect(report.dtype == "f32" && report.budgetSeconds == 30)
        #expect(report.problems.first?.stop == .completed)
        // The trials record the matrix's source and statistics: a features table can be made of
        // them (GPU trials only: the CPU's are left out, and said so).
        let export = folder.appendingPathComponent("t.jsonl").path
        _ = try sparrowOutput(["tune", "--export", export, "--db", db])
        let text = try String(contentsOfFile: export, encoding: .utf8)
        #expect(text.contains(#""source":"\#(model)#fc.weight""#) && text.contains("\"row_length_std\":"))
        let features = folder.appendingPathComponent("f.csv").path
        let line = try sparrowOutput(["tune", "--features", features, "--from", export])
        #expect(line.hasPrefix("wrote 0 rows of 0 problems") && line.contains("not GPU SpMM"))
    }
}

import Foundation
import KernelGen
import Runtime
import SparseFormats
import Tuner
import TuningStore

/// One `sparrow bench spmm` run as a value: which problems, on which device, against which
/// baselines, how timed. ``run(note:)`` is the benchmark's one entry point: it finds the data,
/// builds the suite, picks the device and candidates, checks and times everything and returns the
/// report. Policy lives here; the command line only fills this in and prints the result.
package struct BenchJob {
    package var suite: BenchSuiteName
    package var selection: SuiteSelection
    /// `--data`: the folder with the DLMC files (nil: `$SPARROW_DATA` or the usual places).
    package var data: String?
    package var device: DeviceRequest
    package var dtype: ElementType
    /// Time every config of the pruned space instead of the 16-config shortlist.
    package var sweep: Bool
    package var sweepLimit: Int
    /// Named configs to time too (ids such as `r8.t32.c256.v4.k64.db0`).
    package var configs: [String]
    /// Candidates left out by name.
    package var skip: [String]
    package var warmup: Int
    package var iterations: Int
    /// The command line, for the report.
    package var command: String
    /// Your own weights (files or folders), benchmarked instead of `suite` when not empty.
    package var files: [String] = []
    /// Files: the least fraction of zeros a tensor needs to be benchmarked (nil: 0.3).
    package var minSparsity: Double?
    /// Where the report goes; checked before any work.
    package var outputs = BenchOutputs()
    /// The tuning database whose tuned configs Sparrow's GPU kernel uses where it holds one:
    /// nil for the default database when that file exists; ``noTuned`` for none.
    package var tuningDatabase: String?
    /// Never use tuned configs: search on every problem.
    package var noTuned = false
    /// `--resume`: a partial results file or an earlier `--json` report whose finished problems
    /// are taken as they are instead of measured again.
    package var resume: String?
    /// Time cold (``ColdRotation``); nil: the suite's default (cold for `llm`, warm otherwise).
    package var cold: Bool?
    /// How long to wait for another process's GPU lock (``GPULock``) before failing; nil: no limit.
    package var lockTimeout: Double?
    /// The GPU space Sparrow's search chooses from (`--no-specialise` leaves the specialised family out).
    package var space = SpMMSpace()
    /// CPU: also time Sparrow's CSR plan with its rows in these orders (`sparrow-cpu@<order>`), in
    /// the same run, right after the plan in row order on each problem.
    package var cpuRowOrders: [RowOrdering] = []

    package init(
        suite: BenchSuiteName, selection: SuiteSelection, data: String?, device: DeviceRequest, dtype: ElementType,
        sweep: Bool, sweepLimit: Int, configs: [String], skip: [String], warmup: Int, iterations: Int, command: String
    ) {
        self.suite = suite
        self.selection = selection
        self.data = data
        self.device = device
        self.dtype = dtype
        self.sweep = sweep
        self.sweepLimit = sweepLimit
        self.configs = configs
        self.skip = skip
        self.warmup = warmup
        self.iterations = iterations
        self.command = command
    }

    /// Runs the benchmark, writes the reports `outputs` asks for and returns the report.
    ///
    /// `note` hears each phase and what is not run and why (one line each); `progress` hears
    /// each step and each finished problem (``BenchProgress``), or `note` hears the finished
    /// problems when it is nil. Finished problems go to a partial results file as they come;
    /// SIGINT or SIGTERM ends the run with status 130 and one line saying where they are.
    package func run(
        note: @escaping @Sendable (String) -> Void, progress: (@Sendable (BenchProgress) -> Void)? = nil
    ) throws -> BenchReport {
        let loadAtStart = MachineLoad.now()
        let partialPath = outputs.partialPath(resume: resume)
        try outputs.check(partial: partialPath, resume: resume)
        let earlier = try resume.map { try PartialResultsFile.read($0, note: note) } ?? []
        let extra = try configs.map { text in
            do { return try SpMMConfig(parsing: text) } catch { throw BenchSetupError("--config \(text): \(error)") }
        }
        if let loadAtStart, loadAtStart.isBusy() {
            note(String(format: "sparrow: the machine is busy (1-minute load %.2f on %d cores): times may be inflated", loadAtStart.oneMinute, loadAtStart.cores))
        }
        note(!files.isEmpty ? "reading the matrices of \(files.count) file\(files.count == 1 ? "" : "s")"
            : suite == .synthetic ? "building the synthetic matrices"
            : "loading the \(suite.rawValue) matrices (the DLMC tarball is unpacked into the cache on first use)")
        let problems = try inputs(note: note)
        note("probing the machine (device, peak and bandwidth for the floor column)")
        let selected = try device.resolve(note: { note("sparrow: \($0)") })
        let lock = try selected.lockGPU(timeout: lockTimeout, note: note)
        defer { withExtendedLifetime(lock) {} }
        let tuning = try tuningStore(for: selected, note: note)
        defer { try? tuning?.close() }
        let timedCold = cold ?? (files.isEmpty && suite.coldByDefault)
        var setup = try BenchSetup.make(
            device: selected, dtype: dtype, sweep: sweep, sweepLimit: sweepLimit, extra: extra, tuning: tuning, cold: timedCold,
            space: space, cpuRowOrders: cpuRowOrders, note: note)
        setup.candidates.removeAll { skip.contains($0.name) }
        if case .gpu = selected { note("GPU kernels are compiled with NVRTC as each problem is prepared, and cached across problems") }

        let plan = ResumePlan(problems: problems, earlier: earlier, device: selected.resumeKey, dtype: dtype.rawValue)
        if let resume { note(plan.summary(from: resume)) }
        let partial = try PartialResultsFile(path: partialPath, startingWith: earlier)
        note("finished problems are kept in \(partialPath) as they come; --resume \(partialPath) skips them in a rerun")
        let watch = InterruptWatch { _ in
            partial.withFinished { finished in
                note("sparrow: interrupted after \(finished) of \(plan.order.count) problems; the finished ones are kept in \(partialPath): rerun with --resume \(partialPath) to skip them")
                // Exit at once: the main thread is inside a kernel or library call, so nothing it
                // holds can be cleaned up in order; the partial file is complete up to its last line.
                _exit(130)
            }
        }
        defer { watch.stop() }

        var runner = BenchRunner(
            warmup: warmup, iterations: iterations, ceilings: setup.ceilings, elementBytes: dtype.byteWidth,
            dtype: dtype.rawValue)
        if let progress { runner.progress = { progress(BenchProgress(.step, $0)) } }
        runner.recordSweeps = sweep || !extra.isEmpty
        let started = Date()
        let measured = runner.run(plan.todo, candidates: setup.candidates) { index, result in
            do { try partial.append(PartialRecord(device: selected.resumeKey, problem: result)) } catch {
                note("sparrow: \(partialPath): could not keep \(result.name) n=\(result.m) (\(error.localizedDescription))")
            }
            let done = Double(index + 1)
            // The mean time per problem so far, times the problems left (none after the last).
            let left = index + 1 < plan.todo.count ? Date().timeIntervalSince(started) / done * (Double(plan.todo.count) - done) : nil
            let update = BenchProgress(.problem, result.progressLine(position: "[\(index + 1)/\(plan.todo.count)]"), secondsLeft: left)
            if let progress { progress(update) } else { note(update.logLine) }
        }

        var report = BenchReport(
            command: command, date: ISO8601DateFormatter().string(from: Date()), commit: BuildInfo.commit,
            machine: BuildInfo.machine, device: setup.deviceName, ceilings: setup.ceilings, warmup: warmup,
            iterations: iterations, timingMethod: setup.timingMethod, problems: plan.merged(measured))
        report.loadAtStart = loadAtStart
        report.loadAtEnd = MachineLoad.now()
        report.deviceKey = selected.resumeKey
        if let resume {
            report.resumedProblems = plan.done.count
            report.resumedFrom = resume
        }
        if let tuning {
            report.tuningDatabase = tuning.path
            report.tunedProblems = report.problems.filter { $0.candidates.contains { $0.configOrigin == .tuned } }
                .map { "\($0.name) n=\($0.m)" }
        }
        if let warning = report.loadWarning { note("sparrow: warning: \(warning)") }
        try outputs.write(report)
        // The JSON report holds every problem now; without one, the partial file is the record.
        if outputs.json != nil { try? FileManager.default.removeItem(atPath: partialPath) }
        return report
    }
}

extension BenchJob {
    /// The tuning database to recall tuned configs from on a GPU: the one named, else the
    /// default one if that file exists (the benchmark never creates one); nil on the CPU, with
    /// ``noTuned``, or with ``sweep`` (which measures the whole space).
    func tuningStore(for device: SelectedDevice, note: (String) -> Void) throws -> TuningStore? {
        guard case .gpu = device, !noTuned, !sweep else { return nil }
        let path: String
        if let tuningDatabase {
            path = tuningDatabase
        } else {
            guard let standard = try? TuningStore.defaultPath(environment: ProcessInfo.processInfo.environment), FileManager.default.fileExists(atPath: standard) else { return nil }
            path = standard
        }
        let store = try TuningStore(path: path)
        if let warning = store.warning { note("sparrow: \(warning)") }
        return store
    }
}

import Foundation
import KernelGen
import Runtime
import SparseFormats

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

    /// Runs the benchmark; `note` hears progress and what is not run and why (one line each).
    package func run(note: @escaping @Sendable (String) -> Void) throws -> BenchReport {
        let extra = try configs.map { text in
            do { return try SpMMConfig(parsing: text) } catch { throw BenchSetupError("--config \(text): \(error)") }
        }
        let problems = try inputs(note: note)
        var setup = try BenchSetup.make(
            device: try device.resolve(note: { note("sparrow: \($0)") }), dtype: dtype, sweep: sweep,
            sweepLimit: sweepLimit, extra: extra, note: note)
        setup.candidates.removeAll { skip.contains($0.name) }
        var runner = BenchRunner(
            warmup: warmup, iterations: iterations, ceilings: setup.ceilings, elementBytes: dtype.byteWidth,
            dtype: dtype.rawValue, progress: note)
        runner.recordSweeps = sweep || !extra.isEmpty
        let results = runner.run(problems, candidates: setup.candidates)
        return BenchReport(
            command: command, date: ISO8601DateFormatter().string(from: Date()), commit: BuildInfo.commit,
            machine: BuildInfo.machine, device: setup.deviceName, ceilings: setup.ceilings, warmup: warmup,
            iterations: iterations, timingMethod: setup.timingMethod, problems: results)
    }
}

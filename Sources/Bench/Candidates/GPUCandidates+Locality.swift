import CUDA
import KernelGen
import Runtime
import SparseFormats
import Tuner

extension SparrowGPUCandidate {
    /// Configs of the search (its fastest correct ones of the families that take a row order)
    /// measured again with rows grouped by shared columns.
    static let localityRetrials = 3

    /// The row order as a knob of the search: the `localityRetrials` fastest correct configs of
    /// `trials` whose kernels take a row order (simple, tiled, X-tiled; the specialised family
    /// has its own `o` knob, the compact kernel none) measured again on operands prepared with
    /// ``SparseFormats/RowOrdering/locality`` (the permutation is built once here; the kernels apply it
    /// when they pick a row and undo it in the store). Returns the fastest of them, bound, when
    /// it beats `best` seconds, and a log entry per retrial (`config@locality`).
    func localityRetrial(
        _ problem: SpMMBenchProblem, x: [Float], verifier: Verifier, trials: [Trial<SpMMConfig>], best: Double?
    ) throws -> (kernel: BoundSpMMKernel?, log: [SweepEntry]) {
        let timed = trials.compactMap { trial in trial.seconds.map { (config: trial.config, seconds: $0) } }
            .filter { SpMMSpace.csrFamilies.contains($0.config.family) && $0.config.rowOrder == .identity }
            .sorted { $0.seconds < $1.seconds }
        guard !timed.isEmpty, rowOrdering == .identity, space.rowOrders.contains(.locality) else { return (nil, []) }
        let type = precision.storage
        let spmm = try SpMMProblem.make(problem.matrix, m: problem.m, type: type, rowOrdering: .locality, device: device.limits)
        let operands = try DeviceOperands(
            device: device, w: problem.matrix, x: x, m: problem.m, type: type,
            rowOrder: RowOrdering.locality.rowOrder(for: problem.matrix)?.rows)
        let measurer = GPUSpMMMeasurer(device: device, operands: operands, verifier: verifier, precision: precision)
        let configs = timed.prefix(Self.localityRetrials).map(\.config)
        measurer.prepare(Array(configs), for: spmm)
        var log: [SweepEntry] = []
        var winner: (config: SpMMConfig, seconds: Double)?
        for config in configs {
            let trial = measurer.measure(config, for: spmm)
            var entry = SweepEntry(trial: trial)
            entry.config += "@locality"
            log.append(entry)
            if let seconds = trial.seconds, seconds < (winner?.seconds ?? best ?? .infinity) { winner = (config, seconds) }
        }
        return (try winner.map { try measurer.bind($0.config, for: spmm) }, log)
    }
}

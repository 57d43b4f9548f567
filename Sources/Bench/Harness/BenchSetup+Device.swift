import KernelGen
import SparseFormats
import Runtime
import Tuner
import TuningStore

/// A benchmark request that cannot run on the chosen device.
package struct BenchSetupError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

extension BenchSetup {
    /// The candidates for `device`: on a GPU, Sparrow's tuned kernel and the GPU baselines; on
    /// the CPU, Sparrow's CPU plan and the CPU baselines. `note` hears what is not run and why.
    package static func make(
        device: SelectedDevice, dtype: ElementType, sweep: Bool, sweepLimit: Int, extra: [SpMMConfig] = [],
        tuning: TuningStore? = nil, cold: Bool = false, space: SpMMSpace = SpMMSpace(), cpuRowOrders: [RowOrdering] = [],
        note: (String) -> Void
    ) throws -> BenchSetup {
        guard dtype == .f32 || dtype == .f16 || dtype == .bf16 else {
            throw BenchSetupError("--dtype \(dtype.rawValue): the benchmark runs f32, f16 or bf16")
        }
        switch device {
        case let .gpu(gpu):
            note("benchmarking on \(gpu.summary)")
            let recall = tuning.map { TunedConfigRecall(store: $0, device: gpu) }
            if let recall { note("tuned configs: using those of \(recall.database) where it holds one for a problem") }
            if !cpuRowOrders.isEmpty { note("sparrow: --cpu-row-order applies to the CPU backend; the GPU searches the row order itself") }
            return try .gpu(gpu, dtype: dtype, sweep: sweep, sweepLimit: sweepLimit, extra: extra, recall: recall, cold: cold, space: space)
        case .cpu:
            if dtype != .f32 { throw BenchSetupError("--dtype \(dtype.rawValue) runs on the GPU; the CPU backend computes in f32") }
            if sweep || !extra.isEmpty {
                throw BenchSetupError("--sweep and --config time GPU kernel configurations; the CPU backend has none")
            }
            let setup = try BenchSetup.cpu(rowOrders: cpuRowOrders, note: { note("sparrow: \($0)") })
            note("benchmarking on \(setup.deviceName)")
            return setup
        }
    }
}

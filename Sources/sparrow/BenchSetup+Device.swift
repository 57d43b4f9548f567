import ArgumentParser
import Sparrow

extension BenchSetup {
    static func make(device: DeviceOption.Resolved, dtype: BenchDType, sweep: Bool, sweepLimit: Int) throws -> BenchSetup {
        switch device {
        case let .gpu(gpu):
            Console.note("benchmarking on \(gpu.summary)")
            return try .gpu(gpu, half: dtype == .f16, sweep: sweep, sweepLimit: sweepLimit)
        case .cpu:
            throw ValidationError("the CPU benchmark is not in this build yet")
        }
    }
}

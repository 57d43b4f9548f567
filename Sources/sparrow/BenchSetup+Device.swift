import ArgumentParser
import Sparrow

extension BenchSetup {
    static func make(
        device: DeviceOption.Resolved, dtype: BenchDType, sweep: Bool, sweepLimit: Int, extra: [SpMMConfig] = []
    ) throws -> BenchSetup {
        switch device {
        case let .gpu(gpu):
            Console.note("benchmarking on \(gpu.summary)")
            return try .gpu(gpu, half: dtype == .f16, sweep: sweep, sweepLimit: sweepLimit, extra: extra)
        case .cpu:
            if dtype == .f16 { throw ValidationError("--dtype f16 runs on the GPU; the CPU backend computes in f32") }
            if sweep || !extra.isEmpty {
                throw ValidationError("--sweep and --config time GPU kernel configurations; the CPU backend has none")
            }
            let setup = BenchSetup.cpu(note: { Console.note("sparrow: \($0)") })
            Console.note("benchmarking on \(setup.deviceName)")
            return setup
        }
    }
}

import ArgumentParser
import Sparrow

/// `--device auto|gpu|cpu`: auto takes the GPU when one works and says why when it does not.
enum DeviceOption: String, ExpressibleByArgument, CaseIterable {
    case auto, gpu, cpu

    enum Resolved {
        case gpu(GPUDevice)
        case cpu(reason: String?)
    }

    func resolve() throws -> Resolved {
        switch self {
        case .cpu:
            return .cpu(reason: nil)
        case .gpu:
            if let reason = CUDAEnvironment.gpuUnavailableReason { throw ValidationError("--device gpu: \(reason)") }
            return .gpu(try GPUDevice())
        case .auto:
            if let reason = CUDAEnvironment.gpuUnavailableReason {
                Console.note("sparrow: \(reason); using the CPU")
                return .cpu(reason: reason)
            }
            do {
                return .gpu(try GPUDevice())
            } catch {
                Console.note("sparrow: GPU not used: \(error); using the CPU")
                return .cpu(reason: "\(error)")
            }
        }
    }
}

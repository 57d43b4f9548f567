import CUDA

/// Which device runs Sparrow's kernels: `auto` takes the GPU when one works and otherwise the
/// CPU, saying why; `gpu` insists (an error names what is missing); `cpu` never tries the GPU.
public enum DeviceRequest: String, Sendable, CaseIterable {
    case auto, gpu, cpu
}

/// The device a ``DeviceRequest`` resolved to.
package enum SelectedDevice {
    /// A working GPU.
    case gpu(GPUDevice)
    /// The CPU; `reason` says why the GPU is not used when one was wanted (nil for `--device cpu`).
    case cpu(reason: String?)
}

/// `--device gpu` was asked for and no GPU can be used.
package struct DeviceUnavailable: Error, CustomStringConvertible {
    /// Why the GPU cannot be used (missing library, no device, driver error).
    package var reason: String
    package var description: String { "--device gpu: \(reason)" }
}

extension DeviceRequest {
    /// Resolves the request. `note` hears, once, why `auto` fell back to the CPU.
    package func resolve(note: (String) -> Void = { _ in }) throws -> SelectedDevice {
        switch self {
        case .cpu:
            return .cpu(reason: nil)
        case .gpu:
            if let reason = CUDAEnvironment.gpuUnavailableReason { throw DeviceUnavailable(reason: reason) }
            return .gpu(try GPUDevice())
        case .auto:
            if let reason = CUDAEnvironment.gpuUnavailableReason {
                note("\(reason); using the CPU")
                return .cpu(reason: reason)
            }
            do {
                return .gpu(try GPUDevice())
            } catch {
                note("GPU not used: \(error); using the CPU")
                return .cpu(reason: "\(error)")
            }
        }
    }
}

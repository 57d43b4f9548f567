import CPUKernels
import Runtime
import TuningStore

extension TuningContext {
    /// This host as a CPU context: the CPU's model, its cores and the kernels' generation (the C
    /// kernels with run-time ISA dispatch; each config names its path); no driver or compiler.
    package static func hostCPU(_ info: CPUInfo = .current()) -> TuningContext {
        TuningContext(
            deviceName: "cpu: \(info.modelName), \(info.cores) cores, C kernels", computeCapability: "",
            driverVersion: "", nvrtcVersion: "")
    }

    /// `device`'s context: its name, compute capability, driver and NVRTC versions.
    package static func gpu(_ device: GPUDevice) -> TuningContext {
        let properties = device.properties
        let driver = (try? device.context.driver.version()).map { "\($0.major).\($0.minor)" } ?? "unknown"
        return TuningContext(
            deviceName: properties.name,
            computeCapability: "\(properties.computeCapabilityMajor).\(properties.computeCapabilityMinor)",
            driverVersion: driver, nvrtcVersion: device.nvrtc.versionString)
    }
}

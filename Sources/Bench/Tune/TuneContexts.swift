import CPUKernels
import Runtime
import TuningStore

extension TuningContext {
    /// This host as a CPU context: the CPU's model, its cores and how CPUKernels was compiled
    /// (each changes which plan wins); no driver or compiler.
    package static func hostCPU(_ info: CPUInfo = .current()) -> TuningContext {
        let build = info.compiledWithFMA ? "fma build" : "baseline build"
        return TuningContext(
            deviceName: "cpu: \(info.modelName), \(info.cores) cores, \(build)", computeCapability: "",
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

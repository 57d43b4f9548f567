import KernelGen

/// Where and with what trials were measured. A stored trial is recalled, and counts towards a
/// best config, only in the same context: a new driver, compiler or generator version measures
/// afresh.
package struct TuningContext: Sendable, Hashable, Codable {
    /// The device's name as the driver reports it (`"NVIDIA H200"`), or the CPU's model.
    package var deviceName: String
    /// The compute capability, `"9.0"`; empty for a CPU.
    package var computeCapability: String
    /// The CUDA driver version (`"12.8"`); empty for a CPU.
    package var driverVersion: String
    /// The NVRTC version (`"12.8"`); empty for a CPU.
    package var nvrtcVersion: String
    /// ``KernelGen/generatorVersion`` when measured.
    package var generatorVersion: Int

    package init(
        deviceName: String, computeCapability: String, driverVersion: String, nvrtcVersion: String,
        generatorVersion: Int = KernelGen.generatorVersion
    ) {
        self.deviceName = deviceName
        self.computeCapability = computeCapability
        self.driverVersion = driverVersion
        self.nvrtcVersion = nvrtcVersion
        self.generatorVersion = generatorVersion
    }

    /// The database's column names (a ``StoredTrial`` encodes its context flat, beside its own fields).
    enum CodingKeys: String, CodingKey {
        case deviceName = "device_name"
        case computeCapability = "compute_capability"
        case driverVersion = "driver_version"
        case nvrtcVersion = "nvrtc_version"
        case generatorVersion = "generator_version"
    }

    /// A GPU context with the compute capability as KernelGen names it.
    package init(
        deviceName: String, computeCapability: ComputeCapability, driverVersion: String, nvrtcVersion: String,
        generatorVersion: Int = KernelGen.generatorVersion
    ) {
        self.init(
            deviceName: deviceName, computeCapability: computeCapability.description, driverVersion: driverVersion,
            nvrtcVersion: nvrtcVersion, generatorVersion: generatorVersion)
    }
}

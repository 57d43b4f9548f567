/// A CUDA compute capability, `major.minor` (8.0 for A100, 9.0 for H100/H200).
package struct ComputeCapability: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    package var major: Int
    package var minor: Int

    package init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The NVRTC architecture name, `sm_90`.
    package var architecture: String { "sm_\(major)\(minor)" }
    package var description: String { "\(major).\(minor)" }

    package static func < (a: Self, b: Self) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
}

/// The hardware limits a kernel configuration is checked against.
///
/// Values come from the device (the CUDA module reads them) or from a preset.
/// Only limits that change which configurations are legal live here.
package struct DeviceLimits: Sendable, Hashable, Codable {
    package var computeCapability: ComputeCapability
    package var multiprocessorCount: Int
    package var maxThreadsPerBlock: Int
    /// Shared memory one block may use without opting in (48 KiB on every GPU since Volta).
    package var maxSharedMemoryPerBlock: Int
    /// Shared memory one block may use after `cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)`.
    package var maxSharedMemoryPerBlockOptIn: Int
    package var registersPerMultiprocessor: Int
    package var warpSize: Int
    /// Largest `gridDim.y` (and `gridDim.z`); `gridDim.x` may reach 2^31 - 1.
    package var maxGridY: Int

    package init(
        computeCapability: ComputeCapability, multiprocessorCount: Int, maxThreadsPerBlock: Int = 1024,
        maxSharedMemoryPerBlock: Int = 48 * 1024, maxSharedMemoryPerBlockOptIn: Int,
        registersPerMultiprocessor: Int = 65536, warpSize: Int = 32, maxGridY: Int = 65535
    ) {
        self.computeCapability = computeCapability
        self.multiprocessorCount = multiprocessorCount
        self.maxThreadsPerBlock = maxThreadsPerBlock
        self.maxSharedMemoryPerBlock = maxSharedMemoryPerBlock
        self.maxSharedMemoryPerBlockOptIn = maxSharedMemoryPerBlockOptIn
        self.registersPerMultiprocessor = registersPerMultiprocessor
        self.warpSize = warpSize
        self.maxGridY = maxGridY
    }

    /// NVIDIA A100 (SXM, 108 SMs, 163 KiB opt-in shared memory per block).
    package static let sm80 = DeviceLimits(
        computeCapability: .init(major: 8, minor: 0), multiprocessorCount: 108,
        maxSharedMemoryPerBlockOptIn: 163 * 1024)

    /// NVIDIA H100 / H200 (SXM, 132 SMs, 227 KiB opt-in shared memory per block).
    package static let sm90 = DeviceLimits(
        computeCapability: .init(major: 9, minor: 0), multiprocessorCount: 132,
        maxSharedMemoryPerBlockOptIn: 227 * 1024)
}

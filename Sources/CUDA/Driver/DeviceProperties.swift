/// What the tuner and `sparrow doctor` need to know about a GPU, read with `cuDeviceGetAttribute`.
///
/// Clock rates are in kHz as the driver reports them. CUDA 13 deprecates the clock and
/// memory-clock attributes and some drivers report 0 for them: the value is kept as reported,
/// with nil meaning the driver refused the query.
package struct DeviceProperties: Codable, Hashable, Sendable {
    package var ordinal: Int
    package var name: String
    package var computeCapabilityMajor: Int
    package var computeCapabilityMinor: Int
    package var multiprocessorCount: Int
    package var totalMemoryBytes: Int
    package var l2CacheBytes: Int
    package var sharedMemoryPerBlock: Int
    package var sharedMemoryPerBlockOptIn: Int
    package var sharedMemoryPerMultiprocessor: Int
    package var registersPerBlock: Int
    package var registersPerMultiprocessor: Int
    package var maxThreadsPerBlock: Int
    package var maxThreadsPerMultiprocessor: Int
    package var warpSize: Int
    /// Typical SM clock in kHz (`CU_DEVICE_ATTRIBUTE_CLOCK_RATE`); 0 or nil where unsupported.
    package var clockRateKHz: Int?
    /// Peak memory clock in kHz (`CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE`); 0 or nil where unsupported.
    package var memoryClockRateKHz: Int?
    /// Memory bus width in bits.
    package var memoryBusWidthBits: Int?

    /// `sm_XY` for NVRTC's `--gpu-architecture`.
    package var smArchitecture: String { "sm_\(computeCapabilityMajor)\(computeCapabilityMinor)" }
    /// Compute capability as one number, e.g. 90 for 9.0.
    package var computeCapability: Int { computeCapabilityMajor * 10 + computeCapabilityMinor }

    /// Theoretical peak DRAM bandwidth in GB/s (2 transfers per clock), when the clock is known.
    package var peakMemoryBandwidthGBps: Double? {
        guard let clock = memoryClockRateKHz, clock > 0, let bus = memoryBusWidthBits, bus > 0 else { return nil }
        return 2.0 * Double(clock) * 1e3 * Double(bus / 8) / 1e9
    }

    /// Builds properties by hand (tests, and tuner models of devices not present).
    package init(
        ordinal: Int = 0, name: String, computeCapabilityMajor: Int, computeCapabilityMinor: Int,
        multiprocessorCount: Int, totalMemoryBytes: Int, l2CacheBytes: Int, sharedMemoryPerBlock: Int = 48 * 1024,
        sharedMemoryPerBlockOptIn: Int, sharedMemoryPerMultiprocessor: Int, registersPerBlock: Int = 65536,
        registersPerMultiprocessor: Int = 65536, maxThreadsPerBlock: Int = 1024, maxThreadsPerMultiprocessor: Int,
        warpSize: Int = 32, clockRateKHz: Int? = nil, memoryClockRateKHz: Int? = nil, memoryBusWidthBits: Int? = nil
    ) {
        self.ordinal = ordinal
        self.name = name
        self.computeCapabilityMajor = computeCapabilityMajor
        self.computeCapabilityMinor = computeCapabilityMinor
        self.multiprocessorCount = multiprocessorCount
        self.totalMemoryBytes = totalMemoryBytes
        self.l2CacheBytes = l2CacheBytes
        self.sharedMemoryPerBlock = sharedMemoryPerBlock
        self.sharedMemoryPerBlockOptIn = sharedMemoryPerBlockOptIn
        self.sharedMemoryPerMultiprocessor = sharedMemoryPerMultiprocessor
        self.registersPerBlock = registersPerBlock
        self.registersPerMultiprocessor = registersPerMultiprocessor
        self.maxThreadsPerBlock = maxThreadsPerBlock
        self.maxThreadsPerMultiprocessor = maxThreadsPerMultiprocessor
        self.warpSize = warpSize
        self.clockRateKHz = clockRateKHz
        self.memoryClockRateKHz = memoryClockRateKHz
        self.memoryBusWidthBits = memoryBusWidthBits
    }

    /// `CUdevice_attribute` values (cuda.h).
    enum Attribute: Int32 {
        case maxThreadsPerBlock = 1
        case sharedMemoryPerBlock = 8
        case warpSize = 10
        case registersPerBlock = 12
        case clockRate = 13
        case multiprocessorCount = 16
        case memoryClockRate = 36
        case memoryBusWidth = 37
        case l2CacheSize = 38
        case maxThreadsPerMultiprocessor = 39
        case computeCapabilityMajor = 75
        case computeCapabilityMinor = 76
        case sharedMemoryPerMultiprocessor = 81
        case registersPerMultiprocessor = 82
        case sharedMemoryPerBlockOptIn = 97
    }

    init(driver: CUDADriver, device: Int32, ordinal: Int) throws {
        func attribute(_ attribute: Attribute) throws -> Int {
            var value: Int32 = 0
            try driver.check(driver.cuDeviceGetAttribute(&value, attribute.rawValue, device),
                             "cuDeviceGetAttribute(\(attribute))")
            return Int(value)
        }
        func optionalAttribute(_ attribute: Attribute) -> Int? {
            var value: Int32 = 0
            return driver.cuDeviceGetAttribute(&value, attribute.rawValue, device) == 0 ? Int(value) : nil
        }
        var nameBuffer = [CChar](repeating: 0, count: 256)
        try driver.check(driver.cuDeviceGetName(&nameBuffer, Int32(nameBuffer.count), device), "cuDeviceGetName")
        var total = 0
        try driver.check(driver.cuDeviceTotalMem(&total, device), "cuDeviceTotalMem")
        self.ordinal = ordinal
        name = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        computeCapabilityMajor = try attribute(.computeCapabilityMajor)
        computeCapabilityMinor = try attribute(.computeCapabilityMinor)
        multiprocessorCount = try attribute(.multiprocessorCount)
        totalMemoryBytes = total
        l2CacheBytes = try attribute(.l2CacheSize)
        sharedMemoryPerBlock = try attribute(.sharedMemoryPerBlock)
        sharedMemoryPerBlockOptIn = try attribute(.sharedMemoryPerBlockOptIn)
        sharedMemoryPerMultiprocessor = try attribute(.sharedMemoryPerMultiprocessor)
        registersPerBlock = try attribute(.registersPerBlock)
        registersPerMultiprocessor = try attribute(.registersPerMultiprocessor)
        maxThreadsPerBlock = try attribute(.maxThreadsPerBlock)
        maxThreadsPerMultiprocessor = try attribute(.maxThreadsPerMultiprocessor)
        warpSize = try attribute(.warpSize)
        clockRateKHz = optionalAttribute(.clockRate)
        memoryClockRateKHz = optionalAttribute(.memoryClockRate)
        memoryBusWidthBits = optionalAttribute(.memoryBusWidth)
    }
}

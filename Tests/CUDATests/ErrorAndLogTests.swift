import Testing
@testable import CUDA

@Suite struct StatusNameTests {
    @Test func tablesNameKnownCodesAndMarkUnknownOnes() {
        #expect(CUBLASStatus.name(0) == "CUBLAS_STATUS_SUCCESS")
        #expect(CUBLASStatus.name(15) == "CUBLAS_STATUS_NOT_SUPPORTED")
        #expect(CUBLASStatus.name(2) == "CUBLAS_STATUS_UNKNOWN_2")
        #expect(CUSPARSEStatus.name(10) == "CUSPARSE_STATUS_NOT_SUPPORTED")
        #expect(CUSPARSEStatus.name(3) == "CUSPARSE_STATUS_INVALID_VALUE")
        #expect(CUSPARSEStatus.name(-1) == "CUSPARSE_STATUS_UNKNOWN_-1")
        #expect(NVRTCStatus.name(6) == "NVRTC_ERROR_COMPILATION")
        #expect(NVRTCStatus.name(5) == "NVRTC_ERROR_INVALID_OPTION")
        #expect(NVRTCStatus.name(18) == "NVRTC_ERROR_BUSY")
        #expect(NVRTCStatus.name(19) == "NVRTC_ERROR_UNKNOWN_19")
        #expect(DriverStatus.name(100) == "CUDA_ERROR_NO_DEVICE")
        #expect(DriverStatus.name(34) == "CUDA_ERROR_STUB_LIBRARY")
        #expect(DriverStatus.name(4242) == "CUDA_ERROR_4242")
    }

    @Test func messagesAreOneLineAndNameTheCall() {
        let errors: [CUDAError] = [
            .driver(call: "cuMemAlloc(64 bytes)", code: 2, name: "CUDA_ERROR_OUT_OF_MEMORY"),
            .nvrtc(call: "nvrtcCreateProgram", code: 1, name: "NVRTC_ERROR_OUT_OF_MEMORY"),
            .cublas(call: "cublasGemmEx", code: 15, name: CUBLASStatus.name(15)),
            .cusparse(call: "cusparseSpMM", code: 10, name: CUSPARSEStatus.name(10)),
            .libraryMissing(library: "libcuda", reason: "not found (tried libcuda.so.1)"),
            .noDevice(reason: "CUDA_ERROR_NO_DEVICE"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"), "\(error)")
        }
        #expect(errors[0].description.contains("cuMemAlloc(64 bytes)"))
        #expect(errors[0].description.contains("CUDA_ERROR_OUT_OF_MEMORY"))
        let compile = CUDAError.compileFailed(log: "line 1\nline 2", sourceDump: "/tmp/x.cu")
        #expect(compile.description.contains("/tmp/x.cu"))
        #expect(compile.description.contains("line 2"))
    }

    @Test func unsupportedCombinationsAreSkippable() {
        #expect(CUDAError.cusparse(call: "cusparseSpMM", code: 10, name: "").isUnsupported)
        #expect(CUDAError.cublas(call: "cublasGemmEx", code: 15, name: "").isUnsupported)
        #expect(CUDAError.unsupported("x").isUnsupported)
        #expect(!CUDAError.cusparse(call: "cusparseSpMM", code: 3, name: "").isUnsupported)
        #expect(!CUDAError.driver(call: "cuLaunchKernel", code: 700, name: "").isUnsupported)
    }
}

@Suite struct PtxasLogTests {
    // Verbatim NVRTC 13.0 output for two kernels (sm_90).
    let current = """
        ptxas info    : 0 bytes gmem
        ptxas info    : Compiling entry function 'big' for 'sm_90'
        ptxas info    : Function properties for big
        ptxas         .     1024 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
        ptxas info    : Used 32 registers, used 0 barriers, 1024 bytes cumulative stack size
        ptxas info    : Compile time = 63.277 ms
        ptxas info    : Compiling entry function 'k' for 'sm_90'
        ptxas info    : Function properties for k
        ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
        ptxas info    : Used 10 registers, used 1 barriers, 256 bytes smem, 372 bytes cmem[0]
        ptxas info    : Compile time = 2.201 ms
        """

    @Test func parsesEachKernel() {
        let kernels = PtxasLog.parse(current)
        #expect(kernels.map(\.function) == ["big", "k"])
        #expect(kernels[0] == KernelResourceUsage(function: "big", architecture: "sm_90", registers: 32,
                                                  stackFrameBytes: 1024))
        #expect(kernels[1] == KernelResourceUsage(function: "k", architecture: "sm_90", registers: 10,
                                                  sharedMemoryBytes: 256, barriers: 1, constantBank0Bytes: 372))
        #expect(!kernels[1].spills)
    }

    @Test func parsesSpillsAndTheOlderFormat() {
        let older = """
            ptxas info    : Compiling entry function '_Z4spmmPKfPf' for 'sm_80'
            ptxas info    : Function properties for _Z4spmmPKfPf
                16 bytes stack frame, 16 bytes spill stores, 24 bytes spill loads
            ptxas info    : Used 255 registers, 49152 bytes smem, 368 bytes cmem[0]
            """
        let kernels = PtxasLog.parse(older)
        #expect(kernels.count == 1)
        #expect(kernels[0].registers == 255)
        #expect(kernels[0].sharedMemoryBytes == 49152)
        // The properties line without a "ptxas" prefix (older NVRTC) is ignored rather than misread.
        #expect(kernels[0].architecture == "sm_80")
        let modern = """
            ptxas info    : Function properties for spmm
            ptxas         .     16 bytes stack frame, 16 bytes spill stores, 24 bytes spill loads
            ptxas info    : Used 40 registers, 16 bytes spill stores, 16 bytes spill loads
            """
        let spilled = PtxasLog.parse(modern)
        #expect(spilled.count == 1)
        #expect(spilled[0].function == "spmm")
        #expect(spilled[0].registers == 40)
        #expect(spilled[0].spillStoreBytes == 16)
        #expect(spilled[0].spillLoadBytes == 16)
        #expect(spilled[0].stackFrameBytes == 16)
        #expect(spilled[0].spills)
    }

    @Test func emptyAndUnrelatedLogsGiveNothing() {
        #expect(PtxasLog.parse("").isEmpty)
        #expect(PtxasLog.parse("kernel.cu(3): warning: variable declared but never used").isEmpty)
        #expect(PtxasLog.parse("ptxas info    : 0 bytes gmem").isEmpty)
    }
}

@Suite struct KernelArgumentTests {
    @Test func packsEachValueAlignedToItsSize() {
        let packed = PackedKernelArguments([.float32(2.5), .pointer(0x7F00_0000_1000), .int32(-3), .int32(7),
                                            .float64(0.125), .uint32(9), .int64(-1)])
        #expect(packed.offsets == [0, 8, 16, 20, 24, 32, 40])
        #expect(packed.storageSize == 48)
        #expect(packed.bytes(of: 0) == withUnsafeBytes(of: Float(2.5)) { Array($0) })
        #expect(packed.bytes(of: 1) == withUnsafeBytes(of: UInt64(0x7F00_0000_1000)) { Array($0) })
        #expect(packed.bytes(of: 2) == withUnsafeBytes(of: Int32(-3)) { Array($0) })
        #expect(packed.bytes(of: 4) == withUnsafeBytes(of: Double(0.125)) { Array($0) })
        #expect(packed.bytes(of: 6) == [UInt8](repeating: 0xFF, count: 8))
        for index in 0..<7 {
            let address = Int(bitPattern: packed.kernelParams[index])
            #expect(address % packed.arguments[index].size == 0)
        }
    }

    @Test func updateRewritesInPlace() {
        let packed = PackedKernelArguments([.pointer(1), .int32(5)])
        let before = packed.kernelParams[0]
        packed.update(0, to: .pointer(0xABCD))
        #expect(packed.kernelParams[0] == before)
        #expect(packed.bytes(of: 0) == withUnsafeBytes(of: UInt64(0xABCD)) { Array($0) })
        #expect(packed.arguments == [.pointer(0xABCD), .int32(5)])
    }

    @Test func noArguments() {
        let packed = PackedKernelArguments([])
        #expect(packed.offsets.isEmpty)
        #expect(packed.storageSize == 0)
    }

    @Test func dimensions() {
        #expect(Dim3(3, 2).volume == 6)
        #expect(Dim3(0).volume == 0)
    }
}

@Suite struct DevicePropertiesTests {
    @Test func derivedValues() throws {
        // H100 SXM-like numbers: 2619 MHz memory clock, 5120-bit bus.
        let h100 = DeviceProperties(name: "H100", computeCapabilityMajor: 9, computeCapabilityMinor: 0,
                                    multiprocessorCount: 132, totalMemoryBytes: 80 << 30, l2CacheBytes: 50 << 20,
                                    sharedMemoryPerBlockOptIn: 227 * 1024, sharedMemoryPerMultiprocessor: 228 * 1024,
                                    maxThreadsPerMultiprocessor: 2048, memoryClockRateKHz: 2_619_000,
                                    memoryBusWidthBits: 5120)
        #expect(h100.smArchitecture == "sm_90")
        #expect(h100.computeCapability == 90)
        let bandwidth = try #require(h100.peakMemoryBandwidthGBps)
        #expect(abs(bandwidth - 3352.3) < 1)
        var unknownClock = h100
        unknownClock.memoryClockRateKHz = 0  // CUDA 13 may report 0
        #expect(unknownClock.peakMemoryBandwidthGBps == nil)
    }
}

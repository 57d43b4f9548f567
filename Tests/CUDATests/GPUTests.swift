import Foundation
import Testing
@testable import CUDA

/// Whether a GPU is usable here; false on CI and development machines.
let gpuAvailable: Bool = CUDAEnvironment.gpuUnavailableReason == nil

@Suite struct EnvironmentTests {
    @Test func probeNeverThrowsAndIsConsistent() throws {
        let report = CUDAEnvironment.probe()
        #expect(report.driver.found == (report.driver.reason == nil))
        #expect(report.nvrtc.found == (report.nvrtc.version != nil))
        #expect((report.gpuUnavailableReason == nil) == (report.driver.found && !report.devices.isEmpty && report.nvrtc.found))
        if let reason = report.gpuUnavailableReason {
            #expect(!reason.contains("\n"))
            #expect(reason.hasPrefix("GPU not used: "))
        }
        #expect(!report.kernelCacheDirectory.isEmpty)
        // It is what `sparrow doctor --json` prints.
        let json = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(CUDAEnvironmentReport.self, from: json) == report)
    }

    @Test func cheapReasonAgreesWithTheProbe() {
        #expect((CUDAEnvironment.gpuUnavailableReason == nil) == (CUDAEnvironment.probe().gpuUnavailableReason == nil))
    }

    @Test(.enabled(if: !gpuAvailable, "a GPU is present"))
    func withoutAGPUContextCreationSaysWhy() {
        #expect {
            _ = try CUDAContext()
        } throws: { error in
            guard case CUDAError.noDevice(let reason) = error else { return false }
            return !reason.isEmpty
        }
    }
}

/// GPU checks of the CUDA module; they run only where a GPU is present.
@Suite(.enabled(if: gpuAvailable, "no usable GPU (see CUDAEnvironment.gpuUnavailableReason)"))
struct GPUTests {
    @Test func deviceProperties() throws {
        let properties = try CUDAContext().properties()
        #expect(properties.computeCapabilityMajor >= 7)
        #expect(properties.warpSize == 32)
        #expect(properties.maxThreadsPerBlock >= 1024)
        #expect(properties.sharedMemoryPerBlockOptIn >= properties.sharedMemoryPerBlock)
    }

    @Test func bufferEdgeCases() throws {
        let context = try CUDAContext()
        let one = try DeviceBuffer<Int32>(context: context, copying: [42])
        #expect(try one.download() == [42])
        #expect(throws: CUDAError.self) { try one.upload([1, 2]) }
        let empty = try DeviceBuffer<Float>(context: context, count: 0)
        #expect(empty.address == 0)
        try empty.fillBytes(0)
        #expect(try empty.download().isEmpty)
    }
}

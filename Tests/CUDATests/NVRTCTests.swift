import Foundation
import Testing
@testable import CUDA

/// Whether NVRTC loads here (CI installs the `nvidia-cuda-nvrtc` and `nvidia-cuda-runtime` wheels).
let nvrtcAvailable: Bool = (try? NVRTC.shared.get()) != nil

@Suite(.enabled(if: nvrtcAvailable, "NVRTC not found: pip install nvidia-cuda-nvrtc nvidia-cuda-runtime"))
struct NVRTCTests {
    let nvrtc: NVRTC

    init() throws {
        nvrtc = try NVRTC.shared.get()
    }

    @Test func reportsVersionArchitecturesAndHeaders() {
        #expect(nvrtc.version.major >= 12)
        #expect(nvrtc.supportedArchitectures.contains(80))
        #expect(nvrtc.supportedArchitectures.contains(90))
        #expect(nvrtc.headerFolder.map { FileManager.default.fileExists(atPath: $0 + "/cuda_fp16.h") } == true)
    }

    @Test(arguments: [80, 90])
    func compilesFloatKernelToCubinWithoutSpills(architecture: Int) throws {
        let kernel = try nvrtc.compile(SampleKernels.axpy, target: nvrtc.target(for: architecture))
        #expect(kernel.target == CompileTarget(format: .cubin, computeCapability: architecture))
        #expect(kernel.image.starts(with: [0x7F, 0x45, 0x4C, 0x46]))  // ELF
        let usage = try #require(kernel.resources(of: "axpy"))
        #expect(usage.registers > 0)
        #expect(!usage.spills)
        #expect(usage.architecture == kernel.target.architectureName)  // sm_80, sm_90a
    }

    @Test(arguments: [80, 90])
    func compilesHalfKernelWithTheDiscoveredHeaders(architecture: Int) throws {
        let kernel = try nvrtc.compile(SampleKernels.axpyHalf, target: nvrtc.target(for: architecture))
        let usage = try #require(kernel.resources(of: "axpy_half"))
        #expect(usage.registers > 0)
        #expect(!usage.spills)
    }

    @Test func sharedMemoryAndSpillsShowInTheReport() throws {
        let source = """
            extern "C" __global__ void tile(const float* x, float* y) {
                __shared__ float s[1024];
                s[threadIdx.x] = x[threadIdx.x];
                __syncthreads();
                y[threadIdx.x] = s[1023 - threadIdx.x];
            }
            """
        let kernel = try nvrtc.compile(source, target: CompileTarget(format: .cubin, computeCapability: 90))
        #expect(kernel.resources(of: "tile")?.sharedMemoryBytes == 4096)
        let squeezed = try nvrtc.compile(
            """
            extern "C" __global__ void heavy(const float* x, float* y) {
                float a[64];
                #pragma unroll
                for (int i = 0; i < 64; i++) a[i] = x[i * blockDim.x + threadIdx.x];
                float s = 0;
                #pragma unroll
                for (int j = 0; j < 64; j++) { s += a[j] * a[63 - j]; a[j] = s; }
                #pragma unroll
                for (int i = 0; i < 64; i++) y[i * blockDim.x + threadIdx.x] = a[i];
            }
            """, target: CompileTarget(format: .cubin, computeCapability: 90),
            options: CompileOptions(extraOptions: ["--maxrregcount=16"]))
        let usage = try #require(squeezed.resources(of: "heavy"))
        #expect(usage.registers <= 32)  // ptxas rounds the cap up to its minimum (24 on sm_90)
        #expect(usage.spills)
    }

    @Test func unannotatedHelpersNeedDefaultDevice() throws {
        let source = "float twice(float x) { return 2 * x; }\n"
            + "extern \"C\" __global__ void k(float* y) { y[0] = twice(y[0]); }"
        let target = CompileTarget(format: .cubin, computeCapability: 90)
        #expect(throws: CUDAError.self) { try nvrtc.compile(source, target: target) }
        let kernel = try nvrtc.compile(source, target: target, options: CompileOptions(extraOptions: ["-default-device"]))
        #expect(kernel.resources(of: "k") != nil)
    }

    @Test func ptxTarget() throws {
        let kernel = try nvrtc.compile(SampleKernels.axpy, target: CompileTarget(format: .ptx, computeCapability: 80))
        let text = String(decoding: kernel.image, as: UTF8.self)
        #expect(text.contains(".entry axpy"))
        #expect(text.contains(".target sm_80"))
    }

    @Test func brokenKernelReportsLogAndDump() throws {
        do {
            _ = try nvrtc.compile(SampleKernels.broken, name: "broken.cu", target: CompileTarget(format: .cubin, computeCapability: 90))
            Issue.record("broken kernel compiled")
        } catch let CUDAError.compileFailed(log, sourceDump) {
            #expect(log.contains("undeclared_value"))
            #expect(log.contains("NVRTC_ERROR_COMPILATION"))
            #expect(FileManager.default.fileExists(atPath: sourceDump))
            let dumped = try String(contentsOfFile: sourceDump, encoding: .utf8)
            #expect(dumped.contains("undeclared_value"))
            #expect(dumped.contains("--gpu-architecture=sm_90"))
        }
    }

    @Test func rejectedOptionIsACompileFailure() {
        #expect {
            _ = try nvrtc.compile(SampleKernels.axpy, target: CompileTarget(format: .cubin, computeCapability: 90),
                                  options: CompileOptions(extraOptions: ["-O3"]))
        } throws: { error in
            guard case let CUDAError.compileFailed(log, _) = error else { return false }
            return log.contains("-O3")
        }
    }

    @Test func compilesThroughTheDiskCache() throws {
        let folder = NSTemporaryDirectory() + "sparrow-nvrtc-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = CompileTarget(format: .cubin, computeCapability: 90)
        let first = try nvrtc.compile(SampleKernels.axpy, target: target, cache: KernelCache(directory: folder))
        let cache = KernelCache(directory: folder)
        let second = try nvrtc.compile(SampleKernels.axpy, target: target, cache: cache)
        #expect(first == second)
        #expect(cache.statistics.diskHits == 1)
        #expect(cache.statistics.compiles == 0)
    }
}

import CUDA
import Foundation
import KernelGen
import Synchronization

/// One GPU ready for Sparrow's kernels: context, stream, NVRTC target, kernel cache.
///
/// Opening it loads libcuda and NVRTC (cuBLAS and cuSPARSE only when a baseline asks).
/// Compiled functions are kept per kernel body, so problems that share a kernel
/// variant (same config, dtype, epilogue and row ordering) compile once.
package final class GPUDevice: @unchecked Sendable {
    package let context: CUDAContext
    package let stream: CUDAStream
    package let properties: DeviceProperties
    package let limits: DeviceLimits
    package let nvrtc: NVRTC
    package let target: CompileTarget
    package let cache: KernelCache
    private let functions = Mutex<[String: LoadedKernel]>([:])

    /// A compiled, loaded kernel and what the compiler said about it.
    package struct LoadedKernel: @unchecked Sendable {
        package var function: CUDAFunction
        package var compiled: CompiledKernel
        package var resources: KernelResourceUsage?
    }

    package init(ordinal: Int = 0) throws {
        let nvrtc = try NVRTC.shared.get()
        context = try CUDAContext(ordinal: ordinal)
        stream = try CUDAStream(context: context)
        properties = try context.properties()
        limits = GPUDevice.limits(properties)
        self.nvrtc = nvrtc
        target = try nvrtc.target(for: properties.computeCapability)
        cache = KernelCache(directory: KernelCache.defaultDirectory())
    }

    /// KernelGen's view of this device.
    package static func limits(_ p: DeviceProperties) -> DeviceLimits {
        DeviceLimits(
            computeCapability: ComputeCapability(major: p.computeCapabilityMajor, minor: p.computeCapabilityMinor),
            multiprocessorCount: p.multiprocessorCount, maxThreadsPerBlock: p.maxThreadsPerBlock,
            maxSharedMemoryPerBlock: p.sharedMemoryPerBlock, maxSharedMemoryPerBlockOptIn: p.sharedMemoryPerBlockOptIn,
            registersPerMultiprocessor: p.registersPerMultiprocessor, warpSize: p.warpSize)
    }

    /// A one-line description: name, compute capability, SMs, memory.
    package var summary: String {
        "\(properties.name) (sm_\(properties.computeCapability), \(properties.multiprocessorCount) SMs, \(properties.totalMemoryBytes >> 30) GiB)"
    }

    /// Compiles (through the kernel cache) and loads `source`, once per kernel body.
    ///
    /// The first comment lines of a rendered kernel name the problem it was rendered for;
    /// the body does not depend on them, so they are replaced by a line naming the variant
    /// before compiling, and the compiled function is shared by every problem of the variant.
    package func load(_ source: KernelSource) throws -> LoadedKernel {
        let body = GPUDevice.body(of: source.source)
        let key = GPUDevice.compileKey(source)
        if let hit = functions.withLock({ $0[key] }) { return hit }
        let text = "// sparrow kernel \(source.entryPoint), KernelGen v\(source.generatorVersion); shared by every problem of this variant\n" + body
        let compiled = try nvrtc.compile(text, name: "\(source.entryPoint).cu", target: target, cache: cache)
        let module = try CUDAModule(context: context, kernel: compiled)
        let function = try module.function(source.entryPoint)
        let loaded = LoadedKernel(function: function, compiled: compiled, resources: compiled.resources(of: source.entryPoint))
        functions.withLock { $0[key] = loaded }
        return loaded
    }

    /// Compiles many kernels on all host cores (NVRTC programs are independent), filling
    /// the disk cache so the `load` calls that follow only load modules. Returns the seconds each
    /// distinct kernel's compile (or disk-cache hit) took, keyed by ``compileKey(_:)``, so that
    /// trials can count the compile time their kernel cost.
    @discardableResult
    package func precompile(_ sources: [KernelSource]) -> [String: Double] {
        var seen = Set<String>(), list: [KernelSource] = []
        for s in sources where seen.insert(GPUDevice.compileKey(s)).inserted { list.append(s) }
        let unique = list
        let nvrtc = self.nvrtc, target = self.target, cache = self.cache
        let seconds = Mutex<[String: Double]>([:])
        DispatchQueue.concurrentPerform(iterations: unique.count) { i in
            let s = unique[i]
            let text = "// sparrow kernel \(s.entryPoint), KernelGen v\(s.generatorVersion); shared by every problem of this variant\n" + GPUDevice.body(of: s.source)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try? nvrtc.compile(text, name: "\(s.entryPoint).cu", target: target, cache: cache)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            seconds.withLock { $0[GPUDevice.compileKey(s)] = elapsed }
        }
        return seconds.withLock { $0 }
    }

    /// What identifies one compiled kernel: its entry point and body (the header names the problem only).
    package static func compileKey(_ source: KernelSource) -> String {
        source.entryPoint + "\u{0}" + body(of: source.source)
    }

    package static func body(of source: String) -> String {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let first = lines.first, first.hasPrefix("//") { lines = lines.dropFirst() }
        return lines.joined(separator: "\n")
    }
}

import CUDA
import KernelGen
import SparseFormats

/// One of Sparrow's generated kernels, compiled, loaded and bound to its operands.
///
/// Binding packs the launch arguments once; `launch()` then costs one `cuLaunchKernel`.
package final class BoundSpMMKernel {
    package let source: KernelSource
    package let config: SpMMConfig
    package let loaded: GPUDevice.LoadedKernel
    package let launch: PreparedLaunch
    package let operands: DeviceOperands

    package convenience init(device: GPUDevice, problem: SpMMProblem, config: SpMMConfig, operands: DeviceOperands) throws {
        try self.init(
            device: device, source: try KernelGen.render(problem, config, pattern: operands.host), config: config,
            operands: operands)
    }

    /// Binds an already rendered kernel (compiled through the device's cache).
    package convenience init(device: GPUDevice, source: KernelSource, config: SpMMConfig, operands: DeviceOperands) throws {
        try self.init(device: device, source: source, config: config, loaded: try device.load(source), operands: operands)
    }

    /// Binds a rendered and loaded kernel to its operands.
    package init(
        device: GPUDevice, source: KernelSource, config: SpMMConfig, loaded: GPUDevice.LoadedKernel, operands: DeviceOperands
    ) throws {
        self.source = source
        self.config = config
        self.loaded = loaded
        self.operands = operands
        launch = try PreparedLaunch(
            function: loaded.function,
            grid: Dim3(source.grid.x, source.grid.y, source.grid.z),
            block: Dim3(source.block.x, source.block.y, source.block.z),
            dynamicSharedBytes: source.dynamicSharedMemoryBytes, stream: device.stream,
            arguments: try operands.arguments(for: source, rowOrder: config.rowOrder))
    }

    /// Registers, spills (bytes stored and loaded) and shared memory, from the ptxas log.
    package var resourceSummary: String {
        let dynamic = "\(source.dynamicSharedMemoryBytes) B dynamic smem"
        guard let r = loaded.resources else { return "\(dynamic); no ptxas report (PTX target)" }
        return "\(r.registers) registers, \(r.spillStoreBytes)/\(r.spillLoadBytes) B spilled, \(r.sharedMemoryBytes) B static + \(dynamic)"
    }

    /// Poisons Y, runs once, and returns Y as Float.
    package func checkedOutput(device: GPUDevice) throws -> [Float] {
        try operands.poisonOutput(stream: device.stream)
        try launch.launch(on: device.stream)
        try device.stream.synchronize()
        return try operands.output()
    }

    /// Seconds per launch, back to back on the device's stream.
    package func time(device: GPUDevice, warmup: Int, iterations: Int) throws -> [Double] {
        try LaunchTiming.samples(stream: device.stream, warmup: warmup, iterations: iterations) { try launch.launch(on: device.stream) }
    }
}

extension SpMMProblem {
    /// KernelGen's problem for a benchmark matrix on a device.
    package static func make(_ w: CSRMatrix<Float>, m: Int, type: ElementType, epilogue: Epilogue = .none,
                     rowOrdering: RowOrdering = .identity, device: DeviceLimits) throws -> SpMMProblem {
        try SpMMProblem(pattern: w, m: m, patternDigest: w.patternDigest.value, elementType: type,
                        epilogue: epilogue, rowOrdering: rowOrdering, device: device)
    }
}

import CUDA
import KernelGen

extension GPUDevice {
    /// Compiles (through the cache) and loads `source`, then binds one launch of it on this
    /// device's stream with its own grid, block and dynamic shared memory; `dependent`: as a
    /// programmatic dependent launch (``PreparedLaunch/dependent``). A source whose grid must be
    /// co-resident (``KernelSource/coResidentGrid``) is launched cooperatively.
    package func prepare(_ source: KernelSource, arguments: [KernelArgument], dependent: Bool = false) throws -> PreparedLaunch {
        let loaded = try load(source)
        return try PreparedLaunch(
            function: loaded.function, grid: Dim3(source.grid.x, source.grid.y, source.grid.z),
            block: Dim3(source.block.x, source.block.y, source.block.z), dynamicSharedBytes: source.dynamicSharedMemoryBytes,
            stream: stream, arguments: arguments, dependent: dependent, cooperative: source.coResidentGrid)
    }
}

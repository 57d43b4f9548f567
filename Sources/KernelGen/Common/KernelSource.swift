/// A rendered kernel: CUDA C text plus everything needed to launch it.
///
/// Launch contract (what the launcher guarantees, what the kernel then guarantees):
/// - every pointer is 16-byte aligned (device allocations are 256-byte aligned);
/// - `n` and `m` equal the problem's; `rowOffsets`, `columnIndices`, `values` are canonical CSR;
///   `columnIndices16` are the same indices as 16-bit integers; `deltaOffsets`, `deltaNibbles`,
///   `deltaValues` are W's delta4 encoding; `values`, `columnIndices16`, `deltaNibbles` and
///   `deltaValues` are readable (padded) up to the next multiple of 8 entries;
/// - `rowOrder`, when present, is a permutation of `0..<n`; `bias`, when present, holds `n` elements;
/// - `y` overlaps no input (inputs are read through the non-coherent cache);
/// - then every element of `y` is written exactly once: no memset, no workspace, no atomics.
package struct KernelSource: Sendable, Hashable, Codable {
    /// CUDA C++ source for NVRTC; starts with a comment naming the problem and config.
    package var source: String
    /// The `extern "C"` kernel name.
    package var entryPoint: String
    package var grid: LaunchDimensions
    package var block: LaunchDimensions
    /// Dynamic shared memory to pass at launch. At most 48 KiB except for xTile, whose X chunks
    /// may use up to the device's opt-in limit: above 48 KiB the launcher must first raise the
    /// function's `MAX_DYNAMIC_SHARED_SIZE_BYTES` (PreparedLaunch does).
    package var dynamicSharedMemoryBytes: Int
    /// Parameters in declaration order.
    package var parameters: [KernelParameter]
    /// Oldest architecture the source compiles for (`cp.async` needs 8.0).
    package var minimumComputeCapability: ComputeCapability
    /// Alignment in bytes every pointer argument must have.
    package var requiredPointerAlignment: Int
    /// ``KernelGen/generatorVersion`` at render time.
    package var generatorVersion: Int
    /// Every block of the grid must be resident at once (its blocks wait for each other at grid
    /// barriers): the launcher launches it cooperatively, so that a grid the device cannot hold
    /// fails at launch instead of hanging.
    package var coResidentGrid: Bool = false
}

import CUDA
import Foundation
import KernelGen
import SparseFormats

/// Sparse attention over one ``SparseFormats/ACSR`` pattern on a GPU: the pattern's metadata
/// uploaded once (O(L) Int32 and Int64 arrays), then fused or unfused launches bound to Q, K, V
/// and O buffers of `batchHeads x L x headSize` elements (``GPUAttentionOperands``).
package final class GPUSparseAttention {
    package let device: GPUDevice
    package let pattern: ACSR
    package let problem: AttentionProblem
    package let shape: AttentionShape
    let segmentStart: DeviceBuffer<Int32>
    let segmentStride: DeviceBuffer<Int32>
    let segmentCount: DeviceBuffer<Int32>
    let rowOffset: DeviceBuffer<Int64>
    /// The unfused path's fp32 scores (`batchHeads x nnz`), allocated by the first unfused bind.
    private var scores: DeviceBuffer<Float>?
    /// Split plans and their device work lists and workspaces, per (queries per block, keys per
    /// tile, tiles per split), made by the first use of a split config.
    private var splits: [SplitKey: SplitWorkspace] = [:]

    /// Uploads the pattern's metadata. Throws for a head size or type the kernels do not take, or
    /// an empty sequence.
    package init(device: GPUDevice, pattern: ACSR, batchHeads: Int, headSize: Int, elementType: ElementType) throws {
        self.device = device
        self.pattern = pattern
        problem = try AttentionProblem(headSize: headSize, elementType: elementType, device: device.limits)
        shape = try AttentionShape(
            length: pattern.length, batchHeads: batchHeads, segmentsPerRow: pattern.segmentsPerRow,
            viewStride: Self.viewStride(pattern), nnz: pattern.nnz, longestRow: Int(pattern.rowLength.max() ?? 0))
        let context = device.context
        segmentStart = try DeviceBuffer(context: context, copying: pattern.segmentStart)
        segmentStride = try DeviceBuffer(context: context, copying: pattern.segmentStride)
        segmentCount = try DeviceBuffer(context: context, copying: pattern.segmentCount)
        rowOffset = try DeviceBuffer(context: context, copying: pattern.rowOffset)
    }

    /// The largest view stride v the tensor-core kernel may group queries by: every key j of every
    /// row i must satisfy j ≡ i (mod v), i.e. v divides start - i of every used segment and the
    /// stride of every segment with two or more keys; the gcd of those numbers (1 when it is 0,
    /// capped at L). A dilated window gets its stride, any pattern with a stride-1 run gets 1.
    package static func viewStride(_ pattern: ACSR) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        var g = 0
        let s = pattern.segmentsPerRow
        for i in 0..<pattern.length {
            for slot in 0..<s {
                let p = i * s + slot
                let count = Int(pattern.segmentCount[p])
                if count == 0 { break }
                g = gcd(g, abs(Int(pattern.segmentStart[p]) - i))
                if count > 1 { g = gcd(g, Int(pattern.segmentStride[p])) }
                if g == 1 { return 1 }
            }
        }
        return max(1, min(g, pattern.length))
    }

    /// The kernels of `config` (one fused, or the unfused three), rendered for this pattern's shape
    /// (a split config for its plan).
    package func sources(_ config: AttentionConfig) throws -> [KernelSource] {
        config.variant == .unfused
            ? try AttentionKernels.unfused(problem, shape, config)
            : [try AttentionKernels.fused(problem, shape, config, plan: config.splits ? try splitPlan(config) : nil)]
    }

    /// The split plan of a split config over this pattern (computed once per block, tile and T).
    package func splitPlan(_ config: AttentionConfig) throws -> AttentionSplitPlan {
        try splitWorkspace(config).plan
    }

    /// Device bytes a split config adds beyond the metadata: its work list, fp32 partials and
    /// counters (0 for an unsplit config).
    package func splitWorkspaceBytes(_ config: AttentionConfig) throws -> Int {
        guard config.splits else { return 0 }
        let w = try splitWorkspace(config)
        return w.work.byteCount + w.partialO.byteCount + w.partialML.byteCount + w.counters.byteCount
    }

    /// Binds `config` to `operands`: its launches, in order. `scale` defaults to 1 / sqrt(headSize).
    package func bind(_ config: AttentionConfig, operands: GPUAttentionOperands, scale: Double? = nil) throws -> BoundAttention {
        guard operands.type == problem.elementType, operands.elements == shape.batchHeads * shape.length * problem.headSize else {
            throw CUDAError.invalidArgument(
                "attention operands of \(operands.elements) \(operands.type.rawValue) elements do not match \(problem) \(shape)")
        }
        let scale = Float(scale ?? 1 / Double(problem.headSize).squareRoot())
        let sources = try sources(config)
        let l = Int32(shape.length), s = Int32(shape.segmentsPerRow), nnz = Int64(shape.nnz)
        let segments: [KernelArgument] = [.buffer(segmentStart), .buffer(segmentStride), .buffer(segmentCount)]
        let q = KernelArgument.buffer(operands.q), k = KernelArgument.buffer(operands.k)
        let v = KernelArgument.buffer(operands.v), o = KernelArgument.buffer(operands.o)
        var arguments: [[KernelArgument]]
        switch config.variant {
        case .tensorCore, .warpGroup, .rowWarp:
            arguments = [[q, k, v, o] + segments + [.int32(l), .int32(s), .int32(Int32(shape.viewStride)), .float32(scale * Float(M_LOG2E))]]
            if config.splits {
                let w = try splitWorkspace(config)
                arguments[0] += [
                    .buffer(w.work), .buffer(w.partialO), .buffer(w.partialML), .buffer(w.counters), .int32(Int32(w.plan.partials)),
                    .int32(Int32(w.plan.groups)),
                ]
            }
        case .unfused:
            let p = KernelArgument.buffer(try scoreBuffer())
            arguments = [
                [q, k, p] + segments + [.buffer(rowOffset), .int32(l), .int32(s), .int64(nnz), .float32(scale)],
                [p, .buffer(rowOffset), .int32(l), .int64(nnz)],
                [p, v, o] + segments + [.buffer(rowOffset), .int32(l), .int32(s), .int64(nnz)],
            ]
        }
        let launches = try zip(sources, arguments).map { try device.prepare($0, arguments: $1) }
        return BoundAttention(config: config, sources: sources, launches: launches, operands: operands)
    }

    /// Bytes the unfused path's scores take (`batchHeads x nnz` floats).
    package var scoreBytes: Int { shape.batchHeads * shape.nnz * 4 }

    private func splitWorkspace(_ config: AttentionConfig) throws -> SplitWorkspace {
        let key = SplitKey(queriesPerBlock: config.queriesPerBlock, keysPerTile: config.keysPerTile, tilesPerSplit: config.tilesPerSplit)
        if let found = splits[key] { return found }
        let plan = try AttentionSplitPlan(pattern: pattern, viewStride: shape.viewStride, config: config)
        let context = device.context
        let rows = shape.batchHeads * plan.partials * plan.queriesPerBlock
        let workspace = SplitWorkspace(
            plan: plan, work: try DeviceBuffer(context: context, copying: plan.words),
            partialO: try DeviceBuffer(context: context, count: max(1, rows * problem.headSize)),
            partialML: try DeviceBuffer(context: context, count: max(1, rows * 2)),
            counters: try DeviceBuffer(context: context, copying: [Int32](repeating: 0, count: max(1, shape.batchHeads * plan.groups))))
        splits[key] = workspace
        return workspace
    }

    private struct SplitKey: Hashable {
        var queriesPerBlock: Int, keysPerTile: Int, tilesPerSplit: Int
    }

    /// A split plan on the device: the work list, the partials (O, then (max, sum)) and the
    /// groups' counters, zero between launches (the merging block resets its group's).
    private struct SplitWorkspace {
        let plan: AttentionSplitPlan
        let work: DeviceBuffer<Int32>
        let partialO: DeviceBuffer<Float>
        let partialML: DeviceBuffer<Float>
        let counters: DeviceBuffer<Int32>
    }

    private func scoreBuffer() throws -> DeviceBuffer<Float> {
        if let scores { return scores }
        let buffer = try DeviceBuffer<Float>(context: device.context, count: max(1, shape.batchHeads * shape.nnz))
        scores = buffer
        return buffer
    }
}

/// One attention config bound to its operands: launching it queues its kernels in order.
package struct BoundAttention {
    package let config: AttentionConfig
    package let sources: [KernelSource]
    package let launches: [PreparedLaunch]
    package let operands: GPUAttentionOperands

    /// Queues the launches on the device's stream.
    package func launch() throws {
        for launch in launches { try launch.launch() }
    }

    /// Poisons O, runs once, and returns O as Float (`batchHeads x L x headSize`).
    package func checkedOutput(device: GPUDevice) throws -> [Float] {
        try operands.poisonOutput(stream: device.stream)
        try launch()
        try device.stream.synchronize()
        return try operands.output()
    }

    /// Seconds per run (all launches), back to back on the device's stream.
    package func time(device: GPUDevice, warmup: Int, iterations: Int) throws -> [Double] {
        try LaunchTiming.samples(stream: device.stream, warmup: warmup, iterations: iterations) { try launch() }
    }
}

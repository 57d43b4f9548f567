import SparseFormats
import Testing

@testable import KernelGen

/// A stratified sample of a strip/slice family's kernels for the NVRTC compile test: sm_80 and
/// sm_90, fp16 and bf16, every column tile with `chunksPerTile` chunks (cycling through them),
/// with strips, slices, ring depth, K splits, m (1 to 512, both X staging modes) and the
/// epilogue cycling; each config made legal by lowering the ring, then the slices, then the strips.
func stripSliceCompileJobs<C: StripSliceConfig>(
    _ type: C.Type, label: String, chunksPerTile: Int, wrap: (C) -> SpMMConfig,
    problem: (_ m: Int, _ type: ElementType, _ device: DeviceLimits, _ epilogue: Epilogue) throws -> SpMMProblem
) throws -> [KernelCorpus.Job] {
    var jobs: [KernelCorpus.Job] = []
    let widths = [1, 3, 8, 16, 17, 64, 130, 512]
    var index = 0
    for device in [DeviceLimits.sm80, .sm90] {
        let architecture = device.computeCapability.major * 10 + device.computeCapability.minor
        for elementType in [ElementType.f16, .bf16] {
            for columns in C.columnChoices {
                for slot in 0..<chunksPerTile {
                    index += 1
                    let chunk = C.chunkChoices[(index + slot) % C.chunkChoices.count]
                    let m = widths[index % widths.count]
                    let epilogue = Epilogue.allCases[index % Epilogue.allCases.count]
                    let spmm = try problem(m, elementType, device, epilogue)
                    var config = C(
                        strips: C.stripChoices[index % C.stripChoices.count], slices: [2, 4, 8][index % 3], columns: columns,
                        chunk: chunk, stages: C.stageChoices[(index / 3) % C.stageChoices.count],
                        splits: C.splitChoices[(index / 2) % C.splitChoices.count])
                    // The deepest ring, then the most slices and splits, that fit the device.
                    while (try? config.validate(for: spmm)) == nil, config.stages > 2 {
                        config = C(strips: config.strips, slices: config.slices, columns: columns, chunk: chunk, stages: config.stages - 1, splits: config.splits)
                    }
                    while (try? config.validate(for: spmm)) == nil, config.slices > 1 {
                        config = C(strips: config.strips, slices: config.slices / 2, columns: columns, chunk: chunk, stages: config.stages, splits: config.splits)
                    }
                    while (try? config.validate(for: spmm)) == nil, config.strips > 1 {
                        config = C(strips: config.strips / 2, slices: config.slices, columns: columns, chunk: chunk, stages: config.stages, splits: config.splits)
                    }
                    let kernel = try KernelGen.render(spmm, wrap(config))
                    jobs.append(KernelCorpus.Job(
                        config: wrap(config), elementType: elementType, epilogue: epilogue, rowOrdering: .identity,
                        architecture: architecture, entryPoint: kernel.entryPoint, source: kernel.source,
                        problems: ["\(label)-4096x11008-m\(m)/\(elementType.rawValue)"]))
                }
            }
        }
    }
    return jobs
}

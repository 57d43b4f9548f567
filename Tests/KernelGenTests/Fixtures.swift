import SparseFormats
import Testing

@testable import KernelGen

/// A valid problem with defaults that tests override one field at a time.
func makeProblem(
    n: Int = 2048, k: Int = 512, m: Int = 256, nnz: Int = 104_858, maxRowLength: Int = 80,
    type: ElementType = .f32, epilogue: Epilogue = .none, ordering: RowOrdering = .identity,
    device: DeviceLimits = .sm90, digest: UInt64 = 0x9f2c_41e0_0bad_cafe, maxBlockEntries: Int? = nil
) throws -> SpMMProblem {
    try SpMMProblem(
        n: n, k: k, m: m, nnz: nnz, patternDigest: digest, maxRowLength: maxRowLength, elementType: type,
        epilogue: epilogue, rowOrdering: ordering, maxBlockEntries: maxBlockEntries, device: device)
}

/// The ConfigError `body` throws, or nil; any other error is a test failure.
func configError(_ body: () throws -> Void) -> ConfigError? {
    do {
        try body()
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// A baseline tiled config valid for `makeProblem()`.
let baseTiled = SpMMConfig.tiled(
    subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: true)

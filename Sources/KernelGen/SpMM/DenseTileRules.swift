import SparseFormats

/// The dense side shared by the tiled and X-tiled families: vector width, alignment, tile,
/// accumulators.
enum DenseTileRules {
    /// Dense vector widths in elements; at most 16 bytes of the element type are legal.
    static let vectorWidths = [1, 2, 4, 8]
    /// Most float accumulators one thread may hold (tileWidth / subwarpSize).
    static let maxAccumulatorsPerThread = 32

    static func check(vectorWidth: Int, tileWidth: Int, subwarpSize: Int, problem: SpMMProblem) throws(ConfigError) {
        let type = problem.elementType
        guard vectorWidths.contains(vectorWidth), vectorWidth * type.byteWidth <= 16 else {
            throw .unsupportedVectorWidth(width: vectorWidth, elementType: type)
        }
        guard problem.m % vectorWidth == 0 else { throw .vectorWidthMisaligned(width: vectorWidth, m: problem.m) }
        guard tileWidth > 0, tileWidth % (vectorWidth * subwarpSize) == 0 else {
            throw .tileNotMultiple(tile: tileWidth, vectorWidth: vectorWidth, subwarpSize: subwarpSize)
        }
        let accumulators = tileWidth / subwarpSize
        guard accumulators <= maxAccumulatorsPerThread else {
            throw .tooManyAccumulators(perThread: accumulators, limit: maxAccumulatorsPerThread)
        }
    }
}

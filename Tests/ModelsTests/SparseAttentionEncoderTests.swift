import CPUKernels
import Runtime
import SparseFormats
import Testing
@testable import Models

/// The CPU encoder with sparse attention, end to end on a synthetic long-sequence encoder (seeded
/// weights, a position table of 1024), against the same encoder computing dense attention
/// through an explicit boolean mask of the same pattern.
@Suite struct SparseAttentionEncoderTests {
    static let config = BertConfig(
        hiddenSize: 64, layerCount: 2, headCount: 2, intermediateSize: 128, maxPositions: 1024, vocabularySize: 97)

    static func weights() throws -> BertWeights { try BertWeights.seeded(config, zeros: 0, label: "sparse-attention-encoder") }

    /// Texts of the given lengths, padded to the longest, ids drawn from a seed.
    static func batch(_ lengths: [Int], seed: UInt64) -> TokenBatch {
        var generator = SeededGenerator(seed: seed)
        let encodings = lengths.map { n in
            BertTokenizer.Encoding(
                ids: (0..<n).map { _ in Int32(generator.next() % UInt64(config.vocabularySize)) },
                typeIDs: (0..<n).map { _ in Int32(generator.next() % 2) })
        }
        return TokenBatch(encodings, padID: 0)
    }

    /// The last layer's output of every real token, feature-major (`hiddenSize` rows of the
    /// batch's packed tokens), and the pooled embeddings.
    static func run(_ encoder: BertEncoder, _ batch: TokenBatch) throws -> (hidden: [Float], pooled: [Float]) {
        let workspace = EncoderWorkspace()
        let pooled = try encoder.embed(batch, workspace: workspace, normalize: false)
        let tokens = batch.lengths.reduce(0, +), ld = workspace.ld
        let hidden = (0..<config.hiddenSize).flatMap { f in (0..<tokens).map { workspace.hidden.pointer[f * ld + $0] } }
        return (hidden, pooled)
    }

    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        ReferenceSpMM.relativeError(a, reference: b.map(Double.init))
    }

    @Test func windowOverALongSequenceMatchesTheDenseMask() throws {
        let weights = try Self.weights(), batch = Self.batch([1024], seed: 1)
        let pattern = AttentionPattern.window(64)
        let sparse = try Self.run(BertEncoder(weights, attention: .sparse(pattern)), batch)
        let masked = try Self.run(BertEncoder(weights, attention: .denseMask(pattern)), batch)
        let error = Self.relativeError(sparse.hidden, masked.hidden)
        #expect(error <= ComputePrecision.fp32.relativeTolerance, "hidden states: \(error)")
        #expect(Self.relativeError(sparse.pooled, masked.pooled) <= ComputePrecision.fp32.relativeTolerance)
        // The pattern matters: full attention gives other hidden states.
        let full = try Self.run(BertEncoder(weights), batch)
        #expect(Self.relativeError(full.hidden, masked.hidden) > 100 * ComputePrecision.fp32.relativeTolerance)
    }

    /// A padded batch: each text attends over its own tokens only (its keys past its length
    /// excluded), with global tokens and a dilated window besides.
    @Test func paddedBatchHonoursEachTextsLength() throws {
        let weights = try Self.weights(), lengths = [700, 1, 333, 1024]
        let batch = Self.batch(lengths, seed: 2)
        let pattern = try AttentionPattern(parsing: "global:4+window:32+dilated:64:8")
        let sparseEncoder = try BertEncoder(weights, attention: .sparse(pattern))
        let sparse = try Self.run(sparseEncoder, batch)
        let masked = try Self.run(BertEncoder(weights, attention: .denseMask(pattern)), batch)
        #expect(Self.relativeError(sparse.hidden, masked.hidden) <= ComputePrecision.fp32.relativeTolerance)
        // Text 2 alone gives its rows of the batch.
        let alone = try Self.run(sparseEncoder, Self.batch([333], seed: 0).withText(of: batch, row: 2))
        let h = Self.config.hiddenSize
        let batchPooled = Array(sparse.pooled[(2 * h)..<(3 * h)])
        #expect(Self.relativeError(alone.pooled, batchPooled) <= 1e-6)
    }

    /// A window covering every token is full attention: the sparse kernel gives the dense
    /// kernel's result.
    @Test func windowOverEverythingIsDenseAttention() throws {
        let weights = try Self.weights(), batch = Self.batch([300, 77], seed: 3)
        let sparse = try Self.run(BertEncoder(weights, attention: .sparse(.window(2048))), batch)
        let dense = try Self.run(BertEncoder(weights), batch)
        #expect(Self.relativeError(sparse.hidden, dense.hidden) <= ComputePrecision.fp32.relativeTolerance)
    }

    @Test func aPatternThatDoesNotFitIsAnInputError() throws {
        let encoder = try BertEncoder(Self.weights(), attention: .sparse(.union([.dilated(40, stride: 2), .dilated(40, stride: 3)])))
        #expect(throws: ModelError.self) { try encoder.embed(Self.batch([100], seed: 4), workspace: EncoderWorkspace()) }
        #expect(throws: AttentionPatternError.invalidParameter(pattern: "blocked:0", name: "block", value: 0, minimum: 1)) {
            try EncoderAttention.sparse(.blocked(0))
        }
    }
}

extension TokenBatch {
    /// A one-text batch holding row `row` of `batch` (its real tokens only).
    fileprivate func withText(of batch: TokenBatch, row: Int) -> TokenBatch {
        let n = batch.lengths[row], start = row * batch.length
        return TokenBatch(
            [BertTokenizer.Encoding(ids: Array(batch.ids[start..<(start + n)]), typeIDs: Array(batch.typeIDs[start..<(start + n)]))],
            padID: 0)
    }
}

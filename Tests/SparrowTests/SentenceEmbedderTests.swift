import Foundation
import Sparrow
import Testing

private let miniLM = SentenceEmbedder.cachedModelFolder()

// Only `import Sparrow`, as a SwiftPM dependent would.
@Suite(
    "The Sparrow library API: sentence embeddings",
    .enabled(if: FileManager.default.fileExists(atPath: miniLM + "/model.safetensors"), "needs all-MiniLM-L6-v2 (scripts/get-model.sh)"))
struct SentenceEmbedderTests {
    @Test func embedsTheAnchorPair() throws {
        let embedder = try SentenceEmbedder(modelFolder: miniLM)
        #expect(embedder.dimension == 384 && embedder.maxLength == 256)
        #expect(embedder.sparseLayers == (0, 24))
        let vectors = try embedder.embed(["A man is eating food.", "A man is eating a piece of bread."])
        let cosine = zip(vectors[0], vectors[1]).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(cosine - 0.7553) < 5e-5)
    }

    @Test func aMissingFolderIsNamed() {
        #expect { _ = try SentenceEmbedder(modelFolder: "/no/such/model") } throws: { "\($0)".hasPrefix("/no/such/model: not a folder") }
    }
}

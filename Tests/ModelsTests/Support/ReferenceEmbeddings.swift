import Foundation
import Testing
@testable import Models

/// Sentences of the encoder tests: short (the tests run in a debug build), varied.
let referenceSentences = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A man is riding a horse.",
    "A woman is playing violin.",
    "Two men pushed carts through the woods.",
    "A monkey is playing drums.",
    "Sparrow runs pruned neural networks fast!",
    "Naïve café owners in Zürich don't sleep.",
    "東京は日本の首都です。",
    "",
    "Numbers: 3.14, 42 and 1e-10; emoji 😀.",
]

/// What `scripts/reference-embed.py` writes.
struct ReferenceOutput: Decodable {
    var ids: [[Int32]]
    var embeddings: [[Double]]
}

/// The float64 numpy reference's embeddings of `texts` (with `weights` instead of the folder's).
func referenceEmbeddings(_ texts: [String], folder: String, weights: String? = nil) throws -> ReferenceOutput {
    let scratch = try scratchFolder("reference")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let textsFile = scratch.appendingPathComponent("texts.jsonl"), out = scratch.appendingPathComponent("out.json")
    try texts.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n")
        .write(to: textsFile, atomically: true, encoding: .utf8)
    let run = runPython(
        [repositoryScript("reference-embed.py"), folder, "--texts-file", textsFile.path, "--out", out.path]
            + (weights.map { ["--weights", $0] } ?? []))
    try #require(run.status == 0, "reference-embed.py failed: \(run.output)")
    return try JSONDecoder().decode(ReferenceOutput.self, from: Data(contentsOf: out))
}

func cosine(_ a: [Float], _ b: [Double]) -> Double {
    var dot = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * y
        na += Double(x) * Double(x)
        nb += y * y
    }
    return dot / max((na * nb).squareRoot(), 1e-300)
}

func cosine(_ a: [Float], _ b: [Float]) -> Double { cosine(a, b.map(Double.init)) }

/// The smallest cosine and the largest absolute difference between Sparrow's rows and the reference's.
func agreement(_ sparrow: [[Float]], _ reference: [[Double]]) -> (minCosine: Double, maxAbsDiff: Double) {
    var minCosine = 1.0, maxDiff = 0.0
    for (a, b) in zip(sparrow, reference) {
        minCosine = min(minCosine, cosine(a, b))
        for (x, y) in zip(a, b) { maxDiff = max(maxDiff, abs(Double(x) - y)) }
    }
    return (minCosine, maxDiff)
}

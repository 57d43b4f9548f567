import Foundation
import Models
import Runtime
import SparseIO
import Testing

private let miniLM = ModelFolder.cached("all-MiniLM-L6-v2")

@Suite("sparrow embed")
struct EmbedCommandTests {
    @Test(arguments: [
        (["embed", "/no/such/model", "x"], "/no/such/model: not a folder"),
        (["embed", "/tmp", "--device", "gpu", "--linear", "sparse", "x"], "--device gpu takes --linear auto, measure or dense"),
        (["embed", "/tmp", "--batch-size", "0", "x"], "--batch-size must be at least 1, got 0"),
        (["embed", "/tmp", "--npy", "out.txt", "x"], "--npy out.txt: the file name must end in .npy"),
        (["embed", "/tmp", "--device", "gpu", "--attention", "window:8", "x"], "--attention runs on the CPU encoder"),
        (["embed", "/tmp", "--attention", "window:x", "x"], "--attention window:x: "),
    ])
    func refusalsAreOneLine(arguments: [String], message: String) throws {
        let result = try runSparrow(arguments)
        #expect(result.status == 1 && !result.signalled)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderrLines.first?.hasPrefix("sparrow: " + message) == true, "\(result.stderr)")
    }

    @Test func gpuRequestOnAMachineWithoutOneIsOneClearLine() throws {
        guard let reason = Runtime.GPUAvailability.reason else { return }  // a GPU machine: the GPU path runs instead
        let result = try runSparrow(["embed", "/tmp", "--device", "gpu", "x"])
        #expect(result.status == 1 && result.stderrLines.count == 1)
        #expect(result.stderr.contains("no CUDA device") || result.stderr.contains(reason), "\(result.stderr)")
    }

    struct Printed: Decodable {
        struct Item: Decodable {
            var text: String
            var embedding: [Float]
        }
        var dimension: Int
        var items: [Item]
        var layers: [Layer]
        struct Layer: Decodable {
            var name: String
            var kernel: String
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: miniLM + "/model.safetensors"), "needs all-MiniLM-L6-v2 (scripts/get-model.sh)"))
    func printsAndSavesEmbeddings() throws {
        let texts = ["A man is eating food.", "A man is eating a piece of bread."]
        let printed = try decodeJSON(Printed.self, try sparrowOutput(["embed", miniLM, "--json"] + texts))
        #expect(printed.dimension == 384 && printed.items.map(\.text) == texts && printed.layers.count == 24)
        #expect(printed.layers.allSatisfy { $0.kernel == "dense" })
        let cosine = zip(printed.items[0].embedding, printed.items[1].embedding).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(cosine - 0.7553) < 5e-5)

        let lines = try sparrowOutput(["embed", miniLM] + texts).split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.split(separator: " ").count == 384 })

        let folder = try cliScratch("embed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let npy = folder.appendingPathComponent("e.npy").path
        #expect(try sparrowOutput(["embed", miniLM, "--npy", npy, "--batch-size", "1"] + texts) == "2 embeddings of 384 floats written to \(npy)\n")
        guard case let .dense(tensor) = try SparseFile.read(npy) else { Issue.record("not a dense .npy"); return }
        #expect(tensor.shape == [2, 384] && tensor.dtype == .f32)
    }

    /// A window covering every token of these short texts is full attention: the same embeddings
    /// as the dense path; a window of 2 is not.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: miniLM + "/model.safetensors"), "needs all-MiniLM-L6-v2 (scripts/get-model.sh)"))
    func sparseAttentionPatterns() throws {
        let texts = ["A man is eating food.", "A man is eating a piece of bread."]
        let dense = try decodeJSON(Printed.self, try sparrowOutput(["embed", miniLM, "--json"] + texts))
        let wide = try decodeJSON(Printed.self, try sparrowOutput(["embed", miniLM, "--json", "--attention", "window:64"] + texts))
        let narrow = try decodeJSON(Printed.self, try sparrowOutput(["embed", miniLM, "--json", "--attention", "window:2"] + texts))
        func cosine(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
        for (d, w) in zip(dense.items, wide.items) { #expect(cosine(d.embedding, w.embedding) > 0.99999) }
        for (d, n) in zip(dense.items, narrow.items) { #expect(cosine(d.embedding, n.embedding) < 0.999) }
    }
}

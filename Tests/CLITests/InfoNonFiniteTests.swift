import Foundation
import FileTools
import SparseFormats
import SparseIO
import Testing

/// `sparrow info` on a safetensors file whose weights hold NaN and infinities (issue 14, point 10).
@Suite("sparrow info non-finite tensors")
struct InfoNonFiniteTests {
    /// `bad.weight` (2 x 3, f32): NaN at (0, 1), +Inf at (1, 0), -Inf at (1, 2).
    /// `half.bias` (4, bf16): NaN at index 2. `good.weight` and `steps` are finite.
    func writeModel(in folder: URL) throws -> String {
        var tensors = TensorCollection()
        tensors.append("good.weight", AnyDenseTensor(shape: [2, 2], values: [Float(1), 0, -2, 3]))
        tensors.append("bad.weight", AnyDenseTensor(shape: [2, 3], values: [Float(1), .nan, 0, .infinity, 2, -.infinity]))
        tensors.append("half.bias", AnyDenseTensor(shape: [4], values: [Float(1), 2, .nan, 4].map { BFloat16($0) }))
        tensors.append("steps", AnyDenseTensor(shape: [], int64: [7]))
        let path = folder.appendingPathComponent("model.safetensors").path
        try SparseFile.write(.tensors(tensors), to: path)
        return path
    }

    @Test func jsonCountsEachTensorsNonFiniteValues() throws {
        let folder = try cliScratch("info-nonfinite-json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try writeModel(in: folder)
        let summary = try decodeJSON(FileSummary.self, try sparrowOutput(["info", path, "--json"]))
        let tensors = try #require(summary.tensors)
        func report(_ name: String) throws -> NonFiniteReport {
            try #require(tensors.first { $0.name == name }?.nonFinite, "no report for \(name)")
        }
        let bad = try report("bad.weight")
        #expect((bad.nanCount, bad.positiveInfinityCount, bad.negativeInfinityCount) == (1, 1, 1))
        #expect(bad.first == NonFiniteReport.Position(row: 0, column: 1))
        let half = try report("half.bias")
        #expect(half.nanCount == 1 && half.infinityCount == 0)
        #expect(half.first == NonFiniteReport.Position(row: 0, column: 2))
        #expect(try report("good.weight").isAllFinite)
        #expect(try report("steps").isAllFinite)
        #expect(summary.total?.nonFinite == nil)
    }

    @Test func textNotesOnlyTheNonFiniteTensors() throws {
        let folder = try cliScratch("info-nonfinite-text")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try writeModel(in: folder)
        let text = try sparrowOutput(["info", path])
        #expect(text.contains("non-finite in 'bad.weight': 1 NaN, 1 +Inf, 1 -Inf; first at row 0, column 1"))
        #expect(text.contains("non-finite in 'half.bias': 1 NaN, 0 +Inf, 0 -Inf; first at row 0, column 2"))
        #expect(!text.contains("non-finite in 'good.weight'"))
        #expect(!text.contains("non-finite in 'steps'"))
    }
}

import Foundation
import SparseFormats
import Testing
@testable import SparseIO

/// The DLMC ResNet-50 tarball, at ../shared/data relative to the package root.
let dlmcTarball = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/data/dlmc-rn50-magnitude.tar.xz").standardizedFileURL

@Suite("DLMC", .enabled(if: FileManager.default.fileExists(atPath: dlmcTarball.path),
                        "needs ../shared/data/dlmc-rn50-magnitude.tar.xz next to the package"))
struct DLMCTests {
    @Test(arguments: ["dlmc/rn50/magnitude_pruning/0.8/final_dense.smtx",
                      "dlmc/rn50/magnitude_pruning/0.8/bottleneck_1_block_group_projection_block_group1.smtx"])
    func realMatrixMatchesTheCatalogue(member: String) throws {
        let folder = try scratchDirectory("dlmc")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xJf", dlmcTarball.path, "-C", folder.path, "dlmc/dlmc.csv", member]
        try tar.run()
        tar.waitUntilExit()
        try #require(tar.terminationStatus == 0, "tar failed")

        let csv = try String(contentsOf: folder.appendingPathComponent("dlmc/dlmc.csv"), encoding: .utf8)
        let header = try #require(csv.split(separator: "\n").first).split(separator: ",").map(String.init)
        let row = try #require(csv.split(separator: "\n").first { $0.split(separator: ",").count > 2 && $0.split(separator: ",")[2] == member })
        let fields = row.split(separator: ",").map(String.init)
        func field(_ name: String) throws -> Int {
            let index = try #require(header.firstIndex(of: name))
            return try #require(Double(fields[index]).map { Int($0) })
        }

        let path = folder.appendingPathComponent(member).path
        guard case let .sparse(.csr(.f32(matrix))) = try SparseFile.read(path) else {
            Issue.record("not a float CSR matrix")
            return
        }
        #expect(matrix.rows == (try field("nrows")))
        #expect(matrix.columns == (try field("ncols")))
        #expect(matrix.nnz == (try field("nnz")))
        // Values follow the documented seed scheme.
        var generator = SeededGenerator(seed: SMTX.valueSeed)
        #expect(Array(matrix.values.prefix(5)) == generator.signedUnitValues(min(5, matrix.nnz)))
        var options = SparseFile.ReadOptions()
        options.smtxElement = .bf16
        guard case let .sparse(.csr(.bf16(narrow))) = try SparseFile.read(path, options: options) else {
            Issue.record("not a bf16 CSR matrix")
            return
        }
        #expect(narrow.columnIndices == matrix.columnIndices)
        #expect(narrow.values == matrix.values.map { BFloat16($0) })
    }
}
